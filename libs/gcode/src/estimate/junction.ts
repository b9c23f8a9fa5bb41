/**
 * Corner speed limits. Each returns the highest speed (mm/s) at which the
 * machine may pass from one move into the next.
 */

/** The move leaving the corner (or arriving at it), described by its nominal speed and per-axis velocity. */
export interface MoveVector {
  /** mm/s along the path. */
  nominal: number;
  /** Signed per-axis velocities at `nominal`: x, y, z, e. */
  vx: number;
  vy: number;
  vz: number;
  ve: number;
}

export interface JerkLimits {
  x: number;
  y: number;
  z: number;
  e: number;
}

/**
 * Speed from standstill that no axis sees as more than its jerk: Marlin's
 * (and PrusaSlicer's) "safe speed": the nominal speed, lowered to the jerk of
 * any axis whose own speed would exceed it.
 */
export function safeSpeed(move: MoveVector, jerk: JerkLimits): number {
  let safe = move.nominal;
  if (Math.abs(move.vx) > jerk.x && jerk.x < safe) safe = jerk.x;
  if (Math.abs(move.vy) > jerk.y && jerk.y < safe) safe = jerk.y;
  if (Math.abs(move.vz) > jerk.z && jerk.z < safe) safe = jerk.z;
  if (Math.abs(move.ve) > jerk.e && jerk.e < safe) safe = jerk.e;
  return safe;
}

/**
 * Classic-jerk junction speed (Marlin 1.x, Prusa firmware, RRF's
 * instantaneous speed change): start from the slower of the two nominal
 * speeds and scale it down until every axis' velocity step is within its
 * jerk. A reversal counts as the larger of the two speeds, not their sum
 * (the axis passes through zero). When both moves could start from rest at
 * this speed anyway, their safe speed is used.
 */
export function jerkJunction(
  prev: MoveVector,
  prevSafe: number,
  next: MoveVector,
  nextSafe: number,
  jerk: JerkLimits,
): number {
  const junction = Math.min(prev.nominal, next.nominal);
  if (!(junction > 0)) return 0;
  const exitScale = junction / prev.nominal;
  const entryScale = junction / next.nominal;
  let factor = 1;
  factor = axisFactor(prev.vx * exitScale, next.vx * entryScale, jerk.x, factor);
  factor = axisFactor(prev.vy * exitScale, next.vy * entryScale, jerk.y, factor);
  factor = axisFactor(prev.vz * exitScale, next.vz * entryScale, jerk.z, factor);
  factor = axisFactor(prev.ve * exitScale, next.ve * entryScale, jerk.e, factor);
  const limited = junction * factor;
  const threshold = limited * 0.99;
  if (prevSafe > threshold && nextSafe > threshold) return nextSafe;
  return limited;
}

function axisFactor(exitSpeed: number, entrySpeed: number, maxJerk: number, factor: number): number {
  const vExit = exitSpeed * factor;
  const vEntry = entrySpeed * factor;
  let step: number;
  if (vExit > vEntry) step = vEntry > 0 || vExit < 0 ? vExit - vEntry : Math.max(vExit, -vEntry);
  else step = vEntry < 0 || vExit > 0 ? vEntry - vExit : Math.max(-vExit, vEntry);
  return step > maxJerk ? (factor * maxJerk) / step : factor;
}

/**
 * Junction-deviation corner speed² (Marlin 2 `M205 J`, and Klipper, whose
 * deviation is square_corner_velocity² · (√2 − 1) / accel). `cosTheta` is
 * the dot product of the two unit direction vectors (1 = straight on).
 * Klipper also caps the speed by the centripetal limit of a short move, so
 * chains of tiny segments approximating a curve do not run faster than the
 * curve would allow; `prevDistance`/`nextDistance` provide that.
 */
export function deviationJunctionSq(
  cosTheta: number,
  deviation: number,
  prevAccel: number,
  nextAccel: number,
  prevDistance: number,
  nextDistance: number,
): number {
  if (cosTheta > 0.999999) return Number.POSITIVE_INFINITY; // straight on
  const junctionCos = -cosTheta;
  const sinHalf = Math.sqrt(Math.max(0.5 * (1 - junctionCos), 0));
  const cosHalf = Math.sqrt(Math.max(0.5 * (1 + junctionCos), 0));
  const oneMinusSin = 1 - sinHalf;
  if (!(oneMinusSin > 0) || !(cosHalf > 0)) return 0; // full reversal
  const r = (sinHalf / oneMinusSin) * deviation;
  const quarterTan = (0.25 * sinHalf) / cosHalf;
  return Math.min(
    r * nextAccel,
    r * prevAccel,
    2 * nextDistance * nextAccel * quarterTan,
    2 * prevDistance * prevAccel * quarterTan,
  );
}
