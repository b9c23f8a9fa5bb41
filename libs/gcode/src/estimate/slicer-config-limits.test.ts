import { describe, expect, it } from 'vitest';
import { klipperNumbers } from './klipper-params.js';
import { firmwareForFlavour } from './motion-limits.js';
import { motionLimitsFromSlicerConfig, readSlicerConfigLine } from './slicer-config-limits.js';

describe('motionLimitsFromSlicerConfig', () => {
  it('reads the normal-mode machine limits and the MMU tool-change time of a PrusaSlicer config block', () => {
    // Lines as in prusaslicer-2.5.0_deltiq2-rrf_torus.gcode / the MMU2S files.
    const config = new Map<string, string>();
    for (const line of [
      '; machine_max_acceleration_e = 10000,5000',
      '; machine_max_acceleration_extruding = 1500,1250',
      '; machine_max_acceleration_retracting = 1500,1250',
      '; machine_max_acceleration_travel = 1500,1250',
      '; machine_max_acceleration_x = 9000,1000',
      '; machine_max_acceleration_y = 9000,1000',
      '; machine_max_acceleration_z = 500,200',
      '; machine_max_feedrate_e = 120,120',
      '; machine_max_feedrate_x = 500,200',
      '; machine_max_feedrate_y = 500,200',
      '; machine_max_feedrate_z = 12,12',
      '; machine_max_jerk_e = 2.5,2.5',
      '; machine_max_jerk_x = 10,10',
      '; machine_max_jerk_y = 10,10',
      '; machine_max_jerk_z = 0.2,0.4',
      '; filament_load_time = 15,15,15,15,15',
      '; filament_unload_time = 12,12,12,12,12',
      'G1 X10 ; not config',
    ]) {
      readSlicerConfigLine(line, config);
    }
    expect(motionLimitsFromSlicerConfig(config)).toEqual({
      maxFeedrate: { x: 500, y: 500, z: 12, e: 120 },
      maxAcceleration: { x: 9000, y: 9000, z: 500, e: 10000 },
      maxJerk: { x: 10, y: 10, z: 0.2, e: 2.5 },
      printAcceleration: 1500,
      retractAcceleration: 1500,
      travelAcceleration: 1500,
      toolChangeSeconds: 27,
    });
  });

  it('returns nothing for a file without a config block', () => {
    expect(motionLimitsFromSlicerConfig(new Map())).toEqual({});
  });
});

describe('klipperNumbers / firmwareForFlavour', () => {
  it('parses KEY=value parameters of SET_VELOCITY_LIMIT', () => {
    const values = klipperNumbers('ACCEL=7000 ACCEL_TO_DECEL=3500 square_corner_velocity=5.5 NAME=foo');
    expect(Object.fromEntries(values)).toEqual({ ACCEL: 7000, ACCEL_TO_DECEL: 3500, SQUARE_CORNER_VELOCITY: 5.5 });
  });

  it('maps slicer flavour names to firmware families', () => {
    expect(firmwareForFlavour('klipper')).toBe('klipper');
    expect(firmwareForFlavour('Creality OS')).toBe('klipper');
    expect(firmwareForFlavour('reprapfirmware')).toBe('reprapfirmware');
    expect(firmwareForFlavour('RepRapFirmware')).toBe('reprapfirmware');
    expect(firmwareForFlavour('marlin2')).toBe('marlin');
    expect(firmwareForFlavour(undefined)).toBe('marlin');
  });
});
