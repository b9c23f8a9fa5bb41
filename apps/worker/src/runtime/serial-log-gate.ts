// What of the serial conversation reaches the live serial log: the emergency
// stop always; file lines never while streaming (hundreds a second); replies
// and commands within a per-second budget, the rest summed up as "N lines
// skipped" when the next second opens.
import { flushLog, initialLogLimiter, limitLog, type LogLimiterState } from './rate-limiter.js';

export type SerialDirection = 'sent' | 'received';
export type SerialLogSink = (direction: SerialDirection, text: string, at: number) => void;

export const LOG_LINES_PER_SECOND = 50;

export class SerialLogGate {
  #limiter: LogLimiterState = initialLogLimiter;

  constructor(
    private readonly sink: SerialLogSink,
    private readonly linesPerSecond = LOG_LINES_PER_SECOND,
  ) {}

  /** A line crossed the wire; `streaming` while a job's file lines are being sent. */
  line(direction: SerialDirection, text: string, at: number, streaming: boolean): void {
    if (direction === 'sent' && /\bM112\b/.test(text)) {
      this.sink(direction, text, at);
      return;
    }
    if (direction === 'sent' && streaming) return;
    const decision = limitLog(this.#limiter, text, at, this.linesPerSecond);
    this.#limiter = decision.state;
    for (const line of decision.emit) this.sink(line === text ? direction : 'received', line, at);
  }

  /** Called every second: reports the lines the last window skipped, if nothing else did. */
  flush(now: number): void {
    const flushed = flushLog(this.#limiter, now);
    this.#limiter = flushed.state;
    for (const line of flushed.emit) this.sink('received', line, now);
  }
}
