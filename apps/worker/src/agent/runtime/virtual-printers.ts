// The virtual printers a newcomer gets: each one a child process of the
// virtual-printer CLI behind a socat pseudo-terminal whose link lives under
// DATA_DIR/virtual-printers, declared as a port with a stable identity
// (serial number VIRTUAL-<KIND>-<n>) so that it is the same printer after a
// restart. A virtual printer that dies is restarted with back-off by its own
// WorkerSupervisor (gate always open: it is not a serial port of a printer).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { VirtualPrinterKind } from '../config/agent-config.js';
import type { VirtualPortConfig } from '../discovery/merge-ports.js';
import { WorkerSupervisor } from '../supervision/worker-supervisor.js';
import { processSpawner, type SpawnWorker } from '../supervision/worker-process.js';
import { REPO_ROOT, tsxCommand, VIRTUAL_PRINTER_CLI } from './launch.js';
import type { AgentLogger } from './logger.js';

export type VirtualPrinterPlan = {
  /** `<kind>-<n>`, n counting from 1 per kind. */
  readonly name: string;
  readonly kind: VirtualPrinterKind;
  /** The pseudo-terminal link the host opens. */
  readonly link: string;
  readonly serialNumber: string;
  /** Arguments for the virtual-printer CLI. */
  readonly args: readonly string[];
};

/** What makes each kind behave differently (matching the presets an admin adopts it with). */
const KIND_ARGS: Record<VirtualPrinterKind, readonly string[]> = {
  // Prusa MK3S: Prusa firmware replies, ADVANCED_OK, emergency parser.
  prusa: ['--flavor', 'prusa', '--advanced-ok', '--emergency-parser', '--baud', '115200'],
  // Ender-3: stock Marlin on an AVR board, ping-pong only.
  ender: ['--flavor', 'marlin', '--profile', 'avr', '--baud', '115200'],
  // Klipper's pseudo-terminal: no line numbers or checksums, lossless.
  klipper: ['--flavor', 'klipper', '--baud', '250000'],
};

export function planVirtualPrinters(kinds: readonly VirtualPrinterKind[], dataDir: string): VirtualPrinterPlan[] {
  const counts = new Map<VirtualPrinterKind, number>();
  return kinds.map((kind) => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    const name = `${kind}-${n}`;
    const link = join(dataDir, 'virtual-printers', name);
    return { name, kind, link, serialNumber: `VIRTUAL-${kind.toUpperCase()}-${n}`, args: ['--link', link, ...KIND_ARGS[kind]] };
  });
}

export function virtualPorts(plans: readonly VirtualPrinterPlan[]): VirtualPortConfig[] {
  return plans.map((p) => ({ path: p.link, serialNumber: p.serialNumber }));
}

export class VirtualPrinterFleet {
  readonly #supervisor: WorkerSupervisor;

  constructor(
    private readonly plans: readonly VirtualPrinterPlan[],
    options: { readonly env: NodeJS.ProcessEnv; readonly log: AgentLogger },
  ) {
    const byName = new Map(plans.map((p) => [p.name, p]));
    const spawnPrinter: SpawnWorker = (name, spec) => {
      const plan = byName.get(name);
      // A link left by a printer that died uncleanly would stop socat from making a new one.
      if (plan !== undefined) rmSync(plan.link, { force: true });
      const { file, args } = tsxCommand(VIRTUAL_PRINTER_CLI);
      return processSpawner({ file, args: [...args, ...(plan?.args ?? [])], env: options.env, cwd: REPO_ROOT, exitWithParent: true, quietStdout: true })(name, spec);
    };
    this.#supervisor = new WorkerSupervisor({
      spawnWorker: spawnPrinter,
      policy: { baseMs: 1_000, maxMs: 30_000, stableMs: 60_000 },
      onAction: (action) => {
        if (action.type === 'restart-scheduled') options.log.warn('virtual printer exited; restarting', { printer: action.printerId, delayMs: action.delayMs });
      },
    });
  }

  start(): void {
    if (this.plans.length === 0) return;
    mkdirSync(join(this.plans[0]?.link ?? '', '..'), { recursive: true });
    this.#supervisor.setWorkers(this.plans.map((p) => ({ printerId: p.name, spec: p.link })));
    this.#supervisor.openGate();
  }

  async stop(): Promise<void> {
    await this.#supervisor.stop();
    for (const plan of this.plans) rmSync(plan.link, { force: true });
  }
}
