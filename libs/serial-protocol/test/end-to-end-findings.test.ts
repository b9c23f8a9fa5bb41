import { describe, expect, it } from 'vitest';
import { EngineHarness, M105_OK, MARLIN_M115, PRUSA_M115, answerEndSync, connect, framed, startJob } from './engine-harness.js';

/** Faults found by printing through pseudo-terminals against the virtual printer (`test/e2e/`). */
const FILE = ['G28', 'G1 X1', 'G1 X2', 'G1 X3', 'G1 X4', 'G1 X5'];

describe('acknowledged-line count after faults', () => {
  it('never counts a resent line twice after a doubled ok and a resend', () => {
    const h = new EngineHarness({ resendDrainMs: 50 });
    connect(h);
    startJob(h, FILE.slice(0, 4));
    h.receive('ok'); // M110
    h.written();
    // Line 1's ok comes twice: line 2 is taken for acknowledged before the firmware has checked it.
    h.receive('ok', 'ok');
    expect(h.written()).toEqual([framed(2, 'G1 X1'), framed(3, 'G1 X2')]);
    expect(h.state.job?.acknowledgedLines).toBe(2);
    h.receive('Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok');
    h.advance(50);
    expect(h.written()).toEqual([framed(2, 'G1 X1')]);
    h.receive('ok');
    expect(h.written()).toEqual([framed(3, 'G1 X2')]);
    h.receive('ok');
    h.receive('ok');
    answerEndSync(h);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 4 });
    const lines = h.eventsOf('job.progress').map((e) => e.acknowledgedLines);
    expect(Math.max(...lines)).toBe(4);
    const offsets = h.eventsOf('job.progress').map((e) => e.at.byteOffset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });

  it('records the offset just past the furthest acknowledged line when a job is interrupted after a resend', () => {
    const h = new EngineHarness({ resendDrainMs: 50 });
    connect(h);
    startJob(h, FILE);
    h.receive('ok', 'ok', 'ok');
    h.receive('Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok');
    h.advance(50);
    h.receive('ok'); // the resent line 2, counted once
    h.send({ type: 'closed', reason: 'unplugged' });
    const result = h.eventsOf('job.finished')[0]?.result;
    expect(result).toMatchObject({ status: 'interrupted', code: 'disconnected', at: { fileLine: 2, byteOffset: 10 } });
    expect(h.eventsOf('job.progress').at(-1)?.acknowledgedLines).toBe(2);
  });
});

describe('auto flow control on Marlin', () => {
  it('picks the window from the ADVANCED_OK reply format, though Marlin never sends Cap:ADVANCED_OK', () => {
    const h = new EngineHarness({ flowControl: 'auto' });
    h.send({ type: 'opened' });
    h.receive('ok N0 P15 B3');
    h.receive(...MARLIN_M115, 'ok N1 P15 B3');
    expect(h.eventsOf('firmware.info')[0]?.flow).toBe('window');
    expect(h.state.flow).toBe('window');
  });

  it('switches to the window at the first ok with P and B fields after connect', () => {
    const h = new EngineHarness({ flowControl: 'auto' });
    connect(h);
    expect(h.state.flow).toBe('pingpong');
    h.send({ type: 'command', id: 'c1', command: 'M114' });
    h.receive('ok N3 P15 B3');
    expect(h.state.flow).toBe('window');
  });

  it('stays in ping-pong with plain oks', () => {
    const h = new EngineHarness({ flowControl: 'auto' });
    connect(h);
    expect(h.eventsOf('firmware.info')[0]?.flow).toBe('pingpong');
  });
});

describe('end of a job', () => {
  it('ping-pong: completes only on the closing M105 reply, not on a doubled ok', () => {
    const h = new EngineHarness();
    connect(h);
    startJob(h, FILE.slice(0, 2));
    h.receive('ok'); // M110
    h.receive('ok', 'ok'); // line 1's ok twice: line 2 looks done while it waits in the firmware's queue
    expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G28'), framed(2, 'G1 X1'), framed(3, 'M105')]);
    expect(h.eventsOf('job.finished')).toEqual([]);
    h.receive('ok'); // line 2's real ok
    expect(h.eventsOf('job.finished')).toEqual([]);
    h.receive(M105_OK);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 2 });
  });

  it('still completes when the firmware answers M105 with a plain ok (after a nudge that gets no ok T: either)', () => {
    const h = new EngineHarness({ communicationTimeoutMs: 1000 });
    connect(h);
    startJob(h, FILE.slice(0, 1));
    h.receive('ok', 'ok');
    expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G28'), framed(2, 'M105')]);
    h.receive('ok');
    h.advance(1000);
    expect(h.written()).toEqual([framed(3, 'M105')]);
    h.receive('ok');
    expect(h.eventsOf('job.finished')).toEqual([]);
    h.advance(1000);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 1 });
    expect(h.state.inFlight).toEqual([]);
  });

  it('window with ADVANCED_OK: matches the closing M105 by its line number', () => {
    const h = new EngineHarness({ flowControl: 'window' });
    connect(h, { ADVANCED_OK: 1 });
    startJob(h, FILE.slice(0, 2));
    h.receive('ok N0 P15 B3', 'ok N1 P15 B3', 'ok N2 P15 B3');
    expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G28'), framed(2, 'G1 X1'), framed(3, 'M105')]);
    h.receive('ok N2 P15 B3'); // duplicate
    expect(h.eventsOf('job.finished')).toEqual([]);
    h.receive('ok N3 P15 B3');
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 2 });
    expect(h.state.inFlight).toEqual([]);
  });
});

describe('window mode after a line error', () => {
  function windowJob(m115: string[]): EngineHarness {
    const h = new EngineHarness({ flowControl: 'window', resendDrainMs: 50 });
    connect(h, {}, m115);
    startJob(h, FILE);
    h.receive('ok', 'ok');
    expect(h.written()).toEqual(['N0 M110 N0*125', ...FILE.map((command, i) => framed(i + 1, command))]);
    h.receive('Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok');
    h.advance(50);
    return h;
  }

  it('Marlin: falls back to ping-pong for the rest of the job and says why', () => {
    const h = windowJob(MARLIN_M115);
    expect(h.eventsOf('error')).toMatchObject([{ code: 'flow_fallback', fatal: false }]);
    expect(h.written()).toEqual([framed(2, 'G1 X1')]);
    for (let n = 3; n <= 6; n++) {
      h.receive('ok');
      expect(h.written()).toEqual([framed(n, FILE[n - 1] ?? '')]);
    }
    h.receive('ok');
    answerEndSync(h);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 6 });
    // The window returns with the next job.
    expect(h.state.flow).toBe('window');
  });

  it('Prusa-Firmware: keeps the window (it rejects a checksum without a line number)', () => {
    const h = windowJob(PRUSA_M115);
    expect(h.eventsOf('error')).toEqual([]);
    expect(h.written()).toEqual(FILE.slice(1).map((command, i) => framed(i + 2, command)));
  });
});
