/**
 * Liveness lines: keepalive, idle and reset.
 *
 *   busy   `echo:busy: processing`, `echo:busy: paused for user`, `echo:busy: paused for input`,
 *          Prusa `busy: processing`
 *   wait   `wait`                   (Marlin NO_TIMEOUTS, Repetier: idle and waiting)
 *   start  `start`                  (printed by setup() after every reset)
 */
export interface BusyReply {
  reason: string;
  /** The firmware waits for the user (M0/M600/runout): the job is paused on the printer. */
  pausedForUser: boolean;
}

export function parseBusy(line: string): BusyReply | null {
  const match = /^(?:echo:\s*)?busy:\s*(.*)$/i.exec(line);
  if (!match) return null;
  const reason = (match[1] ?? '').trim();
  return { reason, pausedForUser: /paused for (user|input)/i.test(reason) };
}

export function isWait(line: string): boolean {
  return line === 'wait';
}

export function isStart(line: string): boolean {
  return line === 'start';
}
