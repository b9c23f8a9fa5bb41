/**
 * Time to cover `distance` mm starting at speed `entry`, ending at `exit`,
 * cruising at most at `nominal` (all mm/s), accelerating and decelerating at
 * `accel` mm/s² — the trapezoidal profile of Marlin, RepRapFirmware and
 * Klipper. When the move is too short to reach `nominal`, the profile is a
 * triangle whose peak is where the acceleration and deceleration ramps meet.
 *
 * `peakAccel` (≤ accel) limits only that peak: Klipper's accel_to_decel
 * ("minimum cruise ratio") lowers the top speed of short moves without
 * changing the ramps.
 */
export function trapezoidTime(
  distance: number,
  entry: number,
  exit: number,
  nominal: number,
  accel: number,
  peakAccel = accel,
): number {
  if (distance <= 0) return 0;
  if (!(accel > 0) || !Number.isFinite(accel)) return distance / nominal;
  const entrySq = entry * entry;
  const exitSq = exit * exit;
  // Highest speed reachable given both ramps: v² = (u² + w²)/2 + a·d.
  const peakSq = Math.min(nominal * nominal, (entrySq + exitSq) / 2 + peakAccel * distance);
  const peak = Math.sqrt(Math.max(peakSq, entrySq, exitSq));
  const accelDistance = (peak * peak - entrySq) / (2 * accel);
  const decelDistance = (peak * peak - exitSq) / (2 * accel);
  const cruiseDistance = Math.max(0, distance - accelDistance - decelDistance);
  return (peak - entry) / accel + (peak - exit) / accel + cruiseDistance / peak;
}
