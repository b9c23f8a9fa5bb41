// Which heater targets a line about to be written sets. The watchdog learns
// targets from temperature reports; if the reports stop just as heating is
// commanded it would never learn that a heater is on, so the worker also
// tells it what it sends. A signal, not the safety check (that is the guard).
import { parseWords } from '@farm/gcode';

const HOTEND = new Set(['M104', 'M109']);
const BED = new Set(['M140', 'M190']);
const CHAMBER = new Set(['M141', 'M191']);

export type CommandedTarget = { readonly heater: string; readonly targetC: number };

export function commandedTargets(command: string): CommandedTarget[] {
  const words = parseWords(command);
  const value = words.params.S ?? words.params.R;
  if (typeof value !== 'number' || !Number.isFinite(value)) return [];
  const targetC = Math.max(0, value);
  if (HOTEND.has(words.name)) {
    const tool = words.params.T;
    return [{ heater: `T${typeof tool === 'number' && Number.isInteger(tool) && tool >= 0 ? tool : 0}`, targetC }];
  }
  if (BED.has(words.name)) return [{ heater: 'B', targetC }];
  if (CHAMBER.has(words.name)) return [{ heater: 'C', targetC }];
  return [];
}
