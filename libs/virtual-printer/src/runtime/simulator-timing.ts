/**
 * How late the simulator's own timer woke against the event time it was set
 * for. The simulation still handles each event at its exact time, but a late
 * wake delays the replies, and the host then sends late: planner underrun a
 * benchmark would blame on the host when the simulator's CPU was the cause.
 * Reported beside underrun so a reader can tell the two apart.
 */
export interface SimulatorTiming {
  /** Timer wake-ups. */
  wakes: number;
  /** The latest wake, ms after its event was due. */
  maxLateMs: number;
  /** Wake-ups more than LATE_WAKE_MS after their event. */
  lateWakes: number;
}

/** Node timers fire up to ~1–2 ms late on a quiet machine; beyond this a real printer would have replied sooner. */
export const LATE_WAKE_MS = 5;

export class SimulatorTimingMeter {
  private wakes = 0;
  private maxLateMs = 0;
  private lateWakes = 0;

  /** A timer set for `dueAt` woke at `now`. */
  woke(dueAt: number, now: number): void {
    const late = Math.max(0, now - dueAt);
    this.wakes += 1;
    if (late > this.maxLateMs) this.maxLateMs = late;
    if (late > LATE_WAKE_MS) this.lateWakes += 1;
  }

  snapshot(): SimulatorTiming {
    return { wakes: this.wakes, maxLateMs: this.maxLateMs, lateWakes: this.lateWakes };
  }
}
