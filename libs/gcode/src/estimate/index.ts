export {
  PrintTimeEstimator,
  type EstimatorCommand,
  type MoveWords,
  type PrintTimeEstimate,
} from './print-time-estimator.js';
export {
  defaultMotionLimits,
  firmwareForFlavour,
  type AxisValues,
  type FirmwareKind,
  type JunctionModel,
  type MotionLimits,
} from './motion-limits.js';
export { motionLimitsFromSlicerConfig, readSlicerConfigLine } from './slicer-config-limits.js';
export { klipperNumbers } from './klipper-params.js';
export { trapezoidTime } from './trapezoid.js';
