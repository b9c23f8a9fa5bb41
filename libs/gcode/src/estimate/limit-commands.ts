import { klipperNumbers } from './klipper-params.js';
import type { AxisValues, MotionLimits } from './motion-limits.js';

type Params = Record<string, number | true>;

/**
 * Applies a command that changes machine limits, with each firmware's
 * units and meaning:
 * - `M201` per-axis max acceleration (mm/s² everywhere);
 * - `M203` per-axis max feedrate (mm/s in Marlin, mm/min in RRF);
 * - `M204` accelerations: Marlin P print, R retract, T travel, legacy S =
 *   print and travel (Prusa MK3 firmware, as PrusaSlicer reads it);
 *   Klipper S, or the smaller of P and T, is its single acceleration;
 * - `M205` Marlin jerk X/Y/Z/E (mm/s), J junction deviation, S/T minimum
 *   feedrates (Klipper has no M205);
 * - `M566` RRF jerk (mm/min); implies RepRapFirmware;
 * - `SET_VELOCITY_LIMIT` Klipper VELOCITY, ACCEL, SQUARE_CORNER_VELOCITY,
 *   ACCEL_TO_DECEL, MINIMUM_CRUISE_RATIO; implies Klipper.
 */
export function applyLimitCommand(limits: MotionLimits, name: string, p: Params, text: string): void {
  switch (name) {
    case 'M201':
      setAxes(limits.maxAcceleration, p, 1);
      break;
    case 'M203':
      setAxes(limits.maxFeedrate, p, limits.firmware === 'reprapfirmware' ? 1 / 60 : 1);
      break;
    case 'M204':
      setAcceleration(limits, p);
      break;
    case 'M205':
      setJerk(limits, p);
      break;
    case 'M566':
      limits.firmware = 'reprapfirmware';
      limits.junction = 'jerk';
      setAxes(limits.maxJerk, p, 1 / 60);
      break;
    case 'SET_VELOCITY_LIMIT':
      setVelocityLimit(limits, text);
      break;
    default:
      break;
  }
}

function setAxes(into: AxisValues, p: Params, scale: number): void {
  const x = positive(p.X);
  const y = positive(p.Y);
  const z = positive(p.Z);
  const e = positive(p.E);
  if (x !== undefined) into.x = x * scale;
  if (y !== undefined) into.y = y * scale;
  if (z !== undefined) into.z = z * scale;
  if (e !== undefined) into.e = e * scale;
}

function setAcceleration(limits: MotionLimits, p: Params): void {
  const s = positive(p.S);
  const print = positive(p.P);
  const retract = positive(p.R);
  const travel = positive(p.T);
  if (limits.firmware === 'klipper') {
    const accel = s ?? (print !== undefined && travel !== undefined ? Math.min(print, travel) : (print ?? travel));
    if (accel !== undefined) setKlipperAccel(limits, accel);
    return;
  }
  if (s !== undefined) limits.printAcceleration = limits.travelAcceleration = s;
  if (print !== undefined) limits.printAcceleration = print;
  if (retract !== undefined) limits.retractAcceleration = retract;
  if (travel !== undefined) limits.travelAcceleration = travel;
}

function setKlipperAccel(limits: MotionLimits, accel: number): void {
  limits.printAcceleration = limits.travelAcceleration = limits.retractAcceleration = accel;
}

function setJerk(limits: MotionLimits, p: Params): void {
  if (limits.firmware === 'klipper') return; // corners follow square_corner_velocity
  setAxes(limits.maxJerk, p, 1);
  const j = positive(p.J);
  if (j !== undefined) {
    limits.junctionDeviation = j;
    limits.junction = 'junction-deviation';
  }
  const s = p.S;
  const t = p.T;
  if (typeof s === 'number' && s >= 0) limits.minFeedrate = s;
  if (typeof t === 'number' && t >= 0) limits.minTravelFeedrate = t;
}

function setVelocityLimit(limits: MotionLimits, text: string): void {
  limits.firmware = 'klipper';
  limits.junction = 'square-corner';
  const values = klipperNumbers(text);
  const velocity = values.get('VELOCITY');
  if (velocity !== undefined && velocity > 0) limits.maxVelocity = velocity;
  const accel = values.get('ACCEL');
  if (accel !== undefined && accel > 0) setKlipperAccel(limits, accel);
  const scv = values.get('SQUARE_CORNER_VELOCITY');
  if (scv !== undefined && scv >= 0) limits.squareCornerVelocity = scv;
  const toDecel = values.get('ACCEL_TO_DECEL');
  if (toDecel !== undefined && toDecel > 0) limits.accelToDecel = toDecel;
  const ratio = values.get('MINIMUM_CRUISE_RATIO');
  if (ratio !== undefined && ratio >= 0 && ratio < 1) limits.accelToDecel = limits.printAcceleration * (1 - ratio);
}

function positive(value: number | true | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
