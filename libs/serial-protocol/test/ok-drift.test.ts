import { describe, expect, it } from 'vitest';
import { EngineHarness, M105_OK, PRUSA_M115, answerEndSync, connect, framed, startJob } from './engine-harness.js';

/**
 * A byte-counted window without ADVANCED_OK: a doubled plain `ok` cannot be told from a real one,
 * but a plain `ok` never acknowledges a sync marker (`M105`, answered with `ok T:`), so the drift
 * shows at the next marker: the job continues in ping-pong, and the marker's reply re-aligns the count.
 */
const FILE = ['G1 X1', 'G1 X2', 'G1 X3', 'G1 X4', 'G1 X5', 'G1 X6', 'G1 X7'];

function windowJob(): EngineHarness {
  // 60 bytes hold five of these lines; a marker after every two file lines, one marker in flight at a time.
  const h = new EngineHarness({ flowControl: 'window', windowSyncEvery: 2, rxBufferBytes: 60 });
  connect(h, {}, PRUSA_M115);
  startJob(h, FILE);
  expect(h.written()).toEqual(['N0 M110 N0*125']);
  h.receive('ok');
  expect(h.written()).toEqual([framed(1, 'G1 X1')]);
  h.receive('ok');
  expect(h.written()).toEqual([framed(2, 'G1 X2'), framed(3, 'M105'), framed(4, 'G1 X3'), framed(5, 'G1 X4'), framed(6, 'G1 X5')]);
  h.receive('ok', M105_OK); // line 2, marker 3: the firmware answers M105 with `ok T:`
  expect(h.written()).toEqual([framed(7, 'G1 X6'), framed(8, 'M105')]);
  return h;
}

describe('doubled oks in a window without ADVANCED_OK', () => {
  it('keeps the window while every ok is single', () => {
    const h = windowJob();
    h.receive('ok', 'ok', 'ok', 'ok', M105_OK, 'ok'); // 4, 5, 6, 7, marker 8, 9
    answerEndSync(h);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 7 });
    expect(h.eventsOf('error')).toEqual([]);
  });

  it('takes a plain ok that would acknowledge a marker as proof of a doubled ok and falls back to ping-pong', () => {
    const h = windowJob();
    // Line 4's ok comes twice: the count takes line 5 for done while the firmware still works on it.
    h.receive('ok', 'ok');
    expect(h.written()).toEqual([framed(9, 'G1 X7')]);
    expect(h.state.inFlight.map((e) => e.n)).toEqual([6, 7, 8, 9]);
    h.receive('ok', 'ok'); // the real oks of lines 5 and 6: the count takes 6 and 7 for done
    expect(h.state.inFlight.map((e) => e.n)).toEqual([8, 9]);
    // Line 7's real ok arrives while marker 8 is the oldest line in flight: it cannot be the marker's.
    h.receive('ok');
    expect(h.eventsOf('error')).toEqual([expect.objectContaining({ code: 'ok_drift', fatal: false })]);
    expect(h.state.inFlight.map((e) => e.n)).toEqual([8, 9]);
    expect(h.state.flow).toBe('pingpong');
    // The marker's own reply re-aligns the count: everything up to it is done, nothing after it.
    h.receive(M105_OK);
    expect(h.state.inFlight.map((e) => e.n)).toEqual([9]);
    h.receive('ok');
    answerEndSync(h);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 7 });
    // The window returns with the next job.
    expect(h.state.flow).toBe('window');
  });

  it('drops an M105 reply that comes straight after another and would acknowledge lines before a marker', () => {
    const h = windowJob();
    h.receive(M105_OK); // marker 3's reply, doubled: it would acknowledge lines 4 to 7 with marker 8
    expect(h.state.inFlight.map((e) => e.n)).toEqual([4, 5, 6, 7, 8]);
  });
});
