import type { HaltCause, Position, ReplyStyle, TemperatureContext, Temperatures } from './reply-style.js';

/**
 * Klipper's pseudo-terminal (klippy.serial): no reset, no banner, no line
 * numbers, no busy lines; heaters sorted by G-code id (`B` before `T0`):
 *
 *   ok B:25.0 /0.0 T0:25.0 /0.0
 *   ok FIRMWARE_NAME:Klipper FIRMWARE_VERSION:v0.12.0-...
 *   // Unknown command:"FOO"
 *   !! Shutdown due to M112 command
 */
function one(x: number): string {
  return x.toFixed(1);
}

const HALT_MESSAGES: Record<HaltCause, string> = {
  m112: 'Shutdown due to M112 command',
  'thermal-runaway': 'Heater extruder not heating at expected rate',
  halt: 'MCU shutdown',
};

export const klipperReplies: ReplyStyle = {
  supportsAdvancedOk: false,
  sendsBusy: false,
  heaterWaitReports: true,
  banner: () => [],
  temperatures(t: Temperatures, context: TemperatureContext): string {
    const core = `B:${one(t.bed.temp)} /${one(t.bed.target)} T0:${one(t.hotend.temp)} /${one(t.hotend.target)}`;
    return context.kind === 'm105' ? `ok ${core}` : core;
  },
  firmwareInfo: () => ({ lines: ['ok FIRMWARE_NAME:Klipper FIRMWARE_VERSION:v0.12.0-000-gvirtual'], okIncluded: true }),
  position: (p: Position) => [`X:${p.X.toFixed(3)} Y:${p.Y.toFixed(3)} Z:${p.Z.toFixed(3)} E:${p.E.toFixed(3)}`],
  unknownCommand: (command: string) => [`// Unknown command:"${command.split(/\s/)[0]?.toUpperCase() ?? command}"`],
  busy: (reason) => `// ${reason}`,
  halted: (cause: HaltCause) => [`!! ${HALT_MESSAGES[cause]}`],
  whileHalted: (cause: HaltCause) => [`!! ${HALT_MESSAGES[cause]}`, 'ok'],
  runout: () => ['// action:paused'],
};
