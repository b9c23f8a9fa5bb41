// A printer profile's heater caps as the safety policy reads them. Manager
// and worker both check every line with this one mapping, so the two checks
// can never disagree. Pure: the caps come only from the profile an admin
// entered, nothing is defaulted.
import type { FirmwareFlavour, HeaterRef, SafetyProfile } from './safety-profile.js';

/** The parts of a printer profile (@farm/contracts PrinterProfile) the safety policy needs. */
export type ProfileHeaters = {
  readonly firmware: 'marlin' | 'prusa' | 'rrf' | 'klipper';
  readonly heaters: { readonly hotendsMaxC: readonly number[]; readonly bedMaxC: number; readonly chamberMaxC?: number | undefined };
};

const FIRMWARE: Readonly<Record<ProfileHeaters['firmware'], FirmwareFlavour>> = {
  marlin: 'marlin',
  prusa: 'prusa',
  rrf: 'reprapfirmware',
  klipper: 'klipper',
};

export function safetyProfileOf(profile: ProfileHeaters): SafetyProfile {
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
  if (firmware === 'klipper' && caps.chamberMaxC !== undefined) safety.klipperHeaters = { chamber: { kind: 'chamber' } };
  return safety;
}
