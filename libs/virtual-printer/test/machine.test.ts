import { frameLine } from '@farm/gcode';
import { describe, expect, it } from 'vitest';
import { SimHarness } from './sim-harness.js';

const booted = (config: ConstructorParameters<typeof SimHarness>[0] = {}): SimHarness => {
  const h = new SimHarness({ bootMs: 0, latencyMs: 0, baud: 0, ...config });
  h.drain();
  return h;
};

describe('planner and motion', () => {
  it('takes the time distance and feedrate need, divided by the time scale', () => {
    // 100 mm at 6000 mm/min = 1 s of printer time; at time scale 10 that is 100 ms.
    const h = booted({ timeScale: 10 });
    h.send('G1 X100 F6000\nM400\n');
    h.run(95);
    expect(h.lines()).toEqual(['ok']);
    h.run(10);
    expect(h.lines()).toEqual(['ok', 'ok']);
  });

  it('holds the ok of a move while all 16 planner blocks are taken', () => {
    const h = booted();
    for (let i = 1; i <= 17; i++) {
      h.send(`G1 X${i * 10} F600\n`);
      h.run(20);
    }
    // 16 blocks planned, the 17th waits for the first move (1 s) to finish.
    expect(h.lines().filter((l) => l === 'ok')).toHaveLength(16);
    h.run(1000);
    expect(h.lines().filter((l) => l === 'ok')).toHaveLength(17);
  });

  it('reports position and keeps G91/G92 state', () => {
    const h = booted();
    h.send('G28\nG1 X10 Y5 F3000\nG91\nG1 X2\nG92 E0\nM114\n');
    h.run(10_000);
    expect(h.lines()).toContain('X:12.00 Y:5.00 Z:0.00 E:0.00 Count X:960 Y:400 Z:0');
  });
});

describe('heaters', () => {
  it('M109 reports temperatures with residency and busy lines while it waits, then oks', () => {
    const h = booted({ timeScale: 20 });
    h.send('M109 S200\n');
    const lines = h.runUntil((l) => l.includes('ok'));
    expect(lines.some((l) => /^ T:\d+\.\d\d \/200\.00 B:25\.00 \/0\.00 @:\d+ B@:0 W:\?$/.test(l))).toBe(true);
    expect(lines.some((l) => / W:[0-9]$/.test(l))).toBe(true);
    expect(lines).toContain('echo:busy: processing');
    expect(lines.at(-1)).toBe('ok');
    h.drain();
    h.send('M105\n');
    h.run(10);
    expect(h.drain()[0]).toMatch(/^ok T:(199|200)\.\d\d \/200\.00 B:25\.00 \/0\.00 @:\d+ B@:0$/);
  });

  it('M108 ends a heater wait', () => {
    const h = booted();
    h.send('M109 S200\n');
    h.run(3000);
    h.send('M108\n');
    h.run(1500);
    expect(h.lines().filter((l) => l === 'ok')).toHaveLength(2);
  });

  it('auto-reports temperatures after M155', () => {
    const h = booted({ timeScale: 10 });
    h.send('M155 S1\n');
    h.run(350);
    expect(h.lines().filter((l) => l.startsWith(' T:25.00 /0.00'))).toHaveLength(3);
  });
});

describe('halt and emergency', () => {
  it('M112 kills: the halt message, then silence', () => {
    const h = booted();
    h.send('M112\n');
    h.run(10);
    h.send('M105\nG28\n');
    h.run(1000);
    expect(h.lines()).toEqual(['Error:Printer halted. kill() called!']);
    expect(h.firmware.state).toBe('halted');
  });

  it('with the emergency parser, M112 acts on arrival even while the queue is full', () => {
    const h = booted({ emergencyParser: true });
    h.send('M109 S200\nG4 S10\nG4 S10\nG4 S10\n');
    h.run(100);
    h.send(`${frameLine(9, 'M112')}\n`);
    h.run(1);
    expect(h.lines()).toContain('Error:Printer halted. kill() called!');
  });

  it('without the emergency parser, M112 waits until the line is read from a full queue', () => {
    const h = booted();
    h.send('M109 S200\nG4 S10\nG4 S10\nG4 S10\n');
    h.run(100);
    h.send('M112\n');
    h.run(500);
    expect(h.lines()).not.toContain('Error:Printer halted. kill() called!');
  });
});

describe('host-caused underrun', () => {
  it('counts the time the planner sat empty waiting for the host between moves', () => {
    const h = booted();
    h.send('G1 X1 F6000\n');
    h.run(50);
    h.send('G1 X2 F6000\n');
    h.run(50);
    h.send('G1 X3 F6000\n');
    h.run(50);
    const underrun = h.firmware.stats().underrun;
    // Each 1 mm move takes 10 ms; the host came back 50 ms later.
    expect(underrun.episodes).toBe(2);
    expect(underrun.totalMs).toBeGreaterThan(60);
  });

  it('does not count waits the firmware causes itself, nor the idle time after the last move', () => {
    const h = booted({ timeScale: 10 });
    h.send('G1 X1 F6000\nG4 S2\nM109 S100\nG1 X2 F6000\n');
    h.runUntil((l) => l.filter((x) => x === 'ok').length === 4);
    h.run(1000);
    expect(h.firmware.stats().underrun.totalMs).toBe(0);
  });
});
