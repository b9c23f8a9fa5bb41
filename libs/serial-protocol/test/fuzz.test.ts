import { describe, expect, it } from 'vitest';
import { SimulatedMarlin } from './simulated-marlin.js';
import type { Faults, SimOptions } from './simulated-marlin.js';

// Distinct commands so the executed sequence can be compared with the file.
const FILE = Array.from({ length: 1500 }, (_, i) => `G1 X${(i % 200) + 0.5} Y${Math.floor(i / 200)} E${(i * 0.013).toFixed(3)}`);
const fileCommandsExecuted = (executed: string[]): string[] => executed.filter((command) => command.startsWith('G1 '));

const SEEDS = process.env.FUZZ_SEEDS ? Array.from({ length: Number(process.env.FUZZ_SEEDS) }, (_, i) => i + 1) : [1, 2, 3, 4];
const NO_FAULTS: Faults = { corruptLine: 0, loseLine: 0, loseOk: 0, duplicateOk: 0 };

function simulate(options: Partial<SimOptions> & { faults: Faults }): SimulatedMarlin {
  return new SimulatedMarlin({ seed: 1, advancedOk: false, latencyMs: 2, processMs: 3, config: {}, ...options });
}

describe('streaming through a simulated Marlin', () => {
  for (const mode of ['pingpong', 'window'] as const) {
    it(`executes the file exactly once and in order on a clean link (${mode})`, () => {
      const sim = simulate({ faults: NO_FAULTS, config: { flowControl: mode } });
      const result = sim.print(FILE);
      expect(result).toEqual({ status: 'completed', lines: FILE.length });
      expect(fileCommandsExecuted(sim.executed)).toEqual(FILE);
      expect(sim.overflowBytes).toBe(0);
      expect(sim.counters.resends).toBe(0);
    });
  }

  const noisy: [string, Faults, boolean, 'pingpong' | 'window'][] = [
    ['corrupted and lost lines, ping-pong', { corruptLine: 0.03, loseLine: 0.01, loseOk: 0, duplicateOk: 0 }, false, 'pingpong'],
    ['corrupted and lost lines, window', { corruptLine: 0.03, loseLine: 0.01, loseOk: 0, duplicateOk: 0 }, false, 'window'],
    ['lost oks, ping-pong', { corruptLine: 0, loseLine: 0, loseOk: 0.01, duplicateOk: 0 }, false, 'pingpong'],
    ['lost oks, window', { corruptLine: 0, loseLine: 0, loseOk: 0.01, duplicateOk: 0 }, false, 'window'],
    ['duplicated oks, ping-pong', { corruptLine: 0, loseLine: 0, loseOk: 0, duplicateOk: 0.02 }, false, 'pingpong'],
    ['everything at once, window with ADVANCED_OK', { corruptLine: 0.03, loseLine: 0.01, loseOk: 0.01, duplicateOk: 0.02 }, true, 'window'],
    ['resends without ok and garbage, window', { corruptLine: 0.03, loseLine: 0, loseOk: 0, duplicateOk: 0, garbage: 0.02, noOkAfterResend: true }, false, 'window'],
    ['resends without ok and garbage, ping-pong', { corruptLine: 0.03, loseLine: 0, loseOk: 0, duplicateOk: 0, garbage: 0.02, noOkAfterResend: true }, false, 'pingpong'],
    ['everything at once, ping-pong', { corruptLine: 0.03, loseLine: 0.01, loseOk: 0.01, duplicateOk: 0.02 }, false, 'pingpong'],
  ];
  for (const [name, faults, advancedOk, mode] of noisy) {
    it(`executes the file exactly once and in order with ${name}`, () => {
      for (const seed of SEEDS) {
        const sim = simulate({ seed, faults, advancedOk, config: { flowControl: mode } });
        const result = sim.print(FILE);
        expect(result.status, `seed ${seed}: ${JSON.stringify(result)}`).toBe('completed');
        expect(fileCommandsExecuted(sim.executed), `seed ${seed}`).toEqual(FILE);
        // Without ADVANCED_OK a duplicated ok can't be told from a real one; every other fault keeps the window exact.
        if (mode === 'window') expect(sim.overflowBytes, `seed ${seed}`).toBe(0);
        if (faults.corruptLine > 0) expect(sim.counters.resends).toBeGreaterThan(0);
      }
    });
  }

  // A window without ADVANCED_OK cannot tell a doubled ok from a real one; markers catch the drift
  // (see `okDriftSeen` in acks.ts) and the job continues in ping-pong. Nothing may overflow meanwhile.
  const drifting: [string, Faults][] = [
    ['duplicated oks at a high rate', { corruptLine: 0, loseLine: 0, loseOk: 0, duplicateOk: 0.1 }],
    ['duplicated oks with every other fault', { corruptLine: 0.03, loseLine: 0.01, loseOk: 0.01, duplicateOk: 0.05, garbage: 0.02 }],
  ];
  for (const [name, faults] of drifting) {
    it(`executes the file exactly once and in order in a window without ADVANCED_OK with ${name}`, () => {
      for (const seed of SEEDS) {
        const sim = simulate({ seed, faults, config: { flowControl: 'window' } });
        const result = sim.print(FILE);
        expect(result.status, `seed ${seed}: ${JSON.stringify(result)}`).toBe('completed');
        expect(fileCommandsExecuted(sim.executed), `seed ${seed}`).toEqual(FILE);
        expect(sim.overflowBytes, `seed ${seed}`).toBe(0);
        // (With line errors too, the job may have left the window for ping-pong before any drift.)
        if (faults.corruptLine === 0) expect(sim.events.some((e) => e.type === 'error' && e.code === 'ok_drift'), `seed ${seed}`).toBe(true);
      }
    });
  }

  it('keeps the window for the whole job when no ok is doubled', () => {
    const sim = simulate({ faults: { corruptLine: 0, loseLine: 0, loseOk: 0, duplicateOk: 0, garbage: 0.05 }, config: { flowControl: 'window' } });
    expect(sim.print(FILE).status).toBe('completed');
    expect(fileCommandsExecuted(sim.executed)).toEqual(FILE);
    expect(sim.events.filter((e) => e.type === 'error')).toEqual([]);
    expect(sim.counters.linesSent).toBeGreaterThan(FILE.length + FILE.length / 8 - 1); // a marker every 8 file lines
  });

  it('never overflows the receive buffer in window mode, even with resends', () => {
    for (const seed of [4, 5, 6]) {
      const sim = simulate({ seed, faults: { corruptLine: 0.05, loseLine: 0, loseOk: 0, duplicateOk: 0 }, config: { flowControl: 'window' } });
      sim.print(FILE);
      expect(sim.overflowBytes).toBe(0);
    }
  });

  it('keeps several lines in flight in window mode with ADVANCED_OK', () => {
    const sim = simulate({ faults: NO_FAULTS, advancedOk: true, config: { flowControl: 'auto' } });
    sim.print(FILE);
    expect(sim.events.find((e) => e.type === 'firmware.info')).toMatchObject({ flow: 'window' });
    expect(fileCommandsExecuted(sim.executed)).toEqual(FILE);
    expect(sim.overflowBytes).toBe(0);
  });
});
