import { describe, expect, it } from 'vitest';
import { safetyProfileOf } from './profile-safety.js';

describe('safetyProfileOf', () => {
  it('gives every tool its own cap and the shared cap as the lowest', () => {
    expect(safetyProfileOf({ firmware: 'prusa', heaters: { hotendsMaxC: [300, 250], bedMaxC: 120 } })).toEqual({
      firmware: 'prusa',
      heaters: { hotend: { toolCount: 2, maxC: 250, perToolMaxC: { 0: 300, 1: 250 } }, bed: { maxC: 120 } },
    });
  });

  it("maps RepRapFirmware's heater numbers: H0 the bed, H1… the tools", () => {
    const safety = safetyProfileOf({ firmware: 'rrf', heaters: { hotendsMaxC: [280, 260], bedMaxC: 110, chamberMaxC: 60 } });
    expect(safety.firmware).toBe('reprapfirmware');
    expect(safety.rrfHeaters).toEqual({ 0: { kind: 'bed' }, 1: { kind: 'hotend', tool: 0 }, 2: { kind: 'hotend', tool: 1 } });
    expect(safety.heaters.chamber).toEqual({ maxC: 60 });
  });

  it('names the chamber for Klipper only when the profile has one', () => {
    expect(safetyProfileOf({ firmware: 'klipper', heaters: { hotendsMaxC: [300], bedMaxC: 110 } }).klipperHeaters).toBeUndefined();
    expect(safetyProfileOf({ firmware: 'klipper', heaters: { hotendsMaxC: [300], bedMaxC: 110, chamberMaxC: 70 } }).klipperHeaters).toEqual({
      chamber: { kind: 'chamber' },
    });
  });
});
