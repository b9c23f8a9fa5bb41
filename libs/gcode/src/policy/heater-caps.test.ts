import { describe, expect, it } from 'vitest';
import { checkCommand } from './check-command.js';
import type { Actor, RefusalCode } from './policy.types.js';
import { context, SINGLE_TOOL, TWO_TOOLS_WITH_CHAMBER } from './test-profiles.js';

const ACTORS: Actor[] = ['operator', 'admin', 'file', 'system'];

function codeFor(line: string, actor: Actor = 'admin', profile = SINGLE_TOOL): RefusalCode | 'ok' {
  const result = checkCommand(line, context(profile, actor));
  return result.ok ? 'ok' : result.code;
}

describe('heater caps (hotend 260 °C, bed 110 °C, one tool, no chamber)', () => {
  it.each([
    'M104 S300',
    'm104 s+300',
    'M104 S3e2',
    'M104 S3E2',
    'M104 S0300',
    'M104 S300.',
    'M104 S 300',
    'M104S300',
    'M104 S\t300',
    'N5 M104 S300*12',
    'n5 m104 s300*12',
    'M104 S0x12C', // strtod reads hex
    'M104 S200 S300', // duplicate parameter: some parsers take the first, others the last
    'M104 (S300) S200', // Prusa-Firmware finds S anywhere; Marlin reads it without PAREN_COMMENTS
    '(ignored) M104 S300',
    'M104 S200 B300', // AUTOTEMP maximum
    'M109 R300',
    'M109 S200 B300',
    'M109 F S180 B300',
    'M104.1 S300', // Prusa XL preheat subcode
    'M104 T0 S300',
    'G1 X10 M104 S300', // RRF/Smoothieware run a second command on the same line
    'G1X10M104S300',
    'M140 S150',
    'M140 S1.5e2',
    'M190 R150',
    'M190 S150',
    'G10 P0 S300', // RRF tool active temperature
    'G10 P0 R300', // RRF tool standby temperature
    'G10 P0 S200:300', // RRF colon list
    'M568 P0 S300',
    'M568 P0 R200:300',
    'SET_HEATER_TEMPERATURE HEATER=extruder TARGET=300',
    'set_heater_temperature heater=extruder target=300',
    'SET_HEATER_TEMPERATURE HEATER=heater_bed TARGET=150',
    'SET_HEATER_TEMPERATURE HEATER="extruder" TARGET="300"',
    'SET_HEATER_TEMPERATURE HEATER=extruder TARGET=200 TARGET=300',
    'TEMPERATURE_WAIT SENSOR=extruder MINIMUM=300',
    'M303 E0 S300',
    'M303 E-1 S150',
    'M303 S300 C8',
    'PID_CALIBRATE HEATER=extruder TARGET=300',
    'G26 H300',
    'G26 B150',
    'M145 S0 H300 B60',
    'PRINT_START EXTRUDER_TEMP=300 BED_TEMP=60',
    'PRINT_START BED=150',
    'PRINT_START EXTRUDER=300',
    'M104 \u017f300', // Klipper upper-cases the long s to S
    '\u017fET_HEATER_TEMPERATURE HEATER=extruder TARGET=300',
    'N5 N6 M104 S300', // a second line number must not hide the command
    'M117 x\nM104 S300',
  ])('refuses %j above the cap for every role', (line) => {
    for (const actor of ACTORS) expect(codeFor(line, actor), `${actor}: ${line}`).toBe('temperature-above-cap');
  });

  it.each([
    'M104 S{200+100}', // RRF expression
    'M104 SINF',
    'M104 Snan',
    'M104 S1e999',
    'M104 S"300"',
    'SET_HEATER_TEMPERATURE HEATER=extruder TARGET=inf',
    'SET_HEATER_TEMPERATURE HEATER=extruder TARGET=3_00', // Python float() reads 300
    'SET_HEATER_TEMPERATURE HEATER=extruder TARGET=0x12C',
    'SET_HEATER_TEMPERATURE HEATER=extruder TARGET=\uff13\uff10\uff10', // full-width digits: float() reads 300
    'M104 S\uff13\uff10\uff10',
    'M104 S\u00a0300', // Python strips the no-break space
    'M104 S300_0',
    'M109 I1', // material preset: the temperature lives in the printer
    'M140 I0',
    'M190 I2',
    'PRINT_START MATERIAL_TEMP={x}',
    'G26 I1',
  ])('refuses %j because the temperature cannot be verified', (line) => {
    expect(codeFor(line)).toBe('unverifiable-temperature');
  });

  it.each([
    'M104 T1 S200',
    'M104 T7 S200',
    'M109 T-1 S200',
    'M104 T1.5 S200',
    'M141 S40', // no chamber in the profile
    'M191 R40',
    'M140 P1 S60', // second bed
    'M140 H3 S60', // RRF heater number without a mapping
    'G10 P3 S200',
    'SET_HEATER_TEMPERATURE HEATER=extruder1 TARGET=200',
    'SET_HEATER_TEMPERATURE HEATER=chamber TARGET=40',
    'SET_HEATER_TEMPERATURE TARGET=200',
    'M303 E-2 S60',
  ])('refuses %j for a heater the profile does not know', (line) => {
    expect(codeFor(line)).toBe('unknown-heater');
  });

  it.each([
    'M104 S200',
    'M104 S260',
    'M104 S200 ; S300 comment',
    'M109 S215',
    'M109 R200',
    'M140 S60',
    'M190 S110',
    'N7 M104 S210*99',
    'M104 S0',
    'M104 T5 S0', // turning an unknown heater off is harmless (OctoPrint cancel scripts send M104 T<n> S0)
    'M141 S0',
    'M104 S-273.15',
    'SET_HEATER_TEMPERATURE HEATER=extruder TARGET=210',
    'SET_HEATER_TEMPERATURE HEATER=heater_bed',
    'TEMPERATURE_WAIT SENSOR=extruder MINIMUM=200 MAXIMUM=220',
    'M117 Heating to S300', // display text is not a parameter
    'G1 X10 Y10 S300', // S on a move is not a temperature
    'SET_TEMPERATURE_FAN_TARGET TEMPERATURE_FAN=chamber_fan TARGET=40', // a fan target, not a heater
    'LOAD_FILAMENT EXTRUDER=extruder1 LENGTH=100', // names a heater, sets nothing
  ])('allows %j within the caps', (line) => {
    expect(codeFor(line)).toBe('ok');
  });
});

describe('heater caps with several tools, a chamber and RRF heater numbers', () => {
  const profile = TWO_TOOLS_WITH_CHAMBER;
  it('uses each tool its own cap', () => {
    expect(codeFor('M104 T1 S290', 'admin', profile)).toBe('ok');
    expect(codeFor('M104 T0 S290', 'admin', profile)).toBe('temperature-above-cap');
    expect(codeFor('G10 P1 S290 R180', 'admin', profile)).toBe('ok');
  });
  it('holds a line without a tool index to the strictest tool cap', () => {
    expect(codeFor('M104 S290', 'admin', profile)).toBe('temperature-above-cap');
    expect(codeFor('M104 S250', 'admin', profile)).toBe('ok');
  });
  it('checks every tool index a line names', () => {
    expect(codeFor('M104 T1 T0 S290', 'admin', profile)).toBe('temperature-above-cap');
    expect(codeFor('G10 P0 P1 S290', 'admin', profile)).toBe('temperature-above-cap');
  });
  it('caps the chamber and resolves RRF heater numbers', () => {
    expect(codeFor('M141 S90', 'admin', profile)).toBe('temperature-above-cap');
    expect(codeFor('M191 S50', 'admin', profile)).toBe('ok');
    expect(codeFor('M140 H0 S100', 'admin', profile)).toBe('ok');
    expect(codeFor('M303 H1 S270', 'admin', profile)).toBe('temperature-above-cap');
    expect(codeFor('M303 T1 S270', 'admin', profile)).toBe('ok');
    expect(codeFor('SET_HEATER_TEMPERATURE HEATER=chamber TARGET=90', 'admin', profile)).toBe('temperature-above-cap');
    expect(codeFor('TEMPERATURE_WAIT SENSOR="heater_generic chamber" MINIMUM=45', 'admin', profile)).toBe('ok');
  });
});

describe('profiles without usable caps', () => {
  it('treats a missing or invalid cap as an unknown heater', () => {
    const broken = { firmware: 'marlin' as const, heaters: { hotend: { toolCount: 1, maxC: Number.NaN } } };
    expect(codeFor('M104 S200', 'admin', broken)).toBe('unknown-heater');
    expect(codeFor('M140 S60', 'admin', broken)).toBe('unknown-heater');
    expect(codeFor('M104 S0', 'admin', broken)).toBe('ok');
  });
});
