// The profile's cap for one heater of a set-temperature control, checked
// before anything is sent (the worker checks the G-code again).
import type { PrinterProfile } from '@farm/contracts';

/** The cap in °C for a Marlin heater name (`T0`…`T7`, `B`, `C`), or null if the printer has no such heater. */
export function heaterCapC(profile: PrinterProfile, heater: string): number | null {
  const caps = profile.heaters;
  if (heater === 'B') return caps.bedMaxC;
  if (heater === 'C') return caps.chamberMaxC ?? null;
  const tool = /^T([0-7])$/.exec(heater);
  if (!tool) return null;
  return caps.hotendsMaxC[Number(tool[1])] ?? null;
}

export type TargetCheck = { ok: true } | { ok: false; message: string };

export function checkTargetTemperature(profile: PrinterProfile, heater: string, targetC: number): TargetCheck {
  const cap = heaterCapC(profile, heater);
  if (cap === null) return { ok: false, message: `This printer has no heater ${heater}.` };
  if (targetC > cap)
    return { ok: false, message: `${targetC} °C is above this printer's limit of ${cap} °C for heater ${heater}.` };
  return { ok: true };
}
