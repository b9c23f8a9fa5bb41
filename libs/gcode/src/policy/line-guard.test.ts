import { describe, expect, it } from 'vitest';
import { checkLine } from './check-command.js';
import type { GuardContext } from './check-command.js';
import { createLineGuard } from './line-guard.js';
import { context, SINGLE_TOOL } from './test-profiles.js';

const FILE_CONTEXT: GuardContext = { actor: 'file', printerIdle: false, firmwareFlashAllowed: false };

describe('createLineGuard', () => {
  const guard = createLineGuard(SINGLE_TOOL, FILE_CONTEXT);

  it('returns the serial engine guard shape', () => {
    expect(guard('G1 X10 Y10 E0.4')).toEqual({ ok: true });
    expect(guard('M104 S300')).toEqual({ ok: false, code: 'temperature-above-cap', reason: expect.stringContaining('260 °C') });
  });

  it('refuses a line that carries a line break instead of checking only its first part', () => {
    expect(guard('G1 X1\nM104 S300')).toMatchObject({ ok: false, code: 'multiple-lines' });
    expect(guard('M105\rM104 S300')).toMatchObject({ ok: false, code: 'multiple-lines' });
  });

  it('refuses overlong lines', () => {
    expect(guard(`G1 X1${' Y1'.repeat(5000)}`)).toMatchObject({ ok: false, code: 'line-too-long' });
  });

  it.each([
    'G1 X10.5 Y-3 E.42 F1800',
    'N12 G1 X10 Y20*71',
    'G0 F9000 X1 Y2',
    'G2 X10 Y10 I5 J0 E0.3',
    'G1 X10 M104 S300',
    'G1 X10 ; M104 S300',
    'G1 X1e3',
    'G1 S300 X1',
    'g1 x1 y1',
    'G1 X10 (M0) Y1',
    'M104 S3e2',
    'M0',
  ])('decides %j exactly as the full check does', (line) => {
    const full = checkLine(line, context(SINGLE_TOOL, 'file', { printerIdle: false }));
    const fast = guard(line);
    expect(fast.ok).toBe(full.ok);
    if (!full.ok && !fast.ok) expect(fast.code).toBe(full.code);
  });

  it('reads a changing context on every call', () => {
    let idle = false;
    const adminGuard = createLineGuard(SINGLE_TOOL, () => ({ actor: 'admin', printerIdle: idle, firmwareFlashAllowed: false }));
    expect(adminGuard('M500')).toMatchObject({ ok: false, code: 'printer-busy' });
    idle = true;
    expect(adminGuard('M500')).toEqual({ ok: true });
  });

  it('keeps operator moves off the fast path when the allowlist lacks them', () => {
    const strict = createLineGuard({ ...SINGLE_TOOL, operatorAllowlist: ['G28'] }, { actor: 'operator', printerIdle: true, firmwareFlashAllowed: false });
    expect(strict('G1 X10')).toMatchObject({ ok: false, code: 'not-allowlisted' });
    expect(strict('G28')).toEqual({ ok: true });
  });

  it('keeps moves off the fast path when the printer blocks them', () => {
    const blocked = createLineGuard({ ...SINGLE_TOOL, blockedCommands: ['G0'] }, FILE_CONTEXT);
    expect(blocked('G0 X10')).toMatchObject({ ok: false, code: 'blocked-command' });
  });
});
