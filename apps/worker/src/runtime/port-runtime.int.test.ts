import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Value from 'typebox/value';
import { PrinterLiveState, TemperatureSample, WorkerHeartbeat, type ControlKey, type PortWorkerSpec } from '@farm/contracts';
import { startVirtualPrinter, type VirtualPrinter } from '@farm/virtual-printer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/test-env.js';
import type { RuntimeTuning } from './port-runtime.js';
import {
  FAST,
  randomControlKey,
  startRuntime,
  testSpec,
  until,
} from './testing/runtime-harness.js';
import { startRig, stopRig, type Rig } from './testing/runtime-rig.js';

let env: TestEnv;
let key: ControlKey;
let dir: string;

beforeAll(async () => {
  env = await createTestEnv();
  key = randomControlKey();
  dir = await mkdtemp(join(tmpdir(), 'farm-runtime-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rig = (printerId: string, printer: VirtualPrinter | undefined, spec?: PortWorkerSpec, tuning?: RuntimeTuning) =>
  startRig({ ...env, key }, printerId, printer, spec, tuning);
const teardown = stopRig;

describe('a connected printer', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig('vp-controls', await startVirtualPrinter({ latencyMs: 1, timeScale: 20 }));
    await r.probe.waitStatus('idle');
  });
  afterAll(() => teardown(r));

  it('writes a heartbeat, its state and a temperature history', async () => {
    const beat = await until('heartbeat', () =>
      r.probe.redis.get(r.probe.keys.heartbeat('vp-controls')).then((t) => t ?? undefined),
    );
    expect(Value.Check(WorkerHeartbeat, JSON.parse(beat))).toBe(true);
    expect(await r.probe.redis.ttl(r.probe.keys.heartbeat('vp-controls'))).toBeGreaterThan(0);
    const state = await r.probe.state();
    expect(Value.Check(PrinterLiveState, state)).toBe(true);
    expect(state).toMatchObject({
      printerId: 'vp-controls',
      hostId: 'host-test',
      status: 'idle',
      firmware: { name: expect.stringMatching(/Marlin/) },
    });
    const entries = await until('two temperature samples', async () => {
      const list = await r.probe.redis.xrange(r.probe.keys.temperatureHistory('vp-controls'), '-', '+');
      return list.length >= 2 ? list : undefined;
    });
    const samples = entries.map(([, fields]) => JSON.parse(fields[1] ?? 'null') as TemperatureSample);
    for (const sample of samples) expect(Value.Check(TemperatureSample, sample)).toBe(true);
    expect(samples[0]?.heaters.map((h) => h.heater).sort()).toEqual(['B', 'T0']);
    // At most one sample per second.
    for (let i = 1; i < samples.length; i++)
      expect(Math.floor(samples[i]!.at / 1000)).toBeGreaterThan(Math.floor(samples[i - 1]!.at / 1000));
    expect(r.probe.events.some((e) => e.type === 'printer.temperature')).toBe(true);
    expect(r.probe.events.some((e) => e.type === 'printer.state' && e.state.status === 'idle')).toBe(true);
  });

  it('homes, jogs and sets a temperature on signed controls', async () => {
    expect(await r.probe.control({ kind: 'home', axes: ['x', 'y'] })).toEqual({ ok: true });
    expect(await r.probe.control({ kind: 'jog', x: 10, feedrate: 3000 })).toEqual({ ok: true });
    expect(await r.probe.control({ kind: 'set-temperature', heater: 'T0', targetC: 200 })).toEqual({ ok: true });
    expect(await r.probe.control({ kind: 'fan', index: 0, speed: 1 })).toEqual({ ok: true });
    const executed = r.printer!.executedCommands();
    const from = executed.indexOf('G28 X Y');
    expect(from).toBeGreaterThanOrEqual(0);
    expect(executed.slice(from)).toEqual(
      expect.arrayContaining(['G91', 'G0 X10 F3000', 'G90', 'M104 T0 S200', 'M106 P0 S255']),
    );
    expect(executed.indexOf('G91')).toBeLessThan(executed.indexOf('G0 X10 F3000'));
    expect(executed.indexOf('G0 X10 F3000')).toBeLessThan(executed.indexOf('G90'));
    await until('target in state', async () =>
      ((await r.probe.state()) as { heaters?: { heater: string; targetC: number }[] } | undefined)?.heaters?.some(
        (h) => h.heater === 'T0' && h.targetC === 200,
      ),
    );
    expect(await r.probe.control({ kind: 'set-temperature', heater: 'T0', targetC: 0 })).toEqual({ ok: true });
  });

  it('answers a terminal M115 with the firmware’s reply lines, and logs them', async () => {
    const outcome = await r.probe.control({ kind: 'terminal', line: 'M115' });
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && outcome.output?.some((line) => line.startsWith('FIRMWARE_NAME:'))).toBe(true);
    await until('log lines', () =>
      r.probe.logLines.some((l) => l.direction === 'received' && l.line.startsWith('FIRMWARE_NAME:')),
    );
    expect(r.probe.logLines.some((l) => l.direction === 'sent' && l.line.includes('M115'))).toBe(true);
  });

  it('refuses temperatures over the cap on every control path and never writes them', async () => {
    expect(await r.probe.control({ kind: 'set-temperature', heater: 'T0', targetC: 300 })).toMatchObject({
      ok: false,
      code: 'refused-by-safety',
    });
    expect(await r.probe.control({ kind: 'set-temperature', heater: 'B', targetC: 101 })).toMatchObject({
      ok: false,
      code: 'refused-by-safety',
    });
    expect(await r.probe.control({ kind: 'terminal', line: 'M104 S999' })).toMatchObject({
      ok: false,
      code: 'refused-by-safety',
    });
    expect(await r.probe.control({ kind: 'terminal', line: 'M104 S999' }, { role: 'admin' })).toMatchObject({
      ok: false,
      code: 'refused-by-safety',
    });
    expect(await r.probe.control({ kind: 'terminal', line: 'N5 m140 s4e2*99' }, { role: 'admin' })).toMatchObject({
      ok: false,
      code: 'refused-by-safety',
    });
    expect(await r.probe.control({ kind: 'terminal', line: 'M105' }, { role: 'viewer' })).toMatchObject({
      ok: false,
      code: 'refused-by-safety',
    });
    expect(await r.probe.control({ kind: 'extrude', tool: 0, amountMm: 5 })).toMatchObject({
      ok: false,
      code: 'refused-by-safety',
    });
    const executed = r.printer!.executedCommands();
    expect(executed.some((c) => /S(300|999|101|4e2)/i.test(c))).toBe(false);
    expect(executed.some((c) => /^G1 E/.test(c))).toBe(false);
  });

  it('refuses unsigned, wrongly signed, replayed, stale and foreign requests with the right code', async () => {
    const unsigned = await r.probe.send(
      { kind: 'home', axes: [] },
      { raw: (signed) => ({ ...signed, signature: '0'.repeat(64) }) },
    );
    const noSignature = await r.probe.send(
      { kind: 'home', axes: [] },
      { raw: ({ signature: _s, ...rest }: { signature?: string }) => rest },
    );
    const wrongKey = await r.probe.send({ kind: 'home', axes: [] }, { key: randomControlKey() });
    const stale = await r.probe.send({ kind: 'home', axes: [] }, { issuedAt: Date.now() - 120_000 });
    const tampered = await r.probe.send(
      { kind: 'set-temperature', heater: 'T0', targetC: 100 },
      { raw: (signed) => ({ ...signed, command: { kind: 'set-temperature', heater: 'T0', targetC: 250 } }) },
    );
    expect((await r.probe.result(unsigned)).outcome).toMatchObject({ ok: false, code: 'bad-signature' });
    expect((await r.probe.result(noSignature)).outcome).toMatchObject({ ok: false, code: 'malformed' });
    expect((await r.probe.result(wrongKey)).outcome).toMatchObject({ ok: false, code: 'bad-signature' });
    expect((await r.probe.result(stale)).outcome).toMatchObject({ ok: false, code: 'stale' });
    expect((await r.probe.result(tampered)).outcome).toMatchObject({ ok: false, code: 'bad-signature' });

    // The same signed entry twice: the first runs, the second is a replay.
    const replayedId = await r.probe.send({ kind: 'terminal', line: 'M105' });
    expect((await r.probe.result(replayedId)).outcome.ok).toBe(true);
    const [entry] = await r.probe.redis.xrevrange(r.probe.keys.controlStream('vp-controls'), '+', '-', 'COUNT', 1);
    await r.probe.sendRaw(entry![1][1]!);
    await until(
      'replay refusal',
      async () => (await r.probe.results()).filter((res) => res.requestId === replayedId).length === 2,
    );
    expect((await r.probe.results()).filter((res) => res.requestId === replayedId).map((res) => res.outcome)).toEqual([
      { ok: true, output: expect.any(Array) },
      expect.objectContaining({ ok: false, code: 'replayed' }),
    ]);

    // Junk never ends the loop: the next good request still runs.
    await r.probe.sendRaw('not json');
    await r.probe.redis.xadd(r.probe.keys.controlStream('vp-controls'), '*', 'other', 'x');
    expect(await r.probe.control({ kind: 'terminal', line: 'M105' })).toMatchObject({ ok: true });
    expect(r.printer!.executedCommands().filter((c) => c === 'G28').length).toBe(0);
  });

  it('disconnects and connects again on request', async () => {
    expect(await r.probe.control({ kind: 'disconnect' })).toEqual({ ok: true });
    await r.probe.waitStatus('disconnected');
    expect(await r.probe.control({ kind: 'home', axes: [] })).toMatchObject({ ok: false, code: 'not-connected' });
    r.printer!.reset();
    expect(await r.probe.control({ kind: 'connect' })).toEqual({ ok: true });
    await r.probe.waitStatus('idle');
    expect((await r.probe.state())?.stats).toMatchObject({ connects: 2 });
  });
});

/** Many tiny moves: a file that takes far longer than the test to print on a real-time printer. */
async function tinySegments(path: string, count: number): Promise<void> {
  const lines = ['G90', 'G1 F6000'];
  for (let i = 0; i < count; i++) {
    const a = (i / 200) * 2 * Math.PI;
    lines.push(`G1 X${(100 + 20 * Math.cos(a)).toFixed(3)} Y${(100 + 20 * Math.sin(a)).toFixed(3)}`);
  }
  await writeFile(path, `${lines.join('\n')}\n`);
}

describe('job controls', () => {
  let r: Rig | undefined;
  afterEach(() => teardown(r));

  it('pauses, resumes and cancels a streaming job, and refuses motion while it prints', async () => {
    const path = join(dir, 'long.gcode');
    await tinySegments(path, 5000);
    r = await rig('vp-job', await startVirtualPrinter({ baud: 250000, latencyMs: 1, profile: 'avr' }));
    await r.probe.waitStatus('idle');
    const job = r.runtime.startPrint({ jobId: 'job-2', path });
    await r.probe.waitStatus('printing');
    await expect(r.runtime.startPrint({ jobId: 'job-3', path })).rejects.toMatchObject({ code: 'busy' });
    expect(await r.probe.control({ kind: 'jog', x: 5 })).toMatchObject({ ok: false, code: 'busy' });
    expect(await r.probe.control({ kind: 'resume' })).toMatchObject({ ok: false, code: 'failed' });
    expect(await r.probe.control({ kind: 'pause' })).toEqual({ ok: true });
    await r.probe.waitStatus('paused');
    expect(await r.probe.control({ kind: 'resume' })).toEqual({ ok: true });
    await r.probe.waitStatus('printing');
    expect(await r.probe.control({ kind: 'cancel' })).toEqual({ ok: true });
    expect(await job).toMatchObject({ status: 'cancelled' });
    const state = await r.probe.waitStatus('idle');
    expect(state.job).toBeUndefined();
  });
});

describe('emergency stop', () => {
  let r: Rig | undefined;
  afterEach(() => teardown(r));

  it('reaches the printer ahead of queued lines while a job streams', async () => {
    const path = join(dir, 'circle.gcode');
    await tinySegments(path, 5000);
    r = await rig(
      'vp-estop',
      await startVirtualPrinter({ baud: 250000, latencyMs: 1, profile: 'avr', emergencyParser: true }),
    );
    await r.probe.waitStatus('idle');
    const job = r.runtime.startPrint({ jobId: 'job-1', path });
    await until('100 lines printed', () => (r!.runtime.state.job?.linesSent ?? 0) >= 100);
    const requestId = await r.probe.emergencyStop('*');
    const result = await job;

    expect(result).toMatchObject({ status: 'interrupted', code: 'emergency_stop' });
    await until('the printer halted', () => r!.printer!.stats().state === 'halted');
    const moves = r.printer!.executedCommands().filter((c) => c.startsWith('G1 X')).length;
    expect(moves).toBeLessThan(5000);
    expect((await r.probe.result(requestId)).outcome).toEqual({ ok: true });
    await until('M112 in the log', () => r!.probe.logLines.some((l) => l.direction === 'sent' && /M112/.test(l.line)));
    await r.probe.waitStatus('halted');
    expect(r.probe.events.some((e) => e.type === 'printer.alarm' && e.reason === 'emergency-stop')).toBe(true);
  });

  it('ignores a stop for another printer and an unsigned stop', async () => {
    r = await rig('vp-estop2', await startVirtualPrinter({ latencyMs: 1, timeScale: 20 }));
    await r.probe.waitStatus('idle');
    await r.probe.emergencyStop('some-other-printer');
    await r.probe.redis.publish(
      r.probe.keys.emergencyStop,
      JSON.stringify({ printerId: '*', command: { kind: 'emergency-stop' } }),
    );
    // A control after both proves they were processed (one subscriber, in order) and ignored.
    expect(await r.probe.control({ kind: 'terminal', line: 'M105' })).toMatchObject({ ok: true });
    expect((await r.probe.state())?.status).toBe('idle');
    expect(r.printer!.stats().state).not.toBe('halted');
  });
});

describe('port loss', () => {
  let r: Rig | undefined;
  afterEach(() => teardown(r));

  it('shows the printer disconnected with the cause when the pseudo-terminal goes away', async () => {
    const printer = await startVirtualPrinter({ latencyMs: 1, timeScale: 20 });
    r = await rig('vp-lost', printer);
    await r.probe.waitStatus('idle');
    await printer.close();
    r.printer = undefined;
    const state = await r.probe.waitStatus('disconnected');
    expect(state.error).toBeDefined();
    // Still alive: the heartbeat keeps coming and the worker keeps retrying.
    await until('a failed reopen', () => r!.logs.some((l) => l.includes('could not open the port')));
    expect(await r.probe.redis.exists(r.probe.keys.heartbeat('vp-lost'))).toBe(1);
  });
});

describe('heater watchdog', () => {
  let r: Rig | undefined;
  afterEach(() => teardown(r));

  it('stops the printer and raises an alarm on the virtual printer’s thermal-runaway fault', async () => {
    const printer = await startVirtualPrinter({ latencyMs: 1, timeScale: 20, faults: 'thermal-runaway@line=12' });
    r = await rig('vp-runaway', printer, testSpec('vp-runaway', printer.address), {
      ...FAST,
      watchdog: { staleAfterMs: 2_000 },
    });
    await r.probe.waitStatus('idle');
    expect(await r.probe.control({ kind: 'set-temperature', heater: 'T0', targetC: 200 })).toEqual({ ok: true });
    // Lines until the fault fires: the firmware halts and goes silent while its heater has a target.
    await until('the firmware halts', async () => {
      if (printer.stats().state === 'halted') return true;
      await r!.probe.control({ kind: 'terminal', line: 'M105' });
      return undefined;
    });
    await until('a watchdog alarm', () =>
      r!.probe.events.some((e) => e.type === 'printer.alarm' && e.reason === 'stale-readings'),
    );
    expect(r.probe.events.some((e) => e.type === 'printer.alarm' && e.reason === 'firmware-halted')).toBe(true);
    await until('M112 on the wire', () => r!.probe.logLines.some((l) => l.direction === 'sent' && /M112/.test(l.line)));
    const state = await r.probe.waitStatus('halted');
    expect(state.error).toMatchObject({ code: 'watchdog-stale-readings' });
  });
});

describe('without redis', () => {
  it('still connects, guards and prints when Redis is unreachable', async () => {
    const path = join(dir, 'short.gcode');
    await writeFile(path, 'G28\nG1 X10 Y10 F3000\nM104 S300\nG1 X20\n');
    const printer = await startVirtualPrinter({ latencyMs: 1, timeScale: 20 });
    const { runtime, logs } = await startRuntime(
      testSpec('vp-noredis', printer.address),
      'redis://127.0.0.1:1',
      env.redisPrefix,
      key,
      { ...FAST, redisReadyTimeoutMs: 300 },
    );
    try {
      await until('idle', () => runtime.state.status === 'idle');
      // The file's over-cap line is refused at the wire: the job fails there, Redis or not.
      const result = await runtime.startPrint({ jobId: 'job-offline', path });
      expect(result).toMatchObject({ status: 'failed', code: 'temperature-above-cap' });
      expect(printer.executedCommands()).toEqual(expect.arrayContaining(['G28', 'G1 X10 Y10 F3000']));
      expect(printer.executedCommands().some((c) => c.includes('S300'))).toBe(false);
      expect(logs.some((l) => l.includes('redis is not reachable'))).toBe(true);
    } finally {
      await runtime.shutdown();
      await printer.close();
    }
  });
});
