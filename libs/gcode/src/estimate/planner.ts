import { trapezoidTime } from './trapezoid.js';

/**
 * Look-ahead over a bounded window of moves, the way firmware plans them:
 * a backward pass lowers each entry speed so the machine can still stop at
 * the end of the window, a forward pass lowers it to what acceleration from
 * the previous entry allows; then the oldest half of the window is timed and
 * dropped. Memory is a fixed set of typed arrays (no per-move allocation);
 * each move is planned a few times, so cost per move is constant.
 *
 * Speeds are stored squared (v²) because both passes work in v².
 */
const WINDOW = 128;
const COMMIT = WINDOW / 2;
const MASK = WINDOW - 1; // WINDOW is a power of two

export class Planner {
  private readonly distance = new Float64Array(WINDOW);
  private readonly accel = new Float64Array(WINDOW);
  private readonly peakAccel = new Float64Array(WINDOW);
  private readonly nominalSq = new Float64Array(WINDOW);
  private readonly maxEntrySq = new Float64Array(WINDOW);
  private readonly entrySq = new Float64Array(WINDOW);
  private readonly stopSq = new Float64Array(WINDOW);
  private head = 0;
  private count = 0;
  /** Entry speed² of the oldest queued move, fixed when its predecessor was timed; null after a stop. */
  private firstEntrySq: number | null = null;
  /** Moves ever queued; move n is timed once `timedMoves` passes n. */
  queuedMoves = 0;
  timedMoves = 0;
  /** Seconds of all timed moves plus dwells. */
  elapsed = 0;

  /** The next move index whose start time `onTimed` wants (Infinity: none); checked per move instead of a call. */
  watchIndex = Number.POSITIVE_INFINITY;

  constructor(private readonly onTimed: (moveIndex: number, startSeconds: number) => void = () => {}) {}

  /**
   * Queues one straight move. `maxEntry` is the junction speed limit with
   * the previous move; `stop` the speed the move may start from or end at
   * when the machine is at rest (the jerk-limited "safe speed", or 0);
   * `peakAccel` see {@link trapezoidTime}.
   */
  add(distance: number, nominal: number, accel: number, peakAccel: number, maxEntry: number, stop: number): void {
    if (this.count === WINDOW) this.plan(COMMIT);
    const i = (this.head + this.count) & MASK;
    this.distance[i] = distance;
    this.nominalSq[i] = nominal * nominal;
    this.accel[i] = accel;
    this.peakAccel[i] = peakAccel;
    this.maxEntrySq[i] = Math.min(maxEntry * maxEntry, nominal * nominal);
    this.stopSq[i] = Math.min(stop * stop, nominal * nominal);
    this.count++;
    this.queuedMoves++;
  }

  /** Plans and times everything queued, ending at standstill (before a dwell, homing or a wait). */
  flush(): void {
    if (this.count > 0) this.plan(this.count);
  }

  /** Adds time during which nothing moves; the queue must be flushed first. */
  dwell(seconds: number): void {
    this.flush();
    this.elapsed += seconds;
  }

  private plan(commit: number): void {
    const { distance, accel, nominalSq, maxEntrySq, entrySq, peakAccel, stopSq } = this;
    const last = (this.head + this.count - 1) & MASK;
    // Backward: the last queued move must be able to stop.
    let nextSq = stopSq[last] ?? 0;
    for (let k = this.count - 1; k >= 0; k--) {
      const i = (this.head + k) & MASK;
      const reachable = nextSq + 2 * (accel[i] ?? 0) * (distance[i] ?? 0);
      const limit = maxEntrySq[i] ?? 0;
      nextSq = reachable < limit ? reachable : limit;
      entrySq[i] = nextSq;
    }
    // Forward: from the fixed entry of the oldest move.
    const fixed = this.firstEntrySq ?? stopSq[this.head] ?? 0;
    entrySq[this.head] = Math.min(entrySq[this.head] ?? 0, fixed);
    let prevSq = entrySq[this.head] ?? 0;
    for (let k = 0; k < this.count - 1; k++) {
      const i = (this.head + k) & MASK;
      const j = (i + 1) & MASK;
      const reachable = prevSq + 2 * (accel[i] ?? 0) * (distance[i] ?? 0);
      if ((entrySq[j] ?? 0) > reachable) entrySq[j] = reachable;
      prevSq = entrySq[j] ?? 0;
    }
    for (let k = 0; k < commit; k++) {
      const i = this.head;
      const exitSq = k + 1 < this.count ? (entrySq[(i + 1) & MASK] ?? 0) : (stopSq[i] ?? 0);
      if (this.timedMoves >= this.watchIndex) this.onTimed(this.timedMoves, this.elapsed);
      this.elapsed += trapezoidTime(
        distance[i] ?? 0,
        Math.sqrt(entrySq[i] ?? 0),
        Math.sqrt(exitSq),
        Math.sqrt(nominalSq[i] ?? 0),
        accel[i] ?? 0,
        peakAccel[i] ?? 0,
      );
      this.timedMoves++;
      this.head = (i + 1) & MASK;
      this.firstEntrySq = exitSq;
    }
    this.count -= commit;
    if (this.count === 0) this.firstEntrySq = null;
  }
}
