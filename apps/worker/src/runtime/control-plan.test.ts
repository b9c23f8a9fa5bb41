import type { ControlCommand, HeaterTemperature } from '@farm/contracts';
import { describe, expect, it } from 'vitest';
import { gcodeNumber, planControl, type PlanContext } from './control-plan.js';
import { safetyProfileOf } from '@farm/gcode';
import { heaterCapsOf } from './link-settings.js';
import { PRINTER_PRESETS } from '@farm/contracts';

const profile = PRINTER_PRESETS.find((p) => p.id === 'creality-ender-3')?.profile;
if (!profile) throw new Error('preset missing');

function context(
  overrides: Partial<PlanContext> = {},
  heaters: HeaterTemperature[] = [{ heater: 'T0', actualC: 25, targetC: 0 }],
): PlanContext {
  return {
    safety: safetyProfileOf(profile!),
    caps: heaterCapsOf(profile!),
    heaters,
    role: 'operator',
    idle: true,
    ...overrides,
  };
}

const plan = (command: ControlCommand, ctx = context()) => planControl(command, ctx);

describe('control to G-code', () => {
  it('homes the named axes, or all', () => {
    expect(plan({ kind: 'home', axes: ['x', 'z'] })).toEqual({
      kind: 'gcode',
      lines: ['G28 X Z'],
      output: false,
      motion: true,
    });
    expect(plan({ kind: 'home', axes: [] })).toMatchObject({ lines: ['G28'] });
  });

  it('jogs relative and returns to absolute mode', () => {
    expect(plan({ kind: 'jog', x: 10, z: -0.1, feedrate: 1200 })).toMatchObject({
      lines: ['G91', 'G0 X10 Z-0.1 F1200', 'G90'],
      motion: true,
    });
    expect(plan({ kind: 'jog', y: 5 })).toMatchObject({ lines: ['G91', 'G0 Y5 F3000', 'G90'] });
    expect(plan({ kind: 'jog' })).toMatchObject({ kind: 'refuse', code: 'malformed' });
  });

  it('sets temperatures per heater within the caps and refuses above them or for unknown heaters', () => {
    expect(plan({ kind: 'set-temperature', heater: 'T0', targetC: 215 })).toMatchObject({
      lines: ['M104 T0 S215'],
      motion: false,
    });
    expect(plan({ kind: 'set-temperature', heater: 'B', targetC: 60 })).toMatchObject({ lines: ['M140 S60'] });
    expect(plan({ kind: 'set-temperature', heater: 'T0', targetC: 261 })).toMatchObject({
      kind: 'refuse',
      code: 'refused-by-safety',
    });
    expect(plan({ kind: 'set-temperature', heater: 'B', targetC: 101 })).toMatchObject({
      kind: 'refuse',
      code: 'refused-by-safety',
    });
    // The Ender profile has no chamber and one tool.
    expect(plan({ kind: 'set-temperature', heater: 'C', targetC: 40 })).toMatchObject({
      kind: 'refuse',
      code: 'refused-by-safety',
    });
    expect(plan({ kind: 'set-temperature', heater: 'T1', targetC: 200 })).toMatchObject({
      kind: 'refuse',
      code: 'refused-by-safety',
    });
  });

  it('refuses to extrude with a cold hotend, as Marlin would, and extrudes relative when hot', () => {
    expect(plan({ kind: 'extrude', tool: 0, amountMm: 5 })).toMatchObject({
      kind: 'refuse',
      code: 'refused-by-safety',
    });
    const hot = context({}, [{ heater: 'T0', actualC: 205, targetC: 205 }]);
    expect(plan({ kind: 'extrude', tool: 0, amountMm: -2, feedrate: 600 }, hot)).toMatchObject({
      lines: ['M83', 'G1 E-2 F600'],
      motion: true,
    });
    expect(plan({ kind: 'extrude', tool: 1, amountMm: 5 }, hot)).toMatchObject({ kind: 'refuse' });
  });

  it('turns fans on at a PWM value or off', () => {
    expect(plan({ kind: 'fan', index: 0, speed: 0.5 })).toMatchObject({ lines: ['M106 P0 S128'] });
    expect(plan({ kind: 'fan', index: 1, speed: 0 })).toMatchObject({ lines: ['M107 P1'] });
  });

  it('re-checks terminal lines for the role, with the caps for everyone', () => {
    expect(plan({ kind: 'terminal', line: 'M115' })).toEqual({
      kind: 'gcode',
      lines: ['M115'],
      output: true,
      motion: false,
    });
    expect(plan({ kind: 'terminal', line: 'M104 S999' })).toMatchObject({ kind: 'refuse', code: 'refused-by-safety' });
    expect(plan({ kind: 'terminal', line: 'M104 S999' }, context({ role: 'admin' }))).toMatchObject({
      kind: 'refuse',
      code: 'refused-by-safety',
    });
    expect(plan({ kind: 'terminal', line: 'm140 s4e2' }, context({ role: 'admin' }))).toMatchObject({
      kind: 'refuse',
      code: 'refused-by-safety',
    });
    // EEPROM writes: admins on an idle printer only.
    expect(plan({ kind: 'terminal', line: 'M500' })).toMatchObject({ kind: 'refuse' });
    expect(plan({ kind: 'terminal', line: 'M500' }, context({ role: 'admin' }))).toMatchObject({
      kind: 'gcode',
      lines: ['M500'],
    });
    expect(plan({ kind: 'terminal', line: 'M500' }, context({ role: 'admin', idle: false }))).toMatchObject({
      kind: 'refuse',
    });
    expect(plan({ kind: 'terminal', line: 'M105' }, context({ role: 'viewer' }))).toMatchObject({
      kind: 'refuse',
      code: 'refused-by-safety',
    });
  });

  it('sends a terminal M112 the emergency way', () => {
    expect(plan({ kind: 'terminal', line: 'M112' })).toEqual({ kind: 'link', action: 'emergency-stop' });
  });

  it('passes link actions through', () => {
    for (const kind of ['connect', 'disconnect', 'pause', 'resume', 'cancel', 'emergency-stop'] as const)
      expect(plan({ kind })).toEqual({ kind: 'link', action: kind });
  });

  it('writes numbers without exponents or trailing zeros', () => {
    expect([
      gcodeNumber(10),
      gcodeNumber(0.1 + 0.2),
      gcodeNumber(-0.0001),
      gcodeNumber(1e-7),
      gcodeNumber(12.5),
    ]).toEqual(['10', '0.3', '0', '0', '12.5']);
  });
});
