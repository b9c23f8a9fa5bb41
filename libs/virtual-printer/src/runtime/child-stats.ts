import type { PrinterStats } from './virtual-printer.js';

/**
 * How a printer running in a child process (the CLI) hands its results back:
 * on exit it prints one line per printer, `VP_STATS {json}`, on stdout, and
 * writes the executed commands to the record file if one was given.
 */
export const STATS_LINE_PREFIX = 'VP_STATS ';

export interface ChildPrinterStats extends PrinterStats {
  name: string;
  address: string;
  recordFile: string | undefined;
}

export function formatChildStatsLine(stats: ChildPrinterStats): string {
  return `${STATS_LINE_PREFIX}${JSON.stringify(stats)}`;
}

/** The stats of one printer from a line of the CLI's stdout, or undefined for any other line. */
export function parseChildStatsLine(line: string): ChildPrinterStats | undefined {
  if (!line.startsWith(STATS_LINE_PREFIX)) return undefined;
  return JSON.parse(line.slice(STATS_LINE_PREFIX.length)) as ChildPrinterStats;
}
