import { frameLine } from '@farm/gcode';
import { describe, expect, it } from 'vitest';
import { FaultSpecError, parseFaultSpec } from '../src/faults/fault-spec.js';
import { SimHarness } from './sim-harness.js';

const withFaults = (spec: string, config: ConstructorParameters<typeof SimHarness>[0] = {}): SimHarness => {
  const h = new SimHarness({ bootMs: 0, latencyMs: 0, baud: 0, ...config }, parseFaultSpec(spec));
  h.drain();
  return h;
};

function printLines(h: SimHarness, from: number, to: number): void {
  for (let n = from; n <= to; n++) {
    h.sendFramed(n, `G1 X${n} F6000`);
    h.run(30);
  }
}

describe('fault spec', () => {
  it('reads rates, line triggers and the seed', () => {
    expect(parseFaultSpec('corrupt=0.01,lost-ok=0.005,reset@line=500,disconnect@800,seed=7')).toEqual({
      rates: { corrupt: 0.01, 'lost-ok': 0.005 },
      atLines: [
        { kind: 'reset', line: 500 },
        { kind: 'disconnect', line: 800 },
      ],
      seed: 7,
    });
  });

  it('refuses unknown kinds and rates outside 0..1', () => {
    expect(() => parseFaultSpec('flood=0.1')).toThrow(FaultSpecError);
    expect(() => parseFaultSpec('corrupt=2')).toThrow(/between 0 and 1/);
    expect(() => parseFaultSpec('corrupt')).toThrow(/kind=rate/);
  });
});

describe('faults at a given line', () => {
  it('corrupts line 3 once: checksum or line-number error, then the resent line passes', () => {
    const h = withFaults('corrupt@line=3');
    printLines(h, 1, 3);
    expect(h.lines().some((l) => l.startsWith('Error:'))).toBe(true);
    expect(h.lines()).toContain('Resend: 3');
    h.drain();
    printLines(h, 3, 4);
    expect(h.drain()).toEqual(['ok', 'ok']);
    expect(h.executed()).toEqual(['G1 X1 F6000', 'G1 X2 F6000', 'G1 X3 F6000', 'G1 X4 F6000']);
  });

  it('on RepRapFirmware a corrupted line vanishes without a word, and its resend runs', () => {
    const h = withFaults('corrupt@line=2', { flavor: 'rrf' });
    printLines(h, 1, 2);
    h.sendFramed(3, 'M105');
    h.run(30);
    // No error, no resend request, no ok for line 2: the M105 behind it is answered at once.
    expect(h.drain()).toEqual(['ok', 'ok T:25.0 /0.0 T0:25.0 /0.0 B:25.0 /0.0']);
    printLines(h, 2, 2);
    expect(h.drain()).toEqual(['ok']);
    expect(h.executed()).toEqual(['G1 X1 F6000', 'M105', 'G1 X2 F6000']);
  });

  it('loses the ok of line 2 and doubles the ok of line 3', () => {
    const h = withFaults('lost-ok@line=2,dup-ok@line=3');
    printLines(h, 1, 3);
    expect(h.lines()).toEqual(['ok', 'ok', 'ok']);
    expect(h.executed()).toHaveLength(3);
  });

  it('resets at line 3: start and banner, the line is lost, line numbers start over', () => {
    const h = withFaults('reset@line=3', { bootMs: 100 });
    h.send('\n');
    h.run(200);
    h.drain();
    printLines(h, 1, 3);
    h.run(200);
    expect(h.lines()).toContain('start');
    expect(h.executed()).toHaveLength(2);
    h.drain();
    h.sendFramed(4, 'G1 X4');
    h.run(20);
    expect(h.drain()).toEqual(['Error:Line Number is not Last Line Number+1, Last Line: 0', 'Resend: 1', 'ok']);
  });

  it('asks the driver to drop the link at the configured line', () => {
    const h = withFaults('disconnect@line=2');
    h.sendFramed(1, 'G1 X1');
    h.firmware.hostBytes(Buffer.from(`${frameLine(2, 'G1 X2')}\n`), h.now);
    expect(h.firmware.advance(h.now + 50)).toEqual([{ kind: 'disconnect' }]);
  });

  it('thermal runaway halts with the two error lines', () => {
    const h = withFaults('thermal-runaway@line=2');
    printLines(h, 1, 3);
    expect(h.lines()).toEqual(['ok', 'Error:Thermal Runaway, system stopped! Heater_ID: 0', 'Error:Printer halted. kill() called!']);
  });

  it('filament runout asks the host to pause', () => {
    const h = withFaults('runout@line=2');
    printLines(h, 1, 2);
    expect(h.lines()).toContain('//action:pause filament_runout 0');
  });

  it('garbage comes out as junk bytes on a line of its own', () => {
    const h = withFaults('garbage@line=1');
    printLines(h, 1, 1);
    const lines = h.lines();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('ok');
  });

  it('busy holds line 2 with keepalive lines before its ok', () => {
    const h = withFaults('busy@line=2');
    h.sendFramed(1, 'G1 X1 F6000');
    h.sendFramed(2, 'M105');
    h.run(6000);
    const lines = h.lines();
    expect(lines.filter((l) => l === 'echo:busy: processing')).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^ok T:/);
  });

  it('rate faults are reproducible with the same seed', () => {
    const run = (): string[] => {
      const h = withFaults('corrupt=0.2,dup-ok=0.2,seed=42');
      printLines(h, 1, 30);
      return h.lines();
    };
    expect(run()).toEqual(run());
  });
});
