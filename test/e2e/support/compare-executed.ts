/**
 * Checks rule 3 of the architecture: the commands the printer executed
 * during a job equal the file's commands — none lost, none doubled, order
 * kept. Two kinds of extra entries are allowed in between:
 * - the host's own commands (an `M105` nudge after a lost `ok`, the `M110`
 *   that restarts numbering, auto-report set-up), from this short list;
 * - noise: a line whose `N` was hit by line noise reaches Marlin 2 as an
 *   unnumbered, unchecked line (it only checks lines that start with `N`),
 *   which it rejects as `Unknown command` (`^9047 G1 X1…`). Such a line is
 *   not any command the host sent; the caller bounds how many there may be.
 */
export const HOST_COMMANDS = /^(M105|M110 N0|M115|M114|M27|M113 S\d+|M154 S\d+|M155 S\d+)$/;

export interface Comparison {
  /** Null when the file's commands were executed exactly once each, in order. */
  mismatch: Mismatch | null;
  /** Executed lines that were neither file nor host commands (garbled by noise). */
  noise: string[];
}

export interface Mismatch {
  /** Index in the file's command list where the first difference is. */
  fileIndex: number;
  expected: string | undefined;
  executed: string | undefined;
  /** A few executed commands around the difference, for the failure message. */
  context: string[];
}

export function compareExecuted(fileCommands: readonly string[], executed: readonly string[]): Comparison {
  const known = new Set(fileCommands);
  const noise: string[] = [];
  let j = 0;
  for (let i = 0; i < executed.length; i++) {
    const command = executed[i] ?? '';
    if (j < fileCommands.length && command === fileCommands[j]) {
      j++;
      continue;
    }
    if (HOST_COMMANDS.test(command)) continue;
    if (!known.has(command)) {
      noise.push(command);
      continue;
    }
    return {
      mismatch: { fileIndex: j, expected: fileCommands[j], executed: command, context: executed.slice(Math.max(0, i - 3), i + 3) },
      noise,
    };
  }
  if (j < fileCommands.length) return { mismatch: { fileIndex: j, expected: fileCommands[j], executed: undefined, context: executed.slice(-3) }, noise };
  return { mismatch: null, noise };
}
