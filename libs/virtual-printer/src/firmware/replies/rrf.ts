import type { Position, ReplyStyle, TemperatureContext, Temperatures } from './reply-style.js';

/**
 * RepRapFirmware 3.x on its USB port (Marlin-compatible mode): no reset on
 * open so no banner, no busy keepalive, no temperature lines while heating
 * (long commands just delay their `ok`), M105 answered on the ok line:
 *
 *   ok T:25.0 /0.0 T0:25.0 /0.0 B:25.0 /0.0
 *   FIRMWARE_NAME: RepRapFirmware for Duet 3 MB6HC FIRMWARE_VERSION: 3.5.2 ...
 *
 * The unknown-command and emergency-stop wordings are not verified against a recording.
 */
function one(x: number): string {
  return x.toFixed(1);
}

export const rrfReplies: ReplyStyle = {
  supportsAdvancedOk: false,
  sendsBusy: false,
  heaterWaitReports: false,
  banner: () => [],
  temperatures(t: Temperatures, context: TemperatureContext): string {
    const core = `T:${one(t.hotend.temp)} /${one(t.hotend.target)} T0:${one(t.hotend.temp)} /${one(t.hotend.target)} B:${one(t.bed.temp)} /${one(t.bed.target)}`;
    return context.kind === 'm105' ? `ok ${core}` : core;
  },
  firmwareInfo: () => ({
    lines: [
      'FIRMWARE_NAME: RepRapFirmware for Duet 3 MB6HC FIRMWARE_VERSION: 3.5.2 ELECTRONICS: Duet 3 MB6HC v1.01 or later FIRMWARE_DATE: 2024-06-11 14:00:00',
    ],
    okIncluded: false,
  }),
  position: (p: Position) => [
    `X:${p.X.toFixed(3)} Y:${p.Y.toFixed(3)} Z:${p.Z.toFixed(3)} E:${p.E.toFixed(3)} E0:${p.E.toFixed(1)} Count ${Math.round(p.X * 80)} ${Math.round(p.Y * 80)} ${Math.round(p.Z * 400)} Machine ${p.X.toFixed(3)} ${p.Y.toFixed(3)} ${p.Z.toFixed(3)} Bed comp 0.000`,
  ],
  unknownCommand: (command: string) => [`Error: Unsupported command: ${command}`],
  busy: (reason) => `busy: ${reason}`,
  halted: (cause) => (cause === 'thermal-runaway' ? ['Error: Heater 1 fault: temperature rising much more slowly than the expected 2.0°C/sec', 'Emergency Stop! Reset the controller to continue.'] : ['Emergency Stop! Reset the controller to continue.']),
  whileHalted: () => [],
  runout: () => ['Error: Filament error on extruder 0: noFilament'],
};
