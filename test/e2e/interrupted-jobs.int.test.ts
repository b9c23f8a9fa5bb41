import { startVirtualPrinter, type VirtualPrinter } from '@farm/virtual-printer';
import { afterEach, describe, expect, it } from 'vitest';
import { compareExecuted } from './support/compare-executed.js';
import { CORPUS_DIR } from './support/corpus.js';
import { fileCommands } from './support/file-lines.js';
import { connect, testLink, type HostRun } from './support/host.js';

/**
 * Reset and disconnect mid-print (serial-protocol.md §4, cases 26 and 28):
 * the job ends `interrupted` with the last acknowledged file line and the
 * byte offset after it, and it is never restarted — the printer executes no
 * file line after the incident.
 */
const FILE = `${CORPUS_DIR}prusaslicer-2.5.0_mk3s_20mm-cube.gcode`;
const commands = fileCommands(FILE);

let printer: VirtualPrinter | undefined;
let host: HostRun | undefined;

afterEach(async () => {
  await host?.worker.close();
  await printer?.close();
  host = undefined;
  printer = undefined;
});

async function printUntilInterrupted(faults: string, flow: 'window' | 'pingpong') {
  printer = await startVirtualPrinter({ baud: 0, latencyMs: 0, profile: '32bit', timeScale: 1000, advancedOk: flow === 'window', faults, reconnectAfterMs: 60_000 });
  host = await connect(printer.address, testLink({ flowControl: flow }));
  const result = await host.worker.print({ id: 'cube', path: FILE });
  const executedAtEnd = printer.executedCommands().length;
  // Nothing may follow: give a restarted stream time to show itself.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { result, executedAtEnd, executed: printer.executedCommands() };
}

function checkStoppedAt(result: Awaited<ReturnType<typeof printUntilInterrupted>>['result'], executed: string[]) {
  if (result.status !== 'interrupted') throw new Error(`expected interrupted, got ${JSON.stringify(result)}`);
  const at = result.at;
  expect(at).not.toBeNull();
  const index = commands.findIndex((line) => line.lineNumber === at!.fileLine);
  expect(index).toBeGreaterThan(100);
  // The position names a command line of the file and the offset just after it.
  expect(commands[index]?.end).toBe(at!.byteOffset);
  // The printer executed the file exactly up to somewhere at or after that line, then nothing more of it.
  const { mismatch } = compareExecuted(
    commands.map((line) => line.command),
    executed,
  );
  expect(mismatch?.executed).toBeUndefined();
  expect(mismatch!.fileIndex).toBeGreaterThan(index);
  expect(mismatch!.fileIndex).toBeLessThan(index + 40);
}

describe('a print interrupted mid-way', () => {
  it('ends interrupted at the last acknowledged line when the firmware resets (window)', async () => {
    const { result, executedAtEnd, executed } = await printUntilInterrupted('reset@line=600', 'window');
    expect(result).toMatchObject({ status: 'interrupted', code: 'firmware_reset' });
    checkStoppedAt(result, executed);
    // After the reset the host only greets the firmware again; no file line is sent.
    expect(executed.slice(executedAtEnd).every((command) => !command.startsWith('G1'))).toBe(true);
  });

  it('ends interrupted at the last acknowledged line when the firmware resets (ping-pong)', async () => {
    const { result, executed } = await printUntilInterrupted('reset@line=450', 'pingpong');
    expect(result).toMatchObject({ status: 'interrupted', code: 'firmware_reset' });
    checkStoppedAt(result, executed);
  });

  it('ends interrupted as disconnected when the device vanishes, and says so', async () => {
    const { result, executed } = await printUntilInterrupted('disconnect@line=700', 'pingpong');
    expect(result).toMatchObject({ status: 'interrupted', code: 'disconnected' });
    checkStoppedAt(result, executed);
    expect(host!.events.some((event) => event.type === 'transport.lost')).toBe(true);
    expect(host!.worker.transport.state).toBe('vanished');
  });
});
