// The pure parts of the control area: profile → safety profile, heater caps,
// terminal policy choice, timeouts, and picking our answer off the results stream.
import { describe, expect, it } from 'vitest';
import { STREAM_FIELD, type PrinterProfile } from '@farm/contracts';
import { resultFor } from './control-client.js';
import { controlTimeoutMs, QUICK_TIMEOUT_MS, SLOW_TIMEOUT_MS } from './control-timeouts.js';
import { checkTargetTemperature, heaterCapC } from './heater-limits.js';
import { safetyProfileOf } from '@farm/gcode';
import { decideTerminalLine } from './terminal-policy.js';

const profile = (over: Partial<PrinterProfile> = {}): PrinterProfile => ({
  model: 'Test',
  bed: { kind: 'rectangular', widthMm: 200, depthMm: 200, origin: 'front-left' },
  heightMm: 200,
  nozzleDiameterMm: 0.4,
  heaters: { hotendsMaxC: [250, 300], bedMaxC: 100, chamberMaxC: 60 },
  firmware: 'marlin',
  baudRate: 115200,
  flowControl: 'auto',
  receiveBufferBytes: 128,
  scripts: {},
  tags: [],
  ...over,
});

const printer = { profile: profile(), printerIdle: true, firmwareFlashAllowed: false, inspectionConfirmed: false };

describe('heater caps of a set-temperature control', () => {
  it('finds the cap of each heater and none for heaters the printer lacks', () => {
    const p = profile();
    expect([heaterCapC(p, 'T0'), heaterCapC(p, 'T1'), heaterCapC(p, 'B'), heaterCapC(p, 'C')]).toEqual([
      250, 300, 100, 60,
    ]);
    expect(heaterCapC(p, 'T2')).toBeNull();
    expect(heaterCapC(profile({ heaters: { hotendsMaxC: [250], bedMaxC: 100 } }), 'C')).toBeNull();
    expect(heaterCapC(p, 'X')).toBeNull();
  });

  it('allows the cap itself and refuses anything above, naming the limit', () => {
    expect(checkTargetTemperature(profile(), 'T1', 300)).toEqual({ ok: true });
    const over = checkTargetTemperature(profile(), 'T0', 250.5);
    expect(over.ok).toBe(false);
    expect(!over.ok && over.message).toContain('250 °C');
    expect(checkTargetTemperature(profile(), 'T3', 20).ok).toBe(false);
  });
});

describe('profile as the safety policy reads it', () => {
  it('carries every cap, per tool', () => {
    expect(safetyProfileOf(profile()).heaters).toEqual({
      hotend: { toolCount: 2, maxC: 250, perToolMaxC: { 0: 250, 1: 300 } },
      bed: { maxC: 100 },
      chamber: { maxC: 60 },
    });
  });

  it("maps RepRapFirmware heater numbers to the profile's heaters", () => {
    const rrf = safetyProfileOf(profile({ firmware: 'rrf' }));
    expect(rrf.firmware).toBe('reprapfirmware');
    expect(rrf.rrfHeaters).toEqual({
      0: { kind: 'bed' },
      1: { kind: 'hotend', tool: 0 },
      2: { kind: 'hotend', tool: 1 },
    });
    const onRrf = { ...printer, profile: profile({ firmware: 'rrf' }) };
    // H2 is tool 1 (cap 300), H1 tool 0 (cap 250).
    expect(decideTerminalLine('M104 H2 S280', { mayUseAdminPolicy: false }, onRrf)).toEqual({
      ok: true,
      restricted: false,
    });
    expect(decideTerminalLine('M104 H1 S280', { mayUseAdminPolicy: true }, onRrf)).toMatchObject({
      ok: false,
      code: 'temperature-above-cap',
    });
    expect(decideTerminalLine('M140 H0 S101', { mayUseAdminPolicy: true }, onRrf)).toMatchObject({
      ok: false,
      code: 'temperature-above-cap',
    });
  });
});

describe('terminal policy', () => {
  it('lets allowlisted lines through for everyone without a step-up', () => {
    expect(decideTerminalLine('G28', { mayUseAdminPolicy: false }, printer)).toEqual({ ok: true, restricted: false });
    expect(decideTerminalLine('G28', { mayUseAdminPolicy: true }, printer)).toEqual({ ok: true, restricted: false });
  });

  it('marks lines only the admin blocklist allows as restricted, and refuses them otherwise', () => {
    expect(decideTerminalLine('M500', { mayUseAdminPolicy: true }, printer)).toEqual({ ok: true, restricted: true });
    expect(decideTerminalLine('M500', { mayUseAdminPolicy: false }, printer)).toMatchObject({
      ok: false,
      code: 'restricted-command',
    });
    expect(decideTerminalLine('M500', { mayUseAdminPolicy: true }, { ...printer, printerIdle: false })).toMatchObject({
      ok: false,
      code: 'printer-busy',
    });
  });

  it('applies the heater caps to admins too', () => {
    expect(decideTerminalLine('M104 T1 S3.01e2', { mayUseAdminPolicy: true }, printer)).toMatchObject({
      ok: false,
      code: 'temperature-above-cap',
    });
    expect(decideTerminalLine('M141 S61', { mayUseAdminPolicy: true }, printer)).toMatchObject({
      ok: false,
      code: 'temperature-above-cap',
    });
  });
});

describe('control timeouts', () => {
  it('waits longer for homing, heating and lines that wait on them', () => {
    expect(controlTimeoutMs({ kind: 'home', axes: [] })).toBe(SLOW_TIMEOUT_MS);
    expect(controlTimeoutMs({ kind: 'set-temperature', heater: 'B', targetC: 60 })).toBe(SLOW_TIMEOUT_MS);
    expect(controlTimeoutMs({ kind: 'terminal', line: 'm109 s200' })).toBe(SLOW_TIMEOUT_MS);
    expect(controlTimeoutMs({ kind: 'terminal', line: 'M105' })).toBe(QUICK_TIMEOUT_MS);
    expect(controlTimeoutMs({ kind: 'pause' })).toBe(QUICK_TIMEOUT_MS);
  });
});

describe('results stream entries', () => {
  const entry = (value: unknown) => [STREAM_FIELD, typeof value === 'string' ? value : JSON.stringify(value)];
  const result = { requestId: 'req-12345', printerId: 'p1', at: 1, outcome: { ok: true, output: ['ok'] } };

  it('accepts only a well-formed answer to this request for this printer', () => {
    expect(resultFor(entry(result), 'req-12345', 'p1')).toEqual(result);
    expect(resultFor(entry(result), 'req-other', 'p1')).toBeNull();
    expect(resultFor(entry(result), 'req-12345', 'p2')).toBeNull();
    expect(resultFor(entry({ ...result, outcome: { ok: 'yes' } }), 'req-12345', 'p1')).toBeNull();
    expect(resultFor(entry('{broken'), 'req-12345', 'p1')).toBeNull();
    expect(resultFor(['other', JSON.stringify(result)], 'req-12345', 'p1')).toBeNull();
  });
});
