import { describe, expect, it } from 'vitest';
import { EngineHarness, PRUSA_M115, answerEndSync, connect, framed, startJob } from './engine-harness.js';

const FILE = ['G28', 'G1 X1', 'G1 X2', 'G1 X3', 'G1 X4', 'G1 X5'];

function printing(config = {}, caps: Record<string, 0 | 1> = {}): EngineHarness {
  const h = new EngineHarness({ resendDrainMs: 50, ...config });
  connect(h, caps);
  startJob(h, FILE);
  expect(h.written()).toEqual(['N0 M110 N0*125']);
  h.receive('ok');
  return h;
}

describe('resend requests (reference section 4, cases 1–9)', () => {
  it('resends from history after the incident has drained, with the original numbers (Marlin: Error, Resend, ok)', () => {
    const h = printing();
    h.receive('ok');
    expect(h.written()).toEqual([framed(1, 'G28'), framed(2, 'G1 X1')]);
    h.receive('Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok');
    expect(h.written()).toEqual([]);
    h.advance(50);
    expect(h.written()).toEqual([framed(2, 'G1 X1')]);
    // The ok after Resend was the rejected line's credit: line 2 still waits for its own ok.
    expect(h.state.inFlight.map((e) => e.n)).toEqual([2]);
    h.receive('ok');
    expect(h.written()).toEqual([framed(3, 'G1 X2')]);
  });

  it('case 1: fails the job when the requested line is older than the history, and resynchronises with M110', () => {
    const h = new EngineHarness({ historySize: 256 });
    connect(h);
    const file = Array.from({ length: 300 }, (_, i) => `G1 X${i}`);
    startJob(h, file);
    for (let i = 0; i <= 290; i++) h.receive('ok');
    h.written();
    h.receive('Resend: 5');
    const finished = h.eventsOf('job.finished')[0];
    expect(finished?.result).toMatchObject({ status: 'failed', code: 'resend_unrecoverable' });
    expect(finished?.result.status === 'failed' && finished.result.reason).toMatch(/line 5, history starts at 36/);
    expect(h.written()).toEqual(['N0 M110 N0*125']);
  });

  it('case 2: ignores a request for a line not sent yet (the printer saw the previous line twice)', () => {
    const h = printing();
    h.receive('ok');
    expect(h.written()).toEqual([framed(1, 'G28'), framed(2, 'G1 X1')]);
    h.receive('Error:Line Number is not Last Line Number+1, Last Line: 2', 'Resend: 3', 'ok');
    h.advance(50);
    // Line 2 counts as accepted; nothing is resent; line 3 goes out once.
    expect(h.written()).toEqual([framed(3, 'G1 X2')]);
    expect(h.state.job?.acknowledgedLines).toBe(2);
  });

  it('case 3: treats a request arriving while M110 is unacknowledged as stale and repeats only the M110', () => {
    const h = new EngineHarness({ resendDrainMs: 50 });
    connect(h);
    startJob(h, FILE);
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.receive('Resend: 1', 'ok');
    h.advance(50);
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.receive('ok');
    expect(h.written()).toEqual([framed(1, 'G28')]);
    expect(h.eventsOf('error')).toEqual([]);
  });

  it('case 3: a request in the old numbering after the M110 was lost sends the M110 again with line 1', () => {
    const h = new EngineHarness({ resendDrainMs: 50, flowControl: 'window' });
    connect(h, {}, PRUSA_M115);
    startJob(h, FILE);
    h.receive('ok'); // (a duplicated ok, taken for the M110's)
    expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G28')]);
    h.receive('Error:Line Number is not Last Line Number+1, Last Line: 2', 'Resend: 3', 'ok');
    h.advance(50);
    expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G28')]);
    h.receive('ok', 'ok');
    expect(h.written()).toEqual(FILE.slice(1).map((command, i) => framed(i + 2, command)));
  });

  it('case 4: one corruption with k lines in flight brings k identical requests; one burst answers them all', () => {
    const h = new EngineHarness({ resendDrainMs: 50, flowControl: 'window' });
    connect(h, {}, PRUSA_M115);
    startJob(h, FILE);
    const lines = FILE.map((command, i) => framed(i + 1, command));
    // Nothing follows the M110 until it is acknowledged, and then only line 1 until it is.
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.receive('ok');
    expect(h.written()).toEqual(lines.slice(0, 1));
    h.receive('ok');
    expect(h.written()).toEqual(lines.slice(1));
    h.receive('Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok');
    h.receive('Error:Line Number is not Last Line Number+1, Last Line: 1', 'Resend: 2', 'ok');
    h.advance(30);
    h.receive('Error:Line Number is not Last Line Number+1, Last Line: 1', 'Resend: 2', 'ok');
    h.advance(49);
    expect(h.written()).toEqual([]);
    h.advance(1);
    expect(h.written()).toEqual(lines.slice(1));
    expect(h.state.counters.resends).toBe(1);
    expect(h.state.counters.resendRequests).toBe(3);
    h.receive('ok', 'ok', 'ok', 'ok', 'ok');
    answerEndSync(h);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 6 });
  });

  it('case 5: stops the job when the same line is requested again and again', () => {
    const h = printing({ maxConsecutiveResends: 10 });
    h.receive('ok');
    h.written();
    for (let i = 0; i < 9; i++) {
      h.receive('Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok');
      h.advance(50);
      expect(h.written()).toEqual([framed(2, 'G1 X1')]);
    }
    h.receive('Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok');
    expect(h.eventsOf('job.finished')[0]?.result).toMatchObject({ status: 'failed', code: 'link_unreliable' });
    expect(h.eventsOf('error').map((e) => e.message).join()).toMatch(/check the cable/);
  });

  it('case 6: a resend without a following ok (Smoothieware rs, Prusa 3.1.0) still resumes after the drain', () => {
    const h = printing();
    h.receive('ok');
    h.written();
    h.receive('rs N2');
    h.advance(50);
    expect(h.written()).toEqual([framed(2, 'G1 X1')]);
    h.receive('ok');
    expect(h.written()).toEqual([framed(3, 'G1 X2')]);
  });

  it('case 7: with ADVANCED_OK the plain ok after a resend is never taken for an ack', () => {
    const h = new EngineHarness({ resendDrainMs: 50, flowControl: 'window' });
    connect(h, { ADVANCED_OK: 1 }, PRUSA_M115);
    startJob(h, FILE);
    h.receive('ok N0 P15 B3', 'ok N1 P15 B3');
    h.written();
    h.receive('Error:checksum mismatch, Last Line: 1', 'Resend: 2');
    h.advance(50);
    expect(h.written()).toEqual(FILE.slice(1).map((command, i) => framed(i + 2, command)));
    h.receive('ok'); // late credit of the rejected line
    expect(h.state.inFlight.map((e) => e.n)).toEqual([2, 3, 4, 5, 6]);
    h.receive('ok N6 P15 B3');
    answerEndSync(h);
    expect(h.state.inFlight).toEqual([]);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 6 });
  });

  it('case 8: refuses a line longer than the firmware can checksum before it reaches the wire', () => {
    const h = new EngineHarness({ maxLineBytes: 95 });
    connect(h);
    const long = `M117 ${'x'.repeat(100)}`;
    startJob(h, ['G28', long, 'G1 X1']);
    h.receive('ok'); // M110
    expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G28')]);
    h.receive('ok');
    expect(h.written()).toEqual([]);
    expect(h.eventsOf('job.finished')[0]?.result).toMatchObject({ status: 'failed', code: 'line_too_long', at: { fileLine: 1 } });
  });

  it('case 8: replaces characters the firmware cannot checksum', () => {
    const h = new EngineHarness();
    connect(h);
    h.send({ type: 'command', id: 'c1', command: 'M117 Größe' });
    expect(h.written()).toEqual([framed(3, 'M117 Gr??e')]);
  });

  it('case 9: re-issues M110 N0 when line numbers reach the limit, once nothing is in flight', () => {
    const h = new EngineHarness({ lineNumberLimit: 4 });
    connect(h);
    startJob(h, FILE);
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.receive('ok', 'ok', 'ok');
    expect(h.written()).toEqual([framed(1, 'G28'), framed(2, 'G1 X1'), framed(3, 'G1 X2')]);
    h.receive('ok');
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.receive('ok');
    expect(h.written()).toEqual([framed(1, 'G1 X3')]);
  });
});
