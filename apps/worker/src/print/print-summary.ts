import type { JobResult } from '@farm/serial-protocol';

/** What the print command reports at the end, as text or as JSON. */
export interface PrintSummary {
  result: JobResult['status'] | 'not_connected';
  /** Stable code for a failure or interruption (`temperature-above-cap`, `disconnected`, …). */
  code?: string;
  reason?: string;
  /** File lines the firmware acknowledged. */
  lines: number;
  seconds: number;
  linesPerSecond: number;
  resends: number;
  timeouts: number;
  flow: string | null;
  /** Where an interrupted or failed print stopped: last acknowledged file line and the byte offset after it. */
  stoppedAt?: { fileLine: number; byteOffset: number } | null;
  cpuSeconds: number;
  maxRssMb: number;
}

export function summaryLine(summary: PrintSummary): string {
  const parts = [
    `${summary.lines} lines`,
    `${summary.seconds.toFixed(1)} s`,
    `${summary.linesPerSecond.toFixed(0)} lines/s`,
    `${summary.resends} resends`,
    `result ${summary.result}${summary.code ? ` (${summary.code})` : ''}`,
  ];
  let text = parts.join(', ');
  if (summary.stoppedAt) text += `, stopped after file line ${summary.stoppedAt.fileLine} (byte ${summary.stoppedAt.byteOffset})`;
  if (summary.reason) text += `: ${summary.reason}`;
  return text;
}

export function linesOf(result: JobResult, acknowledgedLines: number): number {
  switch (result.status) {
    case 'completed':
    case 'cancelled':
      return result.lines;
    case 'failed':
    case 'interrupted':
      return acknowledgedLines;
  }
}
