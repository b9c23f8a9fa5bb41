import { describe, expect, it } from 'vitest';
import { checkCommand } from './check-command.js';
import type { Actor, PolicyContext, RefusalCode } from './policy.types.js';
import type { SafetyProfile } from './safety-profile.js';
import { context, SINGLE_TOOL } from './test-profiles.js';

function decide(line: string, actor: Actor, extra: Partial<PolicyContext> = {}, profile: SafetyProfile = SINGLE_TOOL): RefusalCode | 'ok' {
  const result = checkCommand(line, context(profile, actor, extra));
  return result.ok ? 'ok' : result.code;
}
const busy = { printerIdle: false };

describe('blocked commands', () => {
  it.each(['M0', 'M1', 'm0', 'M1 S5', 'M0 ; wait', 'N3 M1*34', 'G1 X1 M0'])('refuses %j for every role by default', (line) => {
    for (const actor of ['operator', 'admin', 'file', 'system'] as const) expect(decide(line, actor)).toBe('blocked-command');
  });
  it('follows the per-printer list', () => {
    const profile = { ...SINGLE_TOOL, blockedCommands: ['M600'] };
    expect(decide('M0', 'admin', {}, profile)).toBe('ok');
    expect(decide('M600', 'file', {}, profile)).toBe('blocked-command');
  });
  it.each(['M42 P4 S255', 'M42 I P4 S255', 'M43', 'M226 P4 S1', 'M260 A5 B1', 'M3 S1000', 'M4', 'M5', 'M7', 'M8', 'M9', 'SET_PIN PIN=caselight VALUE=1', 'RUN_SHELL_COMMAND CMD=backup', 'M24', 'M32 !job.gco', 'M98 P"heat.g"', 'SDCARD_PRINT_FILE FILENAME=x.gcode', 'M23 job.gco M24'])(
    'refuses raw pins, shell and printing from the card (%j) even for admins',
    (line) => {
      expect(decide(line, 'admin')).toBe('blocked-command');
      expect(decide(line, 'operator')).toBe('blocked-command');
      expect(decide(line, 'file')).toBe('blocked-command');
    },
  );
  it('lets an admin enable a blocked command per printer, operators still need the allowlist', () => {
    const profile = { ...SINGLE_TOOL, adminAllow: ['SET_PIN'] };
    expect(decide('SET_PIN PIN=caselight VALUE=1', 'admin', {}, profile)).toBe('ok');
    expect(decide('SET_PIN PIN=caselight VALUE=1', 'operator', {}, profile)).toBe('not-allowlisted');
    expect(decide('SET_PIN PIN=caselight VALUE=1', 'operator', {}, { ...profile, operatorAllowlist: ['SET_PIN'] })).toBe('ok');
  });
});

describe('operator terminal (allowlist-based)', () => {
  it.each(['G28', 'G1 X10 Y10 F3000', 'G91', 'M104 S200', 'M140 S60', 'M106 S255', 'M107', 'M105', 'M114', 'M115', 'M119', 'M27', 'M503', 'M108', 'M410', 'M112', 'M117 Hello', 'M118 E1 Hello', 'T0', 'M220 S110', 'SET_HEATER_TEMPERATURE HEATER=extruder TARGET=200'])(
    'allows everyday %j',
    (line) => {
      expect(decide(line, 'operator')).toBe('ok');
    },
  );
  it.each(['M500', 'M501', 'M502', 'M504', 'M303 E0 S200', 'M306 T', 'M92 E93', 'M301 P1 I2 D3', 'M851 Z-1', 'M906 X800', 'M302 P1', 'M302 S0', 'M211 S0', 'M120', 'SAVE_CONFIG', 'FORCE_MOVE STEPPER=stepper_x DISTANCE=5 VELOCITY=5', 'M997', 'M28 job.gco', 'M30 job.gco'])(
    'refuses restricted %j as admin-only',
    (line) => {
      expect(decide(line, 'operator')).toBe('restricted-command');
    },
  );
  it.each(['G29 T', 'M9999', 'FOO_MACRO', 'M355 S1', 'M600'])('refuses %j when it is not on the allowlist', (line) => {
    const profile = { ...SINGLE_TOOL, operatorAllowlist: ['G28', 'G1'] };
    expect(decide(line, 'operator', {}, profile)).toBe('not-allowlisted');
  });
  it('refuses an unknown macro unless the admin allowlisted it', () => {
    expect(decide('LOAD_FILAMENT', 'operator')).toBe('not-allowlisted');
    expect(decide('LOAD_FILAMENT', 'operator', {}, { ...SINGLE_TOOL, operatorAllowlist: ['LOAD_FILAMENT'] })).toBe('ok');
  });
  it('turns the PSU or steppers off only when no job runs', () => {
    expect(decide('M84', 'operator')).toBe('ok');
    expect(decide('M84', 'operator', busy)).toBe('printer-busy');
    expect(decide('M81', 'operator', busy)).toBe('printer-busy');
  });
  it('restarts after a halt only with an inspection confirmation', () => {
    expect(decide('M999', 'operator')).toBe('inspection-required');
    expect(decide('M999', 'operator', { inspectionConfirmed: true })).toBe('ok');
    expect(decide('FIRMWARE_RESTART', 'operator', { inspectionConfirmed: true })).toBe('ok');
  });
  it('cannot smuggle a refused line inside multi-line input', () => {
    const result = checkCommand('G28\nM104 S200\r\nM500', context(SINGLE_TOOL, 'operator'));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('restricted-command');
      expect(result.line).toBe('M500');
    }
    expect(decide('M105\rM0', 'operator')).toBe('blocked-command');
  });
  it('splits accepted input into the lines to send, dropping comment-only lines', () => {
    const result = checkCommand('G28 ; home\n; just a comment\n\nM104 S200', context(SINGLE_TOOL, 'operator'));
    expect(result).toEqual({ ok: true, lines: [{ line: 'G28 ; home', classes: ['motion'] }, { line: 'M104 S200', classes: ['temperature'] }] });
  });
  it('limits the size of terminal input', () => {
    expect(decide('G28\n'.repeat(40), 'operator')).toBe('too-many-commands');
    expect(decide(`M117 ${'x'.repeat(5000)}`, 'operator')).toBe('line-too-long');
    expect(decide(' ; nothing', 'operator')).toBe('empty-input');
    expect(decide('M105\u0018', 'operator')).toBe('invalid-characters');
    expect(decide('M104 S200\u0000S300', 'operator')).toBe('invalid-characters');
  });
});

describe('admin terminal (blocklist-based)', () => {
  it.each(['M500', 'M502', 'M92 E93', 'M303 E0 S230', 'SAVE_CONFIG', 'M84'])('allows %j on an idle printer but not during a job', (line) => {
    expect(decide(line, 'admin')).toBe('ok');
    expect(decide(line, 'admin', busy)).toBe('printer-busy');
  });
  it('allows unknown dialect commands and macros', () => {
    expect(decide('M9999', 'admin', busy)).toBe('ok');
    expect(decide('MY_MACRO SPEED=5', 'admin', busy)).toBe('ok');
  });
  it('still caps temperatures given through macros', () => {
    expect(decide('MY_MACRO EXTRUDER_TEMP=300', 'admin')).toBe('temperature-above-cap');
  });
  it('writes firmware or SD files only with the server flag, on an idle printer', () => {
    expect(decide('M997', 'admin')).toBe('firmware-flash-disabled');
    expect(decide('M28 test.gco', 'admin')).toBe('firmware-flash-disabled');
    expect(decide('M997', 'admin', { firmwareFlashAllowed: true })).toBe('ok');
    expect(decide('M997', 'admin', { firmwareFlashAllowed: true, printerIdle: false })).toBe('printer-busy');
  });
  it('allows cold extrusion and endstop changes to admins only', () => {
    expect(decide('M302 P1', 'admin')).toBe('ok');
    expect(decide('M211 S0', 'admin')).toBe('ok');
    expect(decide('M211 S0', 'file')).toBe('restricted-command');
  });
});

describe('file lines (what slicers emit)', () => {
  it.each(['G1 X10 Y10 E0.5 F1800', 'M104 S215', 'M109 S215', 'M140 S60', 'M190 S60', 'M106 S255', 'M107', 'M73 P10 R20', 'M117 Layer 2', 'M900 K0.05', 'M204 P1000', 'M205 X8 Y8', 'M220 S100', 'M221 S95', 'M84', 'M600', 'T1 ; not known to a 1-tool profile, but a tool select heats nothing', 'M862.3 P "MK3S"', 'M115 U3.11.0', 'M907 E430', 'M569 S0 E', 'M302 S160', 'EXCLUDE_OBJECT_START NAME=part_1', 'SET_VELOCITY_LIMIT ACCEL=5000', 'M1001'])(
    'allows %j during a print',
    (line) => {
      expect(decide(line, 'file', busy)).toBe('ok');
    },
  );
  it.each(['M500', 'M502', 'M303 E0 S200', 'M92 E93', 'M851 Z-1.2', 'M302 S0', 'M120', 'M997', 'M999', 'SAVE_CONFIG', 'FIRMWARE_RESTART'])('refuses restricted %j', (line) => {
    expect(decide(line, 'file', busy)).toBe('restricted-command');
  });
  it('refuses macros the profile does not declare', () => {
    expect(decide('START_PRINT EXTRUDER_TEMP=210 BED_TEMP=60', 'file')).toBe('unknown-macro');
    const profile = { ...SINGLE_TOOL, knownMacros: ['START_PRINT'] };
    expect(decide('START_PRINT EXTRUDER_TEMP=210 BED_TEMP=60', 'file', {}, profile)).toBe('ok');
    expect(decide('START_PRINT EXTRUDER_TEMP=310 BED_TEMP=60', 'file', {}, profile)).toBe('temperature-above-cap');
  });
});

describe("system (the engine's own scripts)", () => {
  it('keeps caps and blocked commands', () => {
    expect(decide('M104 S300', 'system')).toBe('temperature-above-cap');
    expect(decide('M0', 'system')).toBe('blocked-command');
    expect(decide('M112', 'system', busy)).toBe('ok');
    expect(decide('M410', 'system', busy)).toBe('ok');
  });
  it('runs a cancel script mid-job (heaters off, quick stop, steppers off)', () => {
    for (const line of ['M104 T0 S0', 'M140 S0', 'M106 S0', 'M410', 'M84']) expect(decide(line, 'system', busy)).toBe('ok');
  });
  it('does not change persistent settings during a job', () => {
    expect(decide('M500', 'system', busy)).toBe('printer-busy');
  });
  it('never restarts a halted printer on its own', () => {
    expect(decide('M999', 'system')).toBe('inspection-required');
  });
});

describe('forged printer replies', () => {
  it.each(['M118 ok', 'M118 ok T:200 /200', 'M118 Resend: 5', 'M118 Error:Printer halted', 'M118 //action:cancel', 'M118 A1 action:cancel', 'M118 T:210.0 /210.0 B:60 /60', 'M118 P0 !! fake', 'M118 S"ok"', 'RESPOND TYPE=error MSG="x"', 'RESPOND PREFIX=ok MSG=x'])(
    'refuses %j for every role',
    (line) => {
      for (const actor of ['operator', 'admin', 'file', 'system'] as const) expect(decide(line, actor)).toBe('spoofed-reply');
    },
  );
  it('allows ordinary messages and echo-prefixed ones', () => {
    expect(decide('M118 Layer 3 done', 'file')).toBe('ok');
    expect(decide('M118 E1 ok', 'file')).toBe('ok');
    expect(decide('RESPOND MSG="Layer 3"', 'file')).toBe('ok');
  });
});
