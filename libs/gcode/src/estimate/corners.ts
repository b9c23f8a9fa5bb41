import { deviationJunctionSq, jerkJunction, safeSpeed, type MoveVector } from './junction.js';
import type { MotionLimits } from './motion-limits.js';

/**
 * Remembers the previous queued move and computes the corner speed into
 * the next one with the active junction model. Reuses its objects: this
 * runs once per move.
 */
export class Corners {
  /** Highest entry speed of the last move given to {@link next}. */
  entry = 0;
  /** Speed that move may start from or stop at when the machine is at rest. */
  stop = 0;
  private valid = false;
  private readonly prev: MoveVector = { nominal: 0, vx: 0, vy: 0, vz: 0, ve: 0 };
  private prevSafe = 0;
  private prevAccel = 0;
  private prevDistance = 0;
  private prevXyz = false;

  /** The machine stopped: the next move starts from rest. */
  reset(): void {
    this.valid = false;
  }

  /** Computes `entry`/`stop` for `cur`, then remembers it as the previous move. */
  next(limits: MotionLimits, cur: MoveVector, hasXyz: boolean, accel: number, distance: number): void {
    if (limits.junction === 'jerk') {
      const safe = safeSpeed(cur, limits.maxJerk);
      this.stop = safe;
      this.entry = this.valid ? jerkJunction(this.prev, this.prevSafe, cur, safe, limits.maxJerk) : safe;
    } else {
      this.stop = 0;
      this.entry = this.valid && hasXyz && this.prevXyz ? this.deviationEntry(limits, cur, accel, distance) : 0;
    }
    const prev = this.prev;
    prev.nominal = cur.nominal;
    prev.vx = cur.vx;
    prev.vy = cur.vy;
    prev.vz = cur.vz;
    prev.ve = cur.ve;
    this.prevSafe = this.stop;
    this.prevAccel = accel;
    this.prevDistance = distance;
    this.prevXyz = hasXyz;
    this.valid = true;
  }

  private deviationEntry(limits: MotionLimits, cur: MoveVector, accel: number, distance: number): number {
    const prev = this.prev;
    // Math.hypot is several times slower than sqrt in V8.
    const prevSpeedSq = prev.vx * prev.vx + prev.vy * prev.vy + prev.vz * prev.vz;
    const curSpeedSq = cur.vx * cur.vx + cur.vy * cur.vy + cur.vz * cur.vz;
    const cos = (prev.vx * cur.vx + prev.vy * cur.vy + prev.vz * cur.vz) / Math.sqrt(prevSpeedSq * curSpeedSq);
    const deviation =
      limits.junction === 'square-corner'
        ? (limits.squareCornerVelocity * limits.squareCornerVelocity * (Math.SQRT2 - 1)) / limits.printAcceleration
        : limits.junctionDeviation;
    const sq = deviationJunctionSq(cos, deviation, this.prevAccel, accel, this.prevDistance, distance);
    return Math.sqrt(Math.min(sq, prev.nominal * prev.nominal, cur.nominal * cur.nominal));
  }
}
