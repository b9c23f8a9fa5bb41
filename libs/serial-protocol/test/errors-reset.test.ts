import { describe, expect, it } from 'vitest';
import { EngineHarness, connect, framed, startJob } from './engine-harness.js';

const FILE = ['G28', 'G1 X1', 'G1 X2', 'G1 X3'];

/** Printing, with lines 1 and 2 acknowledged and line 3 in flight. */
function printing(config = {}): EngineHarness {
  const h = new EngineHarness(config);
  connect(h);
  startJob(h, FILE);
  h.receive('ok', 'ok', 'ok');
  expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G28'), framed(2, 'G1 X1'), framed(3, 'G1 X2')]);
  return h;
}

// File offsets from fileLines(): 'G28\n' = 0..4, 'G1 X1\n' = 4..10.
const AT_LINE_2 = { fileLine: 2, byteOffset: 10 };

describe('firmware errors (cases 21–25)', () => {
  it('case 21: thermal runaway then kill: fails the job at once, stops sending, keeps logging', () => {
    const h = printing();
    h.receive('Error:Thermal Runaway, system stopped! Heater_ID: 0', 'Error:Printer halted. kill() called!');
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'failed', code: 'firmware_error', reason: 'Thermal Runaway, system stopped! Heater_ID: 0', at: AT_LINE_2 });
    expect(h.state.phase).toBe('halted');
    h.receive('ok', 'echo:Heating Failed');
    h.send({ type: 'command', id: 'c1', command: 'M105' });
    expect(h.written()).toEqual([]);
    expect(h.results.get('c1')).toMatchObject({ ok: false, code: 'not_ready' });
    expect(h.eventsOf('serial.log').at(-1)).toEqual({ type: 'serial.log', direction: 'received', text: 'echo:Heating Failed' });
  });

  it('case 21: a halt without a cause (kill button) interrupts the job', () => {
    const h = printing();
    h.receive('Error:Printer halted. kill() called!');
    expect(h.eventsOf('job.finished')[0]?.result).toMatchObject({ status: 'interrupted', code: 'halted', at: AT_LINE_2 });
  });

  it('case 21: MINTEMP and MAXTEMP are fatal too', () => {
    for (const line of ['Error:MINTEMP triggered, system stopped! Heater_ID: bed', 'Error:MAXTEMP triggered, system stopped! Heater_ID: 0']) {
      const h = printing();
      h.receive(line);
      expect(h.eventsOf('job.finished')[0]?.result).toMatchObject({ status: 'failed', code: 'firmware_error' });
      expect(h.state.phase).toBe('halted');
    }
  });

  it('case 22: "Printer stopped due to errors" ends the job but keeps the link', () => {
    const h = printing();
    h.receive('Error:Printer stopped due to errors. Fix the error and use M999 to restart. (Temperature is reset. Set it after restarting)');
    expect(h.eventsOf('job.finished')[0]?.result).toMatchObject({ status: 'failed', code: 'firmware_error' });
    expect(h.state.phase).toBe('ready');
    h.receive('ok');
    expect(h.written()).toEqual([]);
  });

  it('case 23: an unknown command is a warning, not a stop', () => {
    const h = printing();
    h.receive('echo:Unknown command: "G1 X2"', 'ok');
    expect(h.written()).toEqual([framed(4, 'G1 X3')]);
    expect(h.eventsOf('firmware.message').at(-1)).toEqual({ type: 'firmware.message', source: 'echo', text: 'Unknown command: "G1 X2"' });
  });

  it('case 24: Klipper `!!` command failures are warnings, lost MCU communication is fatal', () => {
    const h = printing();
    h.receive('!! Move out of range: 0.000 0.000 -5.000 [0.000]', 'ok');
    expect(h.state.job?.phase).toBe('running');
    expect(h.eventsOf('error').at(-1)).toMatchObject({ code: 'firmware_error', fatal: false });
    h.receive("!! Lost communication with MCU 'mcu'");
    expect(h.state.phase).toBe('halted');
  });

  it('case 25: a probing failure aborts the job', () => {
    const h = printing();
    h.receive('Error:Probing Failed');
    expect(h.eventsOf('job.finished')[0]?.result).toMatchObject({ status: 'failed', code: 'firmware_error', reason: 'Probing Failed' });
  });
});

describe('reset and link loss (cases 26–31)', () => {
  it('case 26: `start` mid-print interrupts the job with the last acknowledged line and offset, then handshakes again', () => {
    const h = printing({ bootQuietMs: 300 });
    h.receive('start', 'echo: External Reset', 'Marlin bugfix-2.1.x');
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({
      status: 'interrupted',
      code: 'firmware_reset',
      reason: 'the firmware reset (start) during the job',
      at: AT_LINE_2,
    });
    expect(h.state.job).toBeNull();
    h.advance(300);
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.receive('ok');
    h.receive('FIRMWARE_NAME:Marlin', 'ok');
    expect(h.state.phase).toBe('ready');
    // Never restarted: nothing of the file is sent again.
    expect(h.written().some((line) => line.includes('G1'))).toBe(false);
  });

  it('case 28: a closed port interrupts the job and rejects pending commands', () => {
    const h = printing();
    h.send({ type: 'command', id: 'c1', command: 'M114' });
    h.send({ type: 'closed', reason: 'EIO' });
    expect(h.eventsOf('job.finished')[0]?.result).toMatchObject({ status: 'interrupted', code: 'disconnected', at: AT_LINE_2 });
    expect(h.results.get('c1')).toMatchObject({ ok: false, code: 'disconnected' });
    expect(h.state.phase).toBe('closed');
    expect(h.timers.size).toBe(0);
  });

  it('case 30: survives garbage, NULs and high-bit bytes between replies', () => {
    const h = printing();
    h.receiveRaw('\x00\x00\xff\xfe\r\n', '\x80\x81garbage\n', 'o', 'k\r', '\n');
    expect(h.written()).toEqual([framed(4, 'G1 X3')]);
  });

  it('case 31: gives the same result whatever way the replies are split (mid-line, mid-CRLF, many in one chunk)', () => {
    const transcript = 'ok\r\nok T:25.00 /0.00 B:25.00 /0.00 @:0 B@:0\recho:busy: processing\nError:checksum mismatch, Last Line: 1\r\nResend: 2\nok\n';
    const run = (chunks: string[]): unknown => {
      const h = new EngineHarness({ resendDrainMs: 50 });
      connect(h);
      startJob(h, FILE);
      h.receive('ok');
      h.receiveRaw(...chunks);
      h.advance(50);
      return { written: h.written(), events: h.events.filter((e) => e.type !== 'serial.log'), inFlight: h.state.inFlight };
    };
    const whole = run([transcript]);
    for (let cut = 1; cut < transcript.length; cut++) {
      expect(run([transcript.slice(0, cut), transcript.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    }
    expect(run(transcript.split(''))).toEqual(whole);
  });
});
