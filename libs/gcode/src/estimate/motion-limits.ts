/** Firmware family: decides units (RRF's M203/M566 are per minute) and the corner model. */
export type FirmwareKind = 'marlin' | 'reprapfirmware' | 'klipper';

/**
 * How the speed through a corner is limited:
 * - `jerk`: Marlin "classic jerk" / Prusa firmware / RRF: each axis may change
 *   speed instantly by at most its jerk;
 * - `junction-deviation`: Marlin 2 (M205 J): a virtual arc of the given
 *   deviation at the move's acceleration;
 * - `square-corner`: Klipper: junction deviation derived from
 *   square_corner_velocity and the acceleration.
 */
export type JunctionModel = 'jerk' | 'junction-deviation' | 'square-corner';

export interface AxisValues {
  x: number;
  y: number;
  z: number;
  e: number;
}

/** Machine limits the estimator plans with. Speeds mm/s, accelerations mm/s², lengths mm. */
export interface MotionLimits {
  firmware: FirmwareKind;
  junction: JunctionModel;
  /** Per-axis feedrate caps (M203). */
  maxFeedrate: AxisValues;
  /** Per-axis acceleration caps (M201). */
  maxAcceleration: AxisValues;
  /** Extruding moves (M204 P, or S). */
  printAcceleration: number;
  /** Extruder-only moves: retract / unretract (M204 R). */
  retractAcceleration: number;
  /** Moves without extrusion (M204 T, or S). */
  travelAcceleration: number;
  /** Per-axis jerk (M205 X/Y/Z/E, RRF M566). */
  maxJerk: AxisValues;
  /** Marlin 2 junction deviation (M205 J). */
  junctionDeviation: number;
  /** Klipper square_corner_velocity. */
  squareCornerVelocity: number;
  /** Klipper max_velocity: cap on the toolhead speed whatever the axes. */
  maxVelocity: number;
  /** Klipper max_accel_to_decel (null = the acceleration itself). */
  accelToDecel: number | null;
  /** Minimum feedrates (M205 S, M205 T). */
  minFeedrate: number;
  minTravelFeedrate: number;
  /** Allowance for one G28 (homing time is not knowable from the file). */
  homingSeconds: number;
  /** Arcs are split into chords of about this length, as firmware does. */
  arcSegmentLength: number;
  /** Allowance per tool change (PrusaSlicer: filament_unload_time + filament_load_time). */
  toolChangeSeconds: number;
  /** Firmware retraction (G10/G11) length and speed. */
  retractLength: number;
  retractSpeed: number;
}

const AXES_UNLIMITED: AxisValues = { x: 10_000, y: 10_000, z: 10_000, e: 10_000 };

/**
 * Defaults when a file sets no limits, per firmware family (a file's own
 * M201/M203/M204/M205/M566/SET_VELOCITY_LIMIT, or a printer profile,
 * override them):
 *
 * - Marlin: Marlin's Configuration.h defaults for acceleration
 *   (DEFAULT_ACCELERATION / RETRACT / TRAVEL 3000 mm/s², DEFAULT_MAX_ACCELERATION
 *   3000/3000/100/10000) and classic jerk (10/10/0.4/5 mm/s); feedrate caps
 *   500/500/12/120 mm/s (generous: Marlin's 300/300/5/25 sample values are
 *   below what most printers are configured for, and slicer feedrates rarely
 *   exceed real caps).
 * - RepRapFirmware: the same, with 15 mm/s X/Y jerk (M566 X900 Y900, the
 *   common RRF sample value).
 * - Klipper: max_velocity 500, max_accel 3000, accel_to_decel half of it
 *   (Klipper's default minimum_cruise_ratio 0.5), square_corner_velocity 5
 *   (Klipper's default); Z follows the toolhead limits, as Klipper's
 *   max_z_velocity / max_z_accel do when unset.
 */
export function defaultMotionLimits(firmware: FirmwareKind = 'marlin'): MotionLimits {
  const common = {
    junctionDeviation: 0.013,
    squareCornerVelocity: 5,
    maxVelocity: 10_000,
    accelToDecel: null,
    minFeedrate: 0,
    minTravelFeedrate: 0,
    homingSeconds: 10,
    toolChangeSeconds: 0,
    arcSegmentLength: 1,
    retractLength: 1,
    retractSpeed: 35,
    maxFeedrate: { x: 500, y: 500, z: 12, e: 120 },
    maxAcceleration: { x: 3000, y: 3000, z: 100, e: 10_000 },
    printAcceleration: 3000,
    retractAcceleration: 3000,
    travelAcceleration: 3000,
  };
  switch (firmware) {
    case 'marlin':
      return { ...common, firmware, junction: 'jerk', maxJerk: { x: 10, y: 10, z: 0.4, e: 5 } };
    case 'reprapfirmware':
      return { ...common, firmware, junction: 'jerk', maxJerk: { x: 15, y: 15, z: 0.4, e: 5 } };
    case 'klipper':
      return {
        ...common,
        firmware,
        junction: 'square-corner',
        maxFeedrate: { ...AXES_UNLIMITED },
        maxAcceleration: { ...AXES_UNLIMITED },
        maxJerk: { x: 10, y: 10, z: 0.4, e: 5 },
        maxVelocity: 500,
        accelToDecel: 1500,
      };
  }
}

/** Maps a slicer's flavour string (`marlin2`, `klipper`, `RepRapFirmware`, `Creality OS`…) to a firmware family. */
export function firmwareForFlavour(flavour: string | undefined): FirmwareKind {
  const f = (flavour ?? '').toLowerCase();
  if (f.includes('klipper') || f.includes('creality os')) return 'klipper';
  // Plain "reprap" (Slic3r's RepRap/Sprinter, Cura's RepRap) is left to Marlin semantics (M203 in mm/s).
  if (f.includes('reprapfirmware') || f.includes('rrf')) return 'reprapfirmware';
  return 'marlin';
}
