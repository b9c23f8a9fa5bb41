// How long the manager waits for a worker's answer, per command: homing and
// heating may take a minute; everything else answers within seconds.
import type { ControlCommand } from '@farm/contracts';
import { commandSegments } from '@farm/gcode';

export const QUICK_TIMEOUT_MS = 10_000;
export const SLOW_TIMEOUT_MS = 90_000;

/** Terminal commands that wait for heating, homing or probing before the firmware answers `ok`. */
const SLOW_GCODE = new Set([
  'G28',
  'G29',
  'G34',
  'M109',
  'M190',
  'M191',
  'M303',
  'M306',
  'M116',
  'TEMPERATURE_WAIT',
  'BED_MESH_CALIBRATE',
]);

export function controlTimeoutMs(command: ControlCommand): number {
  switch (command.kind) {
    case 'home':
    case 'set-temperature':
    case 'connect':
      return SLOW_TIMEOUT_MS;
    case 'terminal':
      return commandSegments(command.line).some((s) => SLOW_GCODE.has(s.words.name))
        ? SLOW_TIMEOUT_MS
        : QUICK_TIMEOUT_MS;
    case 'disconnect':
    case 'pause':
    case 'resume':
    case 'cancel':
    case 'emergency-stop':
    case 'jog':
    case 'extrude':
    case 'fan':
      return QUICK_TIMEOUT_MS;
  }
}
