export { initialWatchdog, stepWatchdog, type WatchdogState, type WatchdogStep } from './heater-watchdog.js';
export {
  watchdogConfig,
  heaterKind,
  DEFAULT_WATCHDOG,
  DEFAULT_RUNAWAY,
  WatchdogConfigError,
  type WatchdogConfig,
  type RunawayLimits,
  type HeaterKind,
} from './watchdog-config.js';
export type { HeaterReading, WatchdogEvent, WatchdogAction, WatchdogAlarm, AlarmReason } from './watchdog-types.js';
export { WatchdogRunner, type WatchdogRunnerOptions } from './watchdog-runner.js';
export { commandedTargets, type CommandedTarget } from './commanded-targets.js';
