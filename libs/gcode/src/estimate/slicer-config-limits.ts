import type { MotionLimits } from './motion-limits.js';

/**
 * Machine limits from a PrusaSlicer / SuperSlicer / OrcaSlicer config block
 * (`; machine_max_acceleration_x = 9000,1000` …: normal mode first, silent
 * mode second; always mm/s and mm/s² whatever the flavour). These are the
 * printer profile's limits: PrusaSlicer writes them as M201–M205 only when
 * `machine_limits_usage = emit_to_gcode`, but its own estimate always uses
 * them. Also the MMU tool-change allowance (filament unload + load time).
 */
export function motionLimitsFromSlicerConfig(config: ReadonlyMap<string, string>): Partial<MotionLimits> {
  const first = (key: string): number | undefined => {
    const raw = config.get(key);
    if (raw === undefined) return undefined;
    const value = Number(raw.split(',')[0]);
    return Number.isFinite(value) ? value : undefined;
  };
  const axes = (prefix: string): MotionLimits['maxFeedrate'] | undefined => {
    const x = first(`${prefix}_x`);
    const y = first(`${prefix}_y`);
    const z = first(`${prefix}_z`);
    const e = first(`${prefix}_e`);
    if (x === undefined || y === undefined || z === undefined || e === undefined) return undefined;
    return { x, y, z, e };
  };
  const out: Partial<MotionLimits> = {};
  const maxFeedrate = axes('machine_max_feedrate');
  const maxAcceleration = axes('machine_max_acceleration');
  const maxJerk = axes('machine_max_jerk');
  if (maxFeedrate) out.maxFeedrate = maxFeedrate;
  if (maxAcceleration) out.maxAcceleration = maxAcceleration;
  if (maxJerk) out.maxJerk = maxJerk;
  const set = (key: keyof MotionLimits, configKey: string): void => {
    const value = first(configKey);
    if (value !== undefined && value > 0) Object.assign(out, { [key]: value });
  };
  set('printAcceleration', 'machine_max_acceleration_extruding');
  set('retractAcceleration', 'machine_max_acceleration_retracting');
  set('travelAcceleration', 'machine_max_acceleration_travel');
  set('minFeedrate', 'machine_min_extruding_rate');
  set('minTravelFeedrate', 'machine_min_travel_rate');
  const load = first('filament_load_time') ?? 0;
  const unload = first('filament_unload_time') ?? 0;
  if (load + unload > 0) out.toolChangeSeconds = load + unload;
  return out;
}

/** `; key = value` lines of a PrusaSlicer-family config block, as a map (feed it lines as they stream). */
export function readSlicerConfigLine(line: string, into: Map<string, string>): void {
  const match = /^;\s*([a-z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
  if (match?.[1] !== undefined && match[2] !== undefined) into.set(match[1], match[2]);
}
