// The host agent: keeps the port list current, learns from the manager which
// printers this host drives, runs one port worker per recognised enabled
// printer (only once the farm's first admin exists), reports what it sees
// and how its workers are doing. A manager that is down leaves everything
// running on the last good state; a revoked token stops every worker.
import { AGENT_POLL_INTERVAL_MS, type AgentPortsReport, type AgentState } from '@farm/contracts';
import type { AgentConfig, VirtualPrinterKind } from '../config/agent-config.js';
import type { SeenPort } from '../identity/port-identity.js';
import { resolvePorts } from '../identity/resolve-ports.js';
import { listSystemPorts } from '../discovery/list-ports.js';
import { mergePorts, type VirtualPortConfig } from '../discovery/merge-ports.js';
import { PortWatcher, type ScanPorts } from '../discovery/port-watcher.js';
import { readSerialLinks } from '../discovery/serial-links.js';
import type { HotplugWatch } from '../discovery/usb-hotplug.js';
import { WorkerSupervisor } from '../supervision/worker-supervisor.js';
import { processSpawner, type SpawnWorker } from '../supervision/worker-process.js';
import type { BackoffPolicy } from '../supervision/supervision.js';
import { VIRTUAL_PRINTER_KINDS } from '../config/agent-config.js';
import { presentPorts, readDeclaredPorts } from './declared-ports.js';
import { hostStatus, type HostStatusWriter } from './host-status.js';
import { workerCommand, workerEnv } from './launch.js';
import { errorText, type AgentLogger } from './logger.js';
import type { ManagerClient, ManagerFailure } from './manager-client.js';
import { planVirtualPrinters, virtualPorts, VirtualPrinterFleet } from './virtual-printers.js';
import { knownPrinters, plannedWorkers, portReport } from './worker-plan.js';

export type HostAgentDeps = {
  readonly config: AgentConfig;
  readonly client: ManagerClient;
  readonly status: HostStatusWriter;
  readonly log: AgentLogger;
  /** Environment every child starts from (system basics, never the host token). */
  readonly childEnv: Readonly<Record<string, string>>;
  readonly pollMs?: number;
  /** Ports are re-reported at least this often (the manager expires them after 30 s). */
  readonly reportEveryMs?: number;
  readonly statusEveryMs?: number;
  readonly workerBackoff?: BackoffPolicy;
  /** Tests replace the system's serial ports (none, or fixed ones) and USB hot-plug. */
  readonly systemPorts?: ScanPorts;
  readonly hotplug?: (onChange: () => void) => Promise<HotplugWatch>;
};

const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export class HostAgent {
  #state: AgentState | undefined;
  #authorized = true;
  #gateOpened = false;
  #ports: SeenPort[] = [];
  #lastReport: { readonly json: string; readonly report: AgentPortsReport } | undefined;
  #reportInFlight = false;
  #reportAgain = false;
  readonly #restarts = new Map<string, number>();
  readonly #supervisor: WorkerSupervisor;
  #watcher: PortWatcher | undefined;
  #fleet: VirtualPrinterFleet | undefined;
  #virtualPorts: VirtualPortConfig[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #wakers = new Set<() => void>();
  #stopped = false;
  #stateFailures = 0;
  #lastFailure: string | undefined;

  constructor(private readonly deps: HostAgentDeps) {
    const spawnWorker: SpawnWorker = (printerId, spec) => {
      const state = this.#state;
      const env = workerEnv({
        base: deps.childEnv,
        redisUrl: deps.config.redisUrl,
        redisPrefix: deps.config.redisPrefix,
        hostId: state?.hostId ?? '',
        controlKey: state?.controlKey ?? '',
        logLevel: deps.config.logLevel,
      });
      return processSpawner(workerCommand(deps.config.workerCommand, env))(printerId, spec);
    };
    this.#supervisor = new WorkerSupervisor({
      spawnWorker,
      policy: deps.workerBackoff,
      onAction: (action) => {
        switch (action.type) {
          case 'spawn':
            deps.log.info('starting port worker', { printerId: action.printerId, port: portOf(action.spec) });
            break;
          case 'kill':
            deps.log.info('stopping port worker', { printerId: action.printerId });
            break;
          case 'restart-scheduled':
            this.#restarts.set(action.printerId, (this.#restarts.get(action.printerId) ?? 0) + 1);
            deps.log.warn('port worker exited unexpectedly; restarting after back-off', { printerId: action.printerId, delayMs: action.delayMs, failures: action.failures });
            break;
        }
        this.#writeStatusSoon();
      },
      onExit: (printerId, code, signal) => {
        deps.log.info('port worker exited', { printerId, code, signal });
        this.#writeStatusSoon();
      },
    });
  }

  async start(): Promise<void> {
    const { config, log } = this.deps;
    const kinds = await this.#virtualKinds();
    if (kinds.length > 0) {
      const plans = planVirtualPrinters(kinds, config.dataDir);
      this.#virtualPorts = virtualPorts(plans);
      this.#fleet = new VirtualPrinterFleet(plans, { env: this.deps.childEnv, log });
      this.#fleet.start();
      log.info('started virtual printers', { printers: plans.map((p) => ({ name: p.name, port: p.link, serialNumber: p.serialNumber })) });
    }
    const declaresPorts = config.portsFile !== undefined || kinds.length > 0;
    this.#watcher = new PortWatcher({
      scan: () => this.#scan(),
      onPorts: (ports) => {
        log.info('ports changed', { ports: ports.map((p) => p.path) });
        this.#ports = ports;
        this.#reconcile();
      },
      onError: (error) => log.warn('port scan failed; keeping the last port list', { error: errorText(error) }),
      pollMs: config.scanIntervalMs,
      // Declared ports change without USB events: keep scanning at the configured pace.
      pollWithUsbMs: declaresPorts ? config.scanIntervalMs : Math.max(15_000, config.scanIntervalMs),
      hotplug: this.deps.hotplug,
    });
    const mode = await this.#watcher.start();
    log.info('watching serial ports', { hotplug: mode, scanIntervalMs: config.scanIntervalMs });
    void this.#pollState();
    this.#every(this.deps.reportEveryMs ?? 5_000, () => void this.#sendReport(true));
    this.#every(this.deps.statusEveryMs ?? 3_000, () => void this.#writeStatus());
  }

  /** Stops workers (SIGTERM, then SIGKILL after a grace), virtual printers and the status key. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const wake of [...this.#wakers]) wake();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#watcher?.stop();
    await this.#supervisor.stop();
    await this.#fleet?.stop();
    const hostId = this.#state?.hostId;
    if (hostId !== undefined) await this.deps.status.clear(hostId).catch((error: unknown) => this.deps.log.warn('could not delete the host status', { error: errorText(error) }));
  }

  async #virtualKinds(): Promise<readonly VirtualPrinterKind[]> {
    const setting = this.deps.config.virtualPrinters;
    switch (setting.mode) {
      case 'none':
        return [];
      case 'list':
        return setting.kinds;
      case 'auto': {
        // Only for a host with nothing attached or declared: a newcomer's laptop.
        const seen = await this.#scanWithout().catch(() => []);
        return seen.length === 0 ? VIRTUAL_PRINTER_KINDS : [];
      }
    }
  }

  async #scanWithout(extra: readonly VirtualPortConfig[] = []): Promise<SeenPort[]> {
    const { config, log } = this.deps;
    const declared = config.portsFile === undefined ? [] : await readDeclaredPorts(config.portsFile);
    const system =
      this.deps.systemPorts !== undefined
        ? await this.deps.systemPorts()
        : mergePorts(await listSystemPorts({ onFallback: (reason) => log.debug('serialport list failed; reading /dev', { reason }) }), await readSerialLinks(), []);
    const declaredSeen = mergePorts([], new Map(), await presentPorts([...declared, ...extra]));
    const byPath = new Map<string, SeenPort>();
    for (const p of [...system, ...declaredSeen]) byPath.set(p.path, p);
    return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  #scan(): Promise<SeenPort[]> {
    return this.#scanWithout(this.#virtualPorts);
  }

  async #pollState(): Promise<void> {
    while (!this.#stopped) {
      const result = await this.deps.client.fetchState();
      if (this.#stopped) return;
      if (result.kind === 'ok') {
        if (this.#stateFailures > 0) this.deps.log.info('the manager answers again', { after: this.#stateFailures });
        this.#stateFailures = 0;
        this.#lastFailure = undefined;
        this.#applyState(result.state);
        await this.#sleep(this.deps.pollMs ?? AGENT_POLL_INTERVAL_MS);
      } else {
        this.#stateFailures += 1;
        this.#onFailure(result);
        await this.#sleep(Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(this.#stateFailures - 1, 10)));
      }
    }
  }

  #onFailure(failure: ManagerFailure): void {
    const { log } = this.deps;
    const text = failure.kind === 'unauthorized' ? `unauthorized ${failure.status}` : failure.reason;
    const repeated = text === this.#lastFailure;
    this.#lastFailure = text;
    switch (failure.kind) {
      case 'unauthorized':
        if (this.#authorized) {
          this.#authorized = false;
          log.error('the manager rejected the host token (revoked?): stopping all port workers; set a new HOST_TOKEN and restart the agent', { status: failure.status });
          this.#reconcile();
        }
        break;
      case 'unavailable':
        if (!repeated) log.warn('cannot reach the manager; keeping the last known state and retrying', { reason: failure.reason, workers: this.#supervisor.running().length });
        break;
    }
  }

  #applyState(state: AgentState): void {
    const previous = this.#state;
    this.#state = state;
    if (!this.#authorized) {
      this.#authorized = true;
      this.deps.log.info('the manager accepts the host token again');
    }
    if (previous !== undefined && (previous.controlKey !== state.controlKey || previous.hostId !== state.hostId)) {
      // Workers hold the key in their environment: restart them all with the new one.
      this.deps.log.warn('the host identity or control key changed; restarting port workers');
      this.#supervisor.setWorkers([]);
    }
    if (previous === undefined) this.deps.log.info('connected to the manager', { hostId: state.hostId, hostName: state.hostName, printers: state.printers.length, gateOpen: state.gateOpen });
    this.#reconcile();
    if (state.gateOpen && !this.#gateOpened) {
      this.#gateOpened = true;
      this.deps.log.info('the farm has its first admin: port workers may open serial ports');
      this.#supervisor.openGate();
    }
  }

  #reconcile(): void {
    const state = this.#state;
    if (state === undefined || this.#stopped) return;
    const matches = resolvePorts(this.#ports, knownPrinters(state.printers));
    this.#supervisor.setWorkers(this.#authorized ? plannedWorkers(matches, state) : []);
    const { ports, skipped } = portReport(matches);
    if (skipped.length > 0) this.deps.log.warn('ports left out of the report (identity fields outside the contract)', { ports: skipped });
    const json = JSON.stringify({ ports });
    if (json !== this.#lastReport?.json) {
      this.#lastReport = { json, report: { ports } };
      void this.#sendReport(false);
    }
    this.#writeStatusSoon();
  }

  /** One report in flight at a time; a change during it is sent right after. */
  async #sendReport(periodic: boolean): Promise<void> {
    const report = this.#lastReport;
    if (report === undefined || this.#stopped || !this.#authorized) return;
    if (this.#reportInFlight) {
      if (!periodic) this.#reportAgain = true;
      return;
    }
    this.#reportInFlight = true;
    try {
      const result = await this.deps.client.reportPorts(report.report);
      if (result.kind !== 'ok') this.deps.log.debug('port report failed', { reason: result.kind === 'unauthorized' ? `status ${result.status}` : result.reason });
    } finally {
      this.#reportInFlight = false;
    }
    if (this.#reportAgain) {
      this.#reportAgain = false;
      await this.#sendReport(false);
    }
  }

  #writeStatusSoon(): void {
    if (this.#stopped) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      void this.#writeStatus();
    }, 50);
    this.#timers.add(t);
  }

  async #writeStatus(): Promise<void> {
    const hostId = this.#state?.hostId;
    if (hostId === undefined || this.#stopped) return;
    await this.deps.status
      .write(hostStatus(hostId, Date.now(), this.#supervisor.workers(), this.#restarts))
      .catch((error: unknown) => this.deps.log.debug('could not write the host status', { error: errorText(error) }));
  }

  #every(ms: number, run: () => void): void {
    const tick = (): void => {
      if (this.#stopped) return;
      run();
      const t = setTimeout(() => {
        this.#timers.delete(t);
        tick();
      }, ms);
      this.#timers.add(t);
    };
    const t = setTimeout(() => {
      this.#timers.delete(t);
      tick();
    }, ms);
    this.#timers.add(t);
  }

  /** Resolves after `ms`, or at once when the agent stops. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        this.#timers.delete(t);
        this.#wakers.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.#timers.add(t);
      this.#wakers.add(done);
    });
  }
}

function portOf(spec: string): string | undefined {
  try {
    return (JSON.parse(spec) as { port?: string }).port;
  } catch {
    return undefined;
  }
}
