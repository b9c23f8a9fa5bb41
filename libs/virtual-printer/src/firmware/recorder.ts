/**
 * What the printer did, for tests and benchmarks: the commands it executed in
 * order, counters, and host-caused planner underrun.
 *
 * Underrun: time during which motion had stopped (planner empty, no move
 * running) and the firmware had nothing to work on (command queue empty, no
 * command in progress), counted between the first and the last motion command
 * (G0–G3) of the session. Waits the firmware causes itself (M109, G4, G28,
 * M400, processing time) keep a command in progress, so they never count.
 * Gaps are held as "pending" until the next motion command arrives, so the
 * idle time after the last move (end of print, host polling) is not counted.
 */
export interface ExecutedCommand {
  /** Clean command text: no line number, no checksum, no comment. */
  command: string;
  lineNumber: number | undefined;
  /** Host milliseconds (clock of the driver) when the firmware executed it. */
  at: number;
  /**
   * The firmware answered "Unknown command". After a receive overflow or a
   * line error, the tail of a line still on the wire arrives without its N
   * and Marlin executes it as an unnumbered command (seen on real hardware).
   */
  unknown?: true;
}

export interface PrinterCounters {
  linesReceived: number;
  commandsExecuted: number;
  checksumErrors: number;
  lineNumberErrors: number;
  missingChecksumErrors: number;
  resendsRequested: number;
  bytesReceived: number;
  bytesDroppedOverflow: number;
  oksSent: number;
  resets: number;
  unknownCommands: number;
}

export interface UnderrunStats {
  totalMs: number;
  episodes: number;
  longestMs: number;
}

export class Recorder {
  readonly executed: ExecutedCommand[] = [];
  readonly counters: PrinterCounters = {
    linesReceived: 0,
    commandsExecuted: 0,
    checksumErrors: 0,
    lineNumberErrors: 0,
    missingChecksumErrors: 0,
    resendsRequested: 0,
    bytesReceived: 0,
    bytesDroppedOverflow: 0,
    oksSent: 0,
    resets: 0,
    unknownCommands: 0,
  };
  private readonly underrun: UnderrunStats = { totalMs: 0, episodes: 0, longestMs: 0 };
  private starvedSince: number | undefined;
  private pendingMs = 0;
  private pendingEpisodes = 0;
  private pendingLongest = 0;
  private sawMotion = false;

  constructor(private readonly keepExecuted: boolean) {}

  commandExecuted(command: string, lineNumber: number | undefined, at: number): void {
    this.counters.commandsExecuted++;
    if (this.keepExecuted) this.executed.push({ command, lineNumber, at });
  }

  /** The command just executed was answered "Unknown command". */
  markLastUnknown(): void {
    const last = this.executed.at(-1);
    if (last) last.unknown = true;
  }

  /** Called after every simulation step with whether the firmware is starved at `now`. */
  observe(starved: boolean, now: number): void {
    if (starved) {
      this.starvedSince ??= now;
      return;
    }
    this.closeGap(now);
  }

  /** A command entered the queue; motion commands settle the gaps before them. */
  commandQueued(isMotion: boolean, now: number): void {
    this.closeGap(now);
    if (!isMotion) return;
    if (this.sawMotion) {
      this.underrun.totalMs += this.pendingMs;
      this.underrun.episodes += this.pendingEpisodes;
      this.underrun.longestMs = Math.max(this.underrun.longestMs, this.pendingLongest);
    }
    this.sawMotion = true;
    this.pendingMs = 0;
    this.pendingEpisodes = 0;
    this.pendingLongest = 0;
  }

  /** A reset or halt ends the session: nothing before it may count against the next one. */
  sessionEnded(): void {
    this.starvedSince = undefined;
    this.pendingMs = 0;
    this.pendingEpisodes = 0;
    this.pendingLongest = 0;
    this.sawMotion = false;
  }

  underrunStats(): UnderrunStats {
    return { ...this.underrun };
  }

  private closeGap(now: number): void {
    if (this.starvedSince === undefined) return;
    const gap = now - this.starvedSince;
    this.starvedSince = undefined;
    if (gap <= 0) return;
    this.pendingMs += gap;
    this.pendingEpisodes++;
    this.pendingLongest = Math.max(this.pendingLongest, gap);
  }
}
