export type { SeenPort, KnownPrinter, PortIdentity, PortMatch, AmbiguityReason } from './identity/port-identity.js';
export { resolvePorts, identityOf, type ResolveOptions } from './identity/resolve-ports.js';
export { isBogusSerial, hasUniqueSerial } from './identity/serial-number.js';
export { readSerialLinks, type SerialLinks } from './discovery/serial-links.js';
export { mergePorts, portsDiffer, type ListedPort, type VirtualPortConfig } from './discovery/merge-ports.js';
export { listSystemPorts, type ListPortsDeps, type PortLister } from './discovery/list-ports.js';
export { watchUsbHotplug, type HotplugWatch, type HotplugDeps } from './discovery/usb-hotplug.js';
export { PortWatcher, systemScanner, type PortWatcherOptions, type ScanPorts } from './discovery/port-watcher.js';
export {
  stepSupervisor,
  initialSupervisor,
  nextWakeAt,
  restartDelay,
  DEFAULT_BACKOFF,
  type BackoffPolicy,
  type SupervisorState,
  type SupervisorEvent,
  type SupervisorAction,
  type DesiredWorker,
} from './supervision/supervision.js';
export { WorkerSupervisor, type WorkerSupervisorOptions } from './supervision/worker-supervisor.js';
export { processSpawner, type ChildHandle, type SpawnWorker, type WorkerCommand } from './supervision/worker-process.js';
export { desiredWorkers } from './supervision/desired-workers.js';
