// The line `npm start` prints once the host agent runs: what printers to
// expect. The agent decides at its own start whether real ports exist, so
// this says what its setting means rather than guessing the outcome. Pure.
import type { LaunchEnv } from './plan.js';

export function describeAgent(env: LaunchEnv): string {
  const setting = env.AGENT_VIRTUAL_PRINTERS?.trim().toLowerCase() || 'auto';
  const start = 'host agent: running as host "local"';
  const adopt = 'adopt them through GET /api/ports (README: "Your first printers")';
  if (setting === 'auto') {
    return `${start}: three virtual printers (prusa, ender, klipper) when no real printer is attached, else the real serial ports; ${adopt}`;
  }
  if (setting === 'none') return `${start}: real serial ports only (AGENT_VIRTUAL_PRINTERS=none); ${adopt}`;
  const kinds = setting.split(',').map((kind) => kind.trim());
  return `${start}: ${kinds.length} virtual printer(s) (${kinds.join(', ')}) and any real serial ports; ${adopt}`;
}
