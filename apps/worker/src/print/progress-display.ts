/**
 * The print command's progress output. On a terminal one line is redrawn in
 * place, at most `ttyIntervalMs` apart (redrawing on every ack would cost more
 * than the streaming); into a pipe or log file it writes a plain line every
 * `plainIntervalMs`. Time comes from the caller so this stays testable.
 */
export interface PrintProgress {
  /** File lines the firmware acknowledged. */
  lines: number;
  /** Bytes of the file up to the end of the last acknowledged line. */
  bytes: number;
  totalBytes: number;
  resends: number;
}

export interface ProgressDisplayOptions {
  isTty: boolean;
  write: (text: string) => void;
  ttyIntervalMs?: number;
  plainIntervalMs?: number;
}

export class ProgressDisplay {
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private drewTtyLine = false;
  private readonly intervalMs: number;

  constructor(private readonly options: ProgressDisplayOptions) {
    this.intervalMs = options.isTty ? (options.ttyIntervalMs ?? 250) : (options.plainIntervalMs ?? 5000);
  }

  update(progress: PrintProgress, elapsedMs: number): void {
    if (elapsedMs - this.lastDrawAt < this.intervalMs) return;
    this.lastDrawAt = elapsedMs;
    const text = describeProgress(progress, elapsedMs);
    if (this.options.isTty) {
      this.options.write(`\r\x1b[2K${text}`);
      this.drewTtyLine = true;
    } else {
      this.options.write(`${text}\n`);
    }
  }

  /** Clears the redrawn line so the summary starts on a clean one. */
  finish(): void {
    if (this.drewTtyLine) this.options.write('\r\x1b[2K');
    this.drewTtyLine = false;
  }
}

export function describeProgress(progress: PrintProgress, elapsedMs: number): string {
  const percent = progress.totalBytes > 0 ? (100 * progress.bytes) / progress.totalBytes : 0;
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? progress.lines / seconds : 0;
  return `${percent.toFixed(1)}%  ${progress.lines} lines  ${seconds.toFixed(1)} s  ${rate.toFixed(0)} lines/s  ${progress.resends} resends`;
}
