/**
 * Host action commands.
 *
 *   Marlin   `//action:pause`, `//action:paused filament_runout 0`, `//action:resume`, `//action:resumed`,
 *            `//action:cancel`, `//action:notification Heating...`, `//action:probe_failed`,
 *            `//action:prompt_begin Filament Runout T0`, `//action:prompt_button Continue`,
 *            `//action:prompt_choice Purge More`, `//action:prompt_show`, `//action:prompt_end`
 *   Klipper  `// action:paused`, `// action:resumed`, `// action:cancel`
 *   Prusa    `//action:uvlo_recovery_ready`, `//action:ready`, `//action:not_ready`
 */
export interface ActionCommand {
  /** The action word, lower-cased: `pause`, `prompt_begin`, … */
  name: string;
  /** The rest of the line (free text, rendered as text only). */
  params: string;
}

export function parseAction(line: string): ActionCommand | null {
  const match = /^\/\/\s*action:\s*(\S+)\s*(.*)$/.exec(line);
  if (!match) return null;
  return { name: (match[1] ?? '').toLowerCase(), params: (match[2] ?? '').trim() };
}
