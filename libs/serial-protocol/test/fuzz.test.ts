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
