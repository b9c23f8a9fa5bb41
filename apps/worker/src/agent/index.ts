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
export { parseAgentConfig, AgentConfigError, VIRTUAL_PRINTER_KINDS, type AgentConfig, type VirtualPrinterKind, type VirtualPrintersSetting } from './config/agent-config.js';
export { HostAgent, type HostAgentDeps } from './runtime/host-agent.js';
export { ManagerClient, type StateResult, type ReportResult, type ManagerFailure } from './runtime/manager-client.js';
export { knownPrinters, plannedWorkers, portReport } from './runtime/worker-plan.js';
export { planVirtualPrinters, virtualPorts, VirtualPrinterFleet, type VirtualPrinterPlan } from './runtime/virtual-printers.js';
export { readDeclaredPorts, parseDeclaredPorts, DeclaredPortsError, type DeclaredPort } from './runtime/declared-ports.js';
export { hostStatus, HostStatusWriter } from './runtime/host-status.js';
export { workerCommand, workerEnv, EXIT_WITH_PARENT_MODULE, PORT_WORKER_ENTRY, VIRTUAL_PRINTER_CLI } from './runtime/launch.js';
