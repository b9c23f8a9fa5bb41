// The printer profile as the G-code safety policy reads it. Pure mapping: the
// caps come only from the profile (entered by an admin), nothing is defaulted.
import type { PrinterProfile } from '@farm/contracts';
import type { FirmwareFlavour, HeaterRef, SafetyProfile } from '@farm/gcode';

const FIRMWARE: Readonly<Record<PrinterProfile['firmware'], FirmwareFlavour>> = {
  marlin: 'marlin',
  prusa: 'prusa',
  rrf: 'reprapfirmware',
  klipper: 'klipper',
};

export function toSafetyProfile(profile: PrinterProfile): SafetyProfile {
  const caps = profile.heaters;
  const perToolMaxC: Record<number, number> = {};
  caps.hotendsMaxC.forEach((maxC, tool) => (perToolMaxC[tool] = maxC));
  const firmware = FIRMWARE[profile.firmware];
  const safety: SafetyProfile = {
    firmware,
    heaters: {
      // Every tool has its own cap; the shared one is the lowest, should a tool ever lack an entry.
      hotend: { toolCount: caps.hotendsMaxC.length, maxC: Math.min(...caps.hotendsMaxC), perToolMaxC },
      bed: { maxC: caps.bedMaxC },
      ...(caps.chamberMaxC !== undefined ? { chamber: { maxC: caps.chamberMaxC } } : {}),
    },
  };
  if (firmware === 'reprapfirmware') {
    // RepRapFirmware's default heater numbering: H0 is the bed, H1… the tools' heaters.
    const rrfHeaters: Record<number, HeaterRef> = { 0: { kind: 'bed' } };
    caps.hotendsMaxC.forEach((_cap, tool) => (rrfHeaters[tool + 1] = { kind: 'hotend', tool }));
    safety.rrfHeaters = rrfHeaters;
  }
  if (firmware === 'klipper' && caps.chamberMaxC !== undefined)
    safety.klipperHeaters = { chamber: { kind: 'chamber' } };
  return safety;
}
