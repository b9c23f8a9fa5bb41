import { describe, expect, it } from 'vitest';
import { parseOk, parseResend } from '../src/replies/ack.js';
import { parseAction } from '../src/replies/action.js';
import { parseFirmwareError } from '../src/replies/firmware-error.js';
import { parseCapability, parseFirmwareLine } from '../src/replies/firmware-info.js';
import { parsePosition } from '../src/replies/position.js';
import { parseFirmwareProgress } from '../src/replies/print-progress.js';
import { classifyReply } from '../src/replies/reply.js';
import { parseBusy } from '../src/replies/status.js';
import { parseTemperatures } from '../src/replies/temperature.js';

describe('temperature reports', () => {
  it('reads Marlin auto-reports with heater power', () => {
    expect(parseTemperatures(' T:25.00 /0.00 B:25.00 /0.00 @:0 B@:0')).toEqual({
      heaters: { T0: { actual: 25, target: 0 }, B: { actual: 25, target: 0 } },
      power: { T0: 0, B: 0 },
    });
  });

  it('reads the M109 residency countdown, `?` before it starts', () => {
    expect(parseTemperatures(' T:198.95 /200.00 B:25.00 /0.00 @:75 B@:0 W:9')?.residencySeconds).toBe(9);
    expect(parseTemperatures(' T:25.00 /200.00 B:25.00 /0.00 @:0 B@:0 W:?')?.residencySeconds).toBeNull();
  });

  it('reads `ok T:` replies', () => {
    expect(parseTemperatures('ok T:199.57 /200.00 B:25.00 /0.00 @:74 B@:0')?.heaters.T0).toEqual({ actual: 199.57, target: 200 });
  });

  it('reads several tools and drops the duplicate bare T', () => {
    const report = parseTemperatures('ok T:210.0 /210.0 T0:210.0 /210.0 T1:25.0 /0.0 B:60.0 /60.0 @:127 B@:0 @0:127 @1:0');
    expect(report?.heaters).toEqual({ T0: { actual: 210, target: 210 }, T1: { actual: 25, target: 0 }, B: { actual: 60, target: 60 } });
    expect(report?.power).toEqual({ T0: 127, B: 0, T1: 0 });
  });

  it('puts a bare T on the active tool', () => {
    expect(Object.keys(parseTemperatures('T:200 /200 B:60 /60', 1)?.heaters ?? {})).toEqual(['B', 'T1']);
  });

  it('reads Smoothieware: bare T next to T1 without T0 is T0, `@0` without colon is ignored', () => {
    const report = parseTemperatures('ok T:21.3 /0.0 @0 T1:22.0 /0.0 @0 B:21.1 /0.0 @0');
    expect(report?.heaters).toEqual({ T0: { actual: 21.3, target: 0 }, T1: { actual: 22, target: 0 }, B: { actual: 21.1, target: 0 } });
  });

  it('reads Prusa PINDA and ambient sensors', () => {
    const report = parseTemperatures('T:24.7 /0.0 B:24.3 /0.0 T0:24.7 /0.0 @:0 B@:0 P:23.6 A:31.9');
    expect(report?.heaters).toEqual({
      T0: { actual: 24.7, target: 0 },
      B: { actual: 24.3, target: 0 },
      P: { actual: 23.6, target: null },
      A: { actual: 31.9, target: null },
    });
  });

  it('reads RRF chamber and Klipper bed-first forms', () => {
    expect(parseTemperatures('ok T:22.9 /0.0 B:23.1 /0.0 T0:22.9 /0.0 C:21.0 /45.0')?.heaters.C).toEqual({ actual: 21, target: 45 });
    expect(parseTemperatures('ok B:22.0 /0.0 T0:22.1 /0.0')?.heaters).toEqual({ B: { actual: 22, target: 0 }, T0: { actual: 22.1, target: 0 } });
    expect(parseTemperatures('ok T:0')?.heaters).toEqual({ T0: { actual: 0, target: null } });
  });

  it('reads negative temperatures (disconnected thermistor) and keeps the first occurrence', () => {
    expect(parseTemperatures('T:-14.50 /0.00 B:21.0 /0.00 T:99 /0')?.heaters.T0).toEqual({ actual: -14.5, target: 0 });
  });

  it('is not fooled by M114 Count lines or other text', () => {
    expect(parseTemperatures('X:0.00 Y:0.00 Z:0.00 E:0.00 Count A:0 B:0 C:0')).toBeNull();
    expect(parseTemperatures('echo:Hardcoded Default Settings Loaded')).toBeNull();
  });
});

describe('position, firmware, acks and resend requests', () => {
  it('reads M114 position variants', () => {
    expect(parsePosition('X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0')).toEqual({ x: 0, y: 0, z: 0, e: 0, axes: { X: 0, Y: 0, Z: 0, E: 0 } });
    expect(parsePosition('X: 10.00 Y: 20.00 Z: 0.30 E: 1.20 Count X: 800 Y: 1600 Z: 120')).toMatchObject({ x: 10, y: 20, z: 0.3, e: 1.2 });
    expect(parsePosition('X:1.000 Y:2.000 Z:3.000 E0:4.0 E1:5.0 Count 0 0 0 Machine 0.000 0.000 0.000 Bed comp 0.000')).toMatchObject({ x: 1, e: 4, axes: { E1: 5 } });
    expect(parsePosition('ok X:0.000 Y:0.000 Z:0.000 E:0.000')).toMatchObject({ x: 0 });
    expect(parsePosition('x_min: TRIGGERED')).toBeNull();
  });

  it('reads M115 lines of Marlin, RRF, Smoothieware and Klipper', () => {
    const marlin = parseFirmwareLine(
      'FIRMWARE_NAME:Marlin bugfix-2.1.x (Nov 24 2026 02:05:21) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:3D Printer EXTRUDER_COUNT:1 UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff',
    );
    expect(marlin).toMatchObject({ name: 'Marlin bugfix-2.1.x (Nov 24 2026 02:05:21)', flavor: 'marlin', fields: { MACHINE_TYPE: '3D Printer', EXTRUDER_COUNT: '1' } });
    expect(parseFirmwareLine('FIRMWARE_NAME: RepRapFirmware for Duet 3 MB6HC FIRMWARE_VERSION: 3.5.1 ELECTRONICS: Duet 3 MB6HC v1.01')).toMatchObject({
      name: 'RepRapFirmware for Duet 3 MB6HC',
      flavor: 'reprapfirmware',
      fields: { FIRMWARE_VERSION: '3.5.1' },
    });
    expect(parseFirmwareLine('FIRMWARE_NAME:Smoothieware, FIRMWARE_URL:http%3A//smoothieware.org, FIRMWARE_VERSION:edge-3332442')).toMatchObject({ name: 'Smoothieware', flavor: 'smoothieware' });
    expect(parseFirmwareLine('FIRMWARE_NAME:Prusa-Firmware 3.13.2 based on Marlin FIRMWARE_URL:https://github.com/prusa3d/Prusa-Firmware')?.flavor).toBe('prusa');
    expect(parseCapability('Cap:AUTOREPORT_TEMP:1')).toEqual({ name: 'AUTOREPORT_TEMP', enabled: true });
    expect(parseCapability('Cap:EMERGENCY_PARSER:0')).toEqual({ name: 'EMERGENCY_PARSER', enabled: false });
  });

  it('reads oks with ADVANCED_OK fields, Repetier line numbers and payloads', () => {
    expect(parseOk('ok')).toEqual({ payload: '' });
    expect(parseOk('ok N5001 P15 B3')).toEqual({ lineNumber: 5001, plannerFree: 15, bufferFree: 3, payload: '' });
    expect(parseOk('ok P15 B3')).toEqual({ plannerFree: 15, bufferFree: 3, payload: '' });
    expect(parseOk('ok 137')).toEqual({ lineNumber: 137, payload: '' });
    expect(parseOk('ok T:25.00 /0.00')).toEqual({ payload: 'T:25.00 /0.00' });
    expect(parseOk('okay')).toBeNull();
  });

  it('reads every resend wording', () => {
    for (const line of ['Resend: 23', 'Resend:23', 'Resend: N23', 'Resend: N:23', 'rs 23', 'rs N23', 'rs N23 expected checksum 109', 'RESEND: 23']) {
      expect(parseResend(line), line).toBe(23);
    }
    expect(parseResend('rsomething')).toBeNull();
  });
});

describe('errors, status, actions, progress', () => {
  it('classifies firmware errors by what the host must do', () => {
    const cases: [string, string][] = [
      ['Error:checksum mismatch, Last Line: 5000', 'resend_follows'],
      ['Error:Line Number is not Last Line Number+1, Last Line: 5000', 'resend_follows'],
      ['Error:No Checksum with line number, Last Line: 12', 'resend_follows'],
      ['Error:expected line 1 got 2', 'resend_follows'],
      ['Error:No Line Number with checksum, Last Line: 12', 'no_resend'],
      ['Error:Thermal Runaway, system stopped! Heater_ID: 0', 'fatal'],
      ['Error:Heating failed, system stopped! Heater_ID: E0', 'fatal'],
      ['Error:MAXTEMP triggered, system stopped! Heater_ID: 0', 'fatal'],
      ['Error:MINTEMP triggered, system stopped! Heater_ID: bed', 'fatal'],
      ['Error:Printer halted. kill() called!', 'halted'],
      ['fatal:Heater decoupled', 'fatal'],
      ["!! Lost communication with MCU 'mcu'", 'fatal'],
      ['Error:Printer stopped due to errors. Fix the error and use M999 to restart. (Temperature is reset. Set it after restarting)', 'stopped'],
      ['Error:Probing Failed', 'job_failure'],
      ['Error:volume.init failed', 'ignored'],
      ['!! Move out of range: 0.000 0.000 -5.000 [0.000]', 'warning'],
      ['Error:Something new', 'warning'],
    ];
    for (const [line, expected] of cases) expect(parseFirmwareError(line)?.class, line).toBe(expected);
  });

  it('reads busy keepalives', () => {
    expect(parseBusy('echo:busy: processing')).toEqual({ reason: 'processing', pausedForUser: false });
    expect(parseBusy('busy: paused for user')).toEqual({ reason: 'paused for user', pausedForUser: true });
    expect(parseBusy('echo:busy: paused for input')?.pausedForUser).toBe(true);
  });

  it('reads host action commands with and without a space', () => {
    expect(parseAction('//action:paused filament_runout 0')).toEqual({ name: 'paused', params: 'filament_runout 0' });
    expect(parseAction('// action:cancel')).toEqual({ name: 'cancel', params: '' });
    expect(parseAction('//action:notification Heating...')).toEqual({ name: 'notification', params: 'Heating...' });
    expect(parseAction('// Unknown command:"FOO"')).toBeNull();
  });

  it('reads firmware progress reports', () => {
    expect(parseFirmwareProgress('SD printing byte 1234/56789')).toEqual({ kind: 'sd_bytes', done: 1234, total: 56789 });
    expect(parseFirmwareProgress('Not SD printing')).toEqual({ kind: 'not_sd_printing' });
    expect(parseFirmwareProgress('NORMAL MODE: Percent done: 6; print time remaining in mins: 39; Change in mins: -1')).toEqual({
      kind: 'percent',
      percent: 6,
      remainingMinutes: 39,
      mode: 'normal',
    });
    expect(parseFirmwareProgress('echo:Progress: 50%')).toEqual({ kind: 'percent', percent: 50 });
  });

  it('classifies each line of the recorded Marlin boot and M119 transcript', () => {
    const kinds = [
      'start',
      'Marlin bugfix-2.1.x',
      'echo: Last Updated: 2023-01-07 | Author: (none, default config)',
      'echo:  M301 P22.20 I1.08 D114.00',
      'Reporting endstop status',
      'x_min: TRIGGERED',
      'wait',
    ].map((line) => classifyReply(line).kind);
    expect(kinds).toEqual(['start', 'message', 'message', 'message', 'message', 'message', 'wait']);
  });
});
