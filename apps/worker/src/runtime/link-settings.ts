// What the worker derives from a printer profile for the serial side: the
// safety profile the guard enforces, and the protocol engine's settings.
import type { PrinterProfile } from '@farm/contracts';
import type { LinkConfig } from '@farm/serial-protocol';

/** Heater caps keyed by Marlin heater id (T0…, B, C), for the watchdog and the cold-extrusion check. */
export function heaterCapsOf(profile: PrinterProfile): Record<string, number> {
  const caps: Record<string, number> = {};
  profile.heaters.hotendsMaxC.forEach((max, tool) => (caps[`T${tool}`] = max));
  caps.B = profile.heaters.bedMaxC;
  if (profile.heaters.chamberMaxC !== undefined) caps.C = profile.heaters.chamberMaxC;
  return caps;
}

/** SECURITY.md: heaters off after 10 idle minutes unless the profile says otherwise. */
export const DEFAULT_HEATER_IDLE_MINUTES = 10;

/** The profile's part of the heater watchdog's config (the caps come from `heaterCapsOf`). */
export function watchdogSettingsOf(profile: PrinterProfile): { idleTimeoutMs: number } {
  return { idleTimeoutMs: (profile.heaterIdleMinutes ?? DEFAULT_HEATER_IDLE_MINUTES) * 60_000 };
}

function scriptLines(script: string | undefined): string[] {
  if (script === undefined) return [];
  return script
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/;.*$/, '').trim())
    .filter((line) => line !== '');
}

/** Temperatures at least once a second: the history and the watchdog need ≥ 1 Hz. */
export const TEMPERATURE_REPORT_SECONDS = 1;

export function linkSettingsOf(profile: PrinterProfile): Partial<Omit<LinkConfig, 'guard'>> {
  return {
    flowControl: profile.flowControl,
    // The engine's window counts bytes that may sit unacknowledged: the firmware's buffer minus one.
    rxBufferBytes: Math.max(16, profile.receiveBufferBytes - 1),
    temperatureAutoreportSeconds: TEMPERATURE_REPORT_SECONDS,
    temperaturePollMs: TEMPERATURE_REPORT_SECONDS * 1000,
    // Klipper's pseudo-terminal takes long lines and doesn't reset on open; RRF doesn't reset either.
    ...(profile.firmware === 'klipper' ? { maxLineBytes: 0, bootWaitMs: 0 } : {}),
    ...(profile.firmware === 'rrf' ? { bootWaitMs: 0 } : {}),
    scripts: {
      pause: scriptLines(profile.scripts.pause),
      resume: scriptLines(profile.scripts.resume),
      cancel: scriptLines(profile.scripts.cancel),
    },
  };
}
