import { describe, expect, it } from 'vitest';
import { transition } from '../src/engine/transition.js';
import type { LineGuard } from '../src/guard.js';
import { EngineHarness, M105_OK, answerEndSync, connect, framed, startJob } from './engine-harness.js';

const FILE = ['G28', 'G1 X1', 'G1 X2', 'G1 X3'];
const scripts = { pause: ['G91', 'G1 Z5', 'G90'], resume: ['G91', 'G1 Z-5', 'G90'], cancel: ['M104 S0', 'M140 S0', 'M84'] };

/** Rejects heater targets above 260 °C, the way the real policy engine does. */
const guard: LineGuard = (command) => {
  const match = /^M10[49]\b.*S([\d.]+)/i.exec(command);
  if (match && Number(match[1]) > 260) return { ok: false, code: 'temperature_above_limit', reason: `${command}: above the 260 °C hotend limit` };
  return { ok: true };
};

function printing(config = {}, caps: Record<string, 0 | 1> = {}): EngineHarness {
  const h = new EngineHarness({ scripts, guard, ...config });
  connect(h, caps);
  startJob(h, FILE);
  h.receive('ok', 'ok');
  expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G28'), framed(2, 'G1 X1')]);
  return h;
}

describe('jobs', () => {
  it('asks for file lines as the window frees and completes when every line is acknowledged', () => {
    const h = new EngineHarness();
    connect(h);
    h.send({ type: 'startJob', id: 'j', totalBytes: 22 });
    expect(h.pulls).toEqual([{ jobId: 'j', max: 64 }]);
    h.send({ type: 'lines', jobId: 'j', lines: [{ command: 'G28', lineNumber: 3, start: 10, end: 14 }], done: false });
    expect(h.pulls.length).toBe(2);
    h.send({ type: 'lines', jobId: 'j', lines: [{ command: 'G1 X1', lineNumber: 4, start: 14, end: 22 }], done: true });
    h.receive('ok', 'ok', 'ok');
    expect(h.eventsOf('job.progress').map((e) => e.at)).toEqual([{ fileLine: 3, byteOffset: 14 }, { fileLine: 4, byteOffset: 22 }]);
    answerEndSync(h);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 2 });
    expect(h.eventsOf('job.started')).toEqual([{ type: 'job.started', jobId: 'j' }]);
  });

  it('refuses a second job while one runs', () => {
    const h = printing();
    h.send({ type: 'startJob', id: 'other' });
    expect(h.eventsOf('job.finished')[0]).toMatchObject({ jobId: 'other', result: { status: 'failed', code: 'not_ready' } });
    expect(h.state.job?.id).toBe('job1');
  });

  it('pauses with the pause script once the lines in flight are acknowledged, resumes with the resume script', () => {
    const h = printing();
    h.send({ type: 'pause' });
    expect(h.written()).toEqual([]);
    h.receive('ok');
    expect(h.written()).toEqual([framed(3, 'G91')]);
    h.receive('ok', 'ok', 'ok');
    expect(h.written()).toEqual([framed(4, 'G1 Z5'), framed(5, 'G90')]);
    expect(h.eventsOf('job.paused')).toEqual([{ type: 'job.paused', jobId: 'job1' }]);
    h.send({ type: 'resume' });
    expect(h.written()).toEqual([framed(6, 'G91')]);
    h.receive('ok', 'ok', 'ok');
    expect(h.written()).toEqual([framed(7, 'G1 Z-5'), framed(8, 'G90'), framed(9, 'G1 X2')]);
    expect(h.eventsOf('job.resumed')).toEqual([{ type: 'job.resumed', jobId: 'job1' }]);
  });

  it('case 38: a pause asked during M109 waits for its ok ("pausing")', () => {
    const h = new EngineHarness({ scripts });
    connect(h);
    startJob(h, ['M109 S200', 'G1 X1']);
    h.receive('ok');
    h.send({ type: 'pause' });
    expect(h.state.job?.phase).toBe('pausing');
    h.written();
    h.receive(' T:150.00 /200.00 B:25.00 /0.00 @:127 B@:0 W:?');
    expect(h.written()).toEqual([]);
    h.receive('ok');
    expect(h.written()).toEqual([framed(2, 'G91')]);
  });

  it('case 35: cancel stops the file, quick-stops with M410 at once when the firmware has the emergency parser, then runs the cancel script', () => {
    const h = printing({}, { EMERGENCY_PARSER: 1 });
    h.send({ type: 'cancel' });
    expect(h.written()).toEqual(['M410']);
    h.receive('ok', 'ok'); // line 2, then the out-of-band M410
    expect(h.written()).toEqual([framed(3, 'M410')]);
    h.receive('ok', 'ok', 'ok');
    expect(h.written()).toEqual([framed(4, 'M104 S0'), framed(5, 'M140 S0'), framed(6, 'M84')]);
    expect(h.eventsOf('job.finished')).toEqual([]);
    h.receive('ok');
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'cancelled', lines: 2, at: { fileLine: 2, byteOffset: 10 }, positionUnknown: true });
  });

  it('case 35: without the emergency parser, cancel sends no M410', () => {
    const h = printing();
    h.send({ type: 'cancel' });
    h.receive('ok');
    expect(h.written()).toEqual([framed(3, 'M104 S0')]);
  });

  it('case 36: emergency stop writes M112 ahead of everything, raw and numbered, and interrupts the job', () => {
    const h = printing();
    h.send({ type: 'command', id: 'c1', command: 'G1 X100' });
    const { effects } = transition(h.state, { type: 'emergencyStop' });
    expect(effects[0]).toEqual({ type: 'writeEmergency', text: `M112\n${framed(3, 'M112')}\n` });
    expect(effects.some((e) => e.type === 'write')).toBe(false);
    h.send({ type: 'emergencyStop' });
    expect(h.eventsOf('job.finished')[0]?.result).toMatchObject({ status: 'interrupted', code: 'emergency_stop' });
    expect(h.results.get('c1')).toMatchObject({ ok: false, code: 'halted' });
    expect(h.state.phase).toBe('halted');
  });

  it('case 36: M112 typed in the terminal is the emergency stop and bypasses the guard', () => {
    const h = new EngineHarness({ guard: (command) => (command.includes('M112') ? { ok: false, code: 'blocked', reason: 'blocked' } : { ok: true }) });
    connect(h);
    h.send({ type: 'command', id: 'c1', command: 'M112' });
    expect(h.emergency).toContain('M112');
  });

  it('case 37: //action:paused (firmware runs its own M600) pauses without scripts; //action:resumed continues', () => {
    const h = printing();
    h.receive('//action:paused filament_runout 0');
    h.receive('ok');
    expect(h.written()).toEqual([]);
    expect(h.eventsOf('job.paused')).toHaveLength(1);
    h.receive('//action:resumed');
    expect(h.written()).toEqual([framed(3, 'G1 X2')]);
  });

  it('case 37: //action:pause asks the host to pause with its script; //action:cancel cancels', () => {
    const h = printing();
    h.receive('//action:pause filament_runout 0', 'ok');
    expect(h.written()).toEqual([framed(3, 'G91')]);
    h.receive('// action:cancel');
    expect(h.state.job?.phase).toBe('cancelling');
  });

  it('case 39: reports host prompts and answers with M876 out of band when the firmware has the emergency parser', () => {
    const h = printing({}, { EMERGENCY_PARSER: 1, PROMPT_SUPPORT: 1 });
    h.receive('//action:prompt_begin Filament Runout T0', '//action:prompt_button Continue', '//action:prompt_button Purge More', '//action:prompt_show');
    expect(h.eventsOf('prompt').map((e) => e.prompt)).toEqual([
      { step: 'begin', text: 'Filament Runout T0' },
      { step: 'button', text: 'Continue' },
      { step: 'button', text: 'Purge More' },
      { step: 'show' },
    ]);
    h.send({ type: 'answerPrompt', choice: 1 });
    expect(h.written()).toEqual(['M876 S1']);
    h.receive('//action:prompt_end');
    expect(h.eventsOf('prompt').at(-1)?.prompt).toEqual({ step: 'end' });
  });

  it('answers a prompt with a numbered M876 ahead of the file when there is no emergency parser', () => {
    const h = printing();
    h.send({ type: 'answerPrompt', choice: 0 });
    h.receive('ok');
    expect(h.written()).toEqual([framed(3, 'M876 S0')]);
  });
});

describe('safety guard and direct commands', () => {
  it('fails the job on a refused file line before any of it reaches the wire', () => {
    const h = new EngineHarness({ guard });
    connect(h);
    startJob(h, ['G28', 'M104 S300', 'G1 X1']);
    h.receive('ok', 'ok');
    const written = h.written();
    expect(written.some((line) => line.includes('M104'))).toBe(false);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({
      status: 'failed',
      code: 'temperature_above_limit',
      reason: 'file line 2 refused: M104 S300: above the 260 °C hotend limit',
      at: { fileLine: 1, byteOffset: 4 },
    });
  });

  it('returns the refusal of a direct command and sends nothing of it', () => {
    const h = new EngineHarness({ guard });
    connect(h);
    h.send({ type: 'command', id: 'c1', command: 'M109 S400' });
    expect(h.results.get('c1')).toEqual({ ok: false, code: 'temperature_above_limit', reason: 'M109 S400: above the 260 °C hotend limit', lines: [] });
    expect(h.written()).toEqual([]);
  });

  it('calls the guard for every command: file lines, scripts, direct and system commands', () => {
    const seen: string[] = [];
    const h = new EngineHarness({ scripts, guard: (command) => (seen.push(command), { ok: true }) });
    connect(h);
    startJob(h, ['G1 X1']);
    h.send({ type: 'command', id: 'c1', command: 'M114' });
    h.send({ type: 'cancel' });
    for (let i = 0; i < 6; i++) h.receive('ok');
    expect(seen).toEqual(['M110 N0', 'M115', 'M155 S2', 'M110 N0', 'M114', 'M104 S0', 'M140 S0', 'M84']);
  });

  it('interleaves direct commands ahead of file lines and answers each with its reply lines', () => {
    const h = printing();
    h.send({ type: 'command', id: 'c1', command: 'M114' });
    h.receive('ok');
    expect(h.written()).toEqual([framed(3, 'M114')]);
    h.receive('X:10.00 Y:0.00 Z:0.30 E:1.20 Count X:800 Y:0 Z:120', 'ok');
    expect(h.results.get('c1')).toEqual({ ok: true, lines: ['X:10.00 Y:0.00 Z:0.30 E:1.20 Count X:800 Y:0 Z:120'] });
    expect(h.eventsOf('position').at(-1)?.report).toMatchObject({ x: 10, y: 0, z: 0.3, e: 1.2 });
    expect(h.written()).toEqual([framed(4, 'G1 X2')]);
  });

  it('returns a firmware error as the result of the command that caused it', () => {
    const h = new EngineHarness();
    connect(h);
    h.send({ type: 'command', id: 'c1', command: 'FOO' });
    h.receive('echo:Unknown command: "FOO"', 'ok');
    expect(h.results.get('c1')).toEqual({ ok: false, code: 'unknown_command', reason: 'Unknown command: "FOO"', lines: ['echo:Unknown command: "FOO"'] });
  });

  it('includes the ok payload of M105 in its result', () => {
    const h = new EngineHarness();
    connect(h);
    h.send({ type: 'command', id: 't', command: 'M105' });
    h.receive('ok T:199.57 /200.00 B:25.00 /0.00 @:74 B@:0');
    expect(h.results.get('t')).toEqual({ ok: true, lines: ['ok T:199.57 /200.00 B:25.00 /0.00 @:74 B@:0'] });
  });
});

describe('window flow control', () => {
  it('keeps the framed bytes in flight within the receive buffer budget', () => {
    const h = new EngineHarness({ flowControl: 'window', rxBufferBytes: 64 });
    connect(h);
    const file = Array.from({ length: 20 }, (_, i) => `G1 X${100 + i} Y${200 + i}`);
    startJob(h, file);
    // M110, 20 lines and two sync markers (every 8 file lines without ADVANCED_OK), each answered in kind.
    for (let i = 0; i < 23; i++) {
      const bytes = h.state.inFlight.reduce((sum, e) => sum + e.bytes, 0);
      expect(bytes).toBeLessThanOrEqual(64);
      h.receive(h.state.inFlight[0]?.command === 'M105' ? M105_OK : 'ok');
    }
    answerEndSync(h);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 20 });
  });

  it('widens the window with ADVANCED_OK B: lines in the command queue have left the receive buffer', () => {
    const h = new EngineHarness({ flowControl: 'window', rxBufferBytes: 64 });
    connect(h, { ADVANCED_OK: 1 });
    h.receive('ok P16 B4'); // learn the queue size
    const file = Array.from({ length: 20 }, (_, i) => `G1 X${100 + i} Y${200 + i}`);
    startJob(h, file);
    h.receive('ok N0 P16 B4');
    const before = h.state.inFlight.length;
    // Line 1 done, three more lines in the queue (B1 of 4 free): they no longer count against RX.
    h.receive('ok N1 P12 B0');
    expect(h.state.inFlight.length).toBeGreaterThan(before);
    expect(h.state.inFlight.filter((e) => e.inRxBuffer).reduce((sum, e) => sum + e.bytes, 0)).toBeLessThanOrEqual(64);
  });
});

describe('job edge cases', () => {
  it('keeps the opening M110 when the job is paused before it went out', () => {
    const h = new EngineHarness({ scripts });
    connect(h);
    h.send({ type: 'command', id: 'c', command: 'G4 S1' });
    h.written();
    startJob(h, FILE);
    h.send({ type: 'pause' });
    h.receive('ok');
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.receive('ok');
    expect(h.written()).toEqual([framed(1, 'G91')]);
  });

  it('never sends @ host commands from a file; @pause pauses the job there', () => {
    const h = new EngineHarness({ scripts: { ...scripts, pause: [], resume: [] } });
    connect(h);
    startJob(h, ['G1 X1', '@pause', 'G1 X2']);
    h.receive('ok', 'ok');
    expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G1 X1')]);
    expect(h.eventsOf('job.paused')).toHaveLength(1);
    h.send({ type: 'resume' });
    expect(h.written()).toEqual([framed(2, 'G1 X2')]);
  });
});

describe('file lines that touch the protocol', () => {
  it('turns an M110 in the file into the engine renumbering, so host and firmware keep the same numbers', () => {
    const h = new EngineHarness();
    connect(h);
    startJob(h, ['G1 X1', 'M110 N100', 'G1 X2']);
    h.receive('ok', 'ok');
    expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G1 X1'), 'N0 M110 N0*125']);
    h.receive('ok');
    expect(h.written()).toEqual([framed(1, 'G1 X2')]);
  });

  it('sends only the command of a line that still carries old framing', () => {
    const h = new EngineHarness();
    connect(h);
    startJob(h, ['N12 G1 X1*34']);
    h.receive('ok');
    expect(h.written()).toEqual(['N0 M110 N0*125', framed(1, 'G1 X1')]);
  });
});
