import { describe, expect, it } from 'vitest';
import { EngineHarness, answerEndSync, connect, framed, startJob } from './engine-harness.js';

const FILE = ['G1 X1', 'G1 X2', 'G1 X3'];

function printing(config = {}, caps: Record<string, 0 | 1> = {}): EngineHarness {
  const h = new EngineHarness({ communicationTimeoutMs: 30_000, busyTimeoutMs: 5000, ...config });
  connect(h, caps);
  startJob(h, FILE);
  h.receive('ok');
  h.written();
  return h;
}

describe('acknowledgements (cases 10–15)', () => {
  it('case 10: after a lost ok, nudges with a numbered M105 and resynchronises on its `ok T:` reply', () => {
    const h = printing();
    h.advance(29_999);
    expect(h.written()).toEqual([]);
    h.advance(1);
    expect(h.written()).toEqual([framed(2, 'M105')]);
    expect(h.state.counters.timeouts).toBe(1);
    h.receive('ok T:210.00 /210.00 B:60.00 /60.00 @:64 B@:0');
    expect(h.state.job?.acknowledgedLines).toBe(1);
    expect(h.written()).toEqual([framed(3, 'G1 X2')]);
  });

  it('case 10: gives up after too many consecutive timeouts and reports the job interrupted', () => {
    const h = printing({ maxConsecutiveTimeouts: 2 });
    h.advance(30_000);
    h.advance(30_000);
    h.advance(30_000);
    const result = h.eventsOf('job.finished')[0]?.result;
    expect(result).toMatchObject({ status: 'interrupted', code: 'timeout' });
    expect(h.closed).toMatch(/timeouts/);
  });

  it('case 10: in window mode, an ADVANCED_OK line number repairs lost oks at once', () => {
    const h = new EngineHarness({ flowControl: 'window' });
    connect(h, { ADVANCED_OK: 1 });
    startJob(h, FILE);
    h.written();
    h.receive('ok N0 P15 B3', 'ok N1 P15 B3');
    // The ok of line 2 was lost; the ok of line 3 acknowledges both.
    h.receive('ok N3 P15 B3');
    answerEndSync(h);
    expect(h.state.inFlight).toEqual([]);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 3 });
  });

  it('case 11: drops a surplus ok with nothing outstanding', () => {
    const h = new EngineHarness();
    connect(h);
    h.receive('ok', 'ok');
    expect(h.state.inFlight).toEqual([]);
    h.send({ type: 'command', id: 'c1', command: 'M114' });
    expect(h.written()).toEqual([framed(3, 'M114')]);
    expect(h.results.has('c1')).toBe(false);
  });

  it('case 11: matches ADVANCED_OK acks by line number, so a duplicated ok acknowledges nothing twice', () => {
    const h = printing({ flowControl: 'window' }, { ADVANCED_OK: 1 });
    h.receive('ok N1 P15 B3', 'ok N1 P15 B3');
    expect(h.state.inFlight.map((e) => e.n)).toEqual([2, 3]);
    h.receive('ok N3 P14 B3');
    answerEndSync(h);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 3 });
  });

  it('case 12: only a line that starts with ok is an ack', () => {
    const h = printing();
    h.receive('echo:done ok', 'okay');
    expect(h.state.job?.acknowledgedLines).toBe(0);
    h.receive('ok');
    expect(h.state.job?.acknowledgedLines).toBe(1);
  });

  it('case 13: reads temperatures from any line, also after a Repetier-style early ok', () => {
    const h = printing();
    h.receive('ok 1', 'T:20.04 /0 B:20.10 /0 B@:0 @:0');
    expect(h.eventsOf('temperature').at(-1)?.report.heaters).toEqual({ T0: { actual: 20.04, target: 0 }, B: { actual: 20.1, target: 0 } });
    expect(h.state.job?.acknowledgedLines).toBe(1);
  });

  it('case 14: `wait` acknowledges everything outstanding unless a long command is running', () => {
    const h = printing({ flowControl: 'window' });
    h.receive('ok');
    expect(h.state.inFlight.length).toBe(2);
    h.receive('wait');
    answerEndSync(h);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 3 });
  });

  it('case 15: numbers and counts non-G/M/T commands (Klipper macros) like any line, never sends @ commands', () => {
    const h = printing();
    h.send({ type: 'command', id: 'c1', command: 'SET_PIN PIN=light VALUE=1' });
    h.send({ type: 'command', id: 'c2', command: '@pause' });
    expect(h.results.get('c2')).toMatchObject({ ok: false, code: 'host_command' });
    h.receive('ok');
    expect(h.written()).toEqual([framed(2, 'SET_PIN PIN=light VALUE=1')]);
    h.receive('ok');
    expect(h.results.get('c1')).toEqual({ ok: true, lines: [] });
  });
});

describe('liveness and long commands (cases 16–19)', () => {
  it('case 16: a long-running command gets the long timeout instead of a nudge', () => {
    const h = new EngineHarness({ communicationTimeoutMs: 30_000, longCommandTimeoutMs: 600_000 });
    connect(h);
    startJob(h, ['M109 S210', 'G1 X1']);
    h.receive('ok');
    expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'M109 S210')]);
    h.advance(599_999);
    expect(h.written()).toEqual([]);
    h.advance(1);
    expect(h.written()).toEqual([framed(2, 'M105')]);
  });

  it('case 16: temperature lines with W: keep a heating wait alive', () => {
    const h = new EngineHarness({ communicationTimeoutMs: 30_000, longCommandTimeoutMs: 60_000 });
    connect(h);
    startJob(h, ['M109 S200', 'G1 X1']);
    h.receive('ok');
    h.written();
    for (let t = 0; t < 10; t++) {
      h.advance(50_000);
      h.receive(' T:150.00 /200.00 B:25.00 /0.00 @:127 B@:0 W:?');
    }
    expect(h.written()).toEqual([]);
    h.receive(' T:199.55 /200.00 B:25.00 /0.00 @:74 B@:0 W:0', 'ok');
    expect(h.written()).toEqual([framed(2, 'G1 X1')]);
  });

  it('case 17: busy keepalives refresh the timeout and make the host send M113 S2 once', () => {
    const h = printing({ busyTimeoutMs: 5000 });
    h.receive('echo:busy: processing');
    h.receive('ok');
    expect(h.written()).toEqual([framed(2, 'M113 S2')]);
    h.receive('ok');
    expect(h.written()).toEqual([framed(3, 'G1 X2')]);
    h.advance(4000);
    h.receive('echo:busy: processing');
    h.advance(4000);
    expect(h.written()).toEqual([]);
    h.advance(1000);
    expect(h.written()).toEqual([framed(4, 'M105')]);
  });

  it('case 18: `busy: paused for user` is reported as the firmware waiting for the user', () => {
    const h = printing();
    h.receive('echo:busy: paused for user');
    expect(h.eventsOf('firmware.busy').at(-1)).toEqual({ type: 'firmware.busy', reason: 'paused for user', pausedForUser: true });
  });

  it('case 19: probes a silent idle printer with M105, then declares it gone', () => {
    const h = new EngineHarness({ communicationTimeoutMs: 10_000, maxConsecutiveTimeouts: 1 });
    connect(h);
    h.advance(10_000); // the first period heard the handshake
    expect(h.written()).toEqual([]);
    h.advance(10_000);
    expect(h.written()).toEqual([framed(3, 'M105')]);
    h.advance(10_000);
    expect(h.written()).toEqual([framed(4, 'M105')]);
    h.advance(10_000);
    expect(h.state.phase).toBe('closed');
  });
});

describe('M105 sync markers (no ADVANCED_OK)', () => {
  it('sends a numbered M105 every syncEvery file lines', () => {
    const h = new EngineHarness({ syncEvery: 2 });
    connect(h);
    startJob(h, ['G1 X1', 'G1 X2', 'G1 X3']);
    for (let i = 0; i < 4; i++) h.receive('ok');
    expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G1 X1'), framed(2, 'G1 X2'), framed(3, 'M105'), framed(4, 'G1 X3')]);
  });

  it('undoes the premature ack a duplicated ok caused when the marker reply arrives', () => {
    const h = new EngineHarness({ syncEvery: 2 });
    connect(h);
    startJob(h, ['G1 X1', 'G1 X2', 'G1 X3', 'G1 X4']);
    h.receive('ok', 'ok', 'ok');
    expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G1 X1'), framed(2, 'G1 X2'), framed(3, 'M105')]);
    h.receive('ok'); // duplicate of line 2's ok: taken for the M105's
    expect(h.written()).toEqual([framed(4, 'G1 X3')]);
    h.receive('ok T:25.00 /0.00 B:25.00 /0.00 @:0 B@:0'); // the M105's real reply: dropped, the count is right again
    expect(h.state.inFlight.map((e) => e.command)).toEqual(['G1 X3']);
    h.receive('ok');
    expect(h.written()).toEqual([framed(5, 'G1 X4')]);
  });
});
