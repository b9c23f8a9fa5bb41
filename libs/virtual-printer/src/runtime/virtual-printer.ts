import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { PrinterConfig } from '../config/printer-config.js';
import { defaultConfig } from '../config/printer-config.js';
import type { FaultSpec } from '../faults/fault-spec.js';
import { parseFaultSpec } from '../faults/fault-spec.js';
import { Firmware } from '../firmware/firmware.js';
import type { FirmwareStats } from '../firmware/firmware-stats.js';
import type { HaltCause } from '../firmware/replies/index.js';
import type { ExecutedCommand } from '../firmware/recorder.js';
import type { LinkCallbacks, LinkEndpoint } from '../transport/link-endpoint.js';
import { openPtyEndpoint } from '../transport/pty-endpoint.js';
import { openTcpEndpoint } from '../transport/tcp-endpoint.js';
import { FirmwareDriver } from './firmware-driver.js';
import type { SimulatorTiming } from './simulator-timing.js';

export interface VirtualPrinterOptions extends Partial<PrinterConfig> {
  name?: string;
  /** Path the host opens (a socat pty pair is made); a temporary path when neither this nor `tcpPort` is given. */
  link?: string;
  /** Serve the printer over TCP instead (0 = any free port). */
  tcpPort?: number;
  tcpHost?: string;
  /** A spec string (see fault-spec.ts) or a parsed spec. */
  faults?: string | FaultSpec;
  /** How long an injected disconnect keeps the device away (host ms). */
  reconnectAfterMs?: number;
  /** Keep the executed-command list (default true; turn off for very long benchmark runs). */
  recordExecuted?: boolean;
  /**
   * Greet (`start`, banner) this long after the host connected if it has said
   * nothing (host ms). TCP: after each connection, default 200. Pseudo-terminal:
   * the printer cannot see the host open it, so this counts from the printer's
   * start and is off unless given (a host that waits for `start` needs it; one
   * that opens later loses the greeting, as serialport's open() flushes input).
   */
  announceAfterMs?: number;
  /** Told when the firmware halts; `at` is in `performance.now()` time (the moment on the simulated wire). */
  onHalt?: (cause: HaltCause, at: number) => void;
}

/** The firmware's summary and how well the simulator kept time while producing it. */
export interface PrinterStats extends FirmwareStats {
  simulator: SimulatorTiming;
}

export interface VirtualPrinter {
  readonly name: string;
  /** What the host opens: a device path, or `tcp://host:port`. */
  readonly address: string;
  readonly config: PrinterConfig;
  /** Commands executed so far, in order (live array). */
  readonly executed: readonly ExecutedCommand[];
  executedCommands(): string[];
  stats(): PrinterStats;
  /** Resets the board as reopening the port does on an AVR printer (DTR). */
  reset(): void;
  /** Pulls the USB cable now. */
  disconnect(): void;
  /** Writes the executed commands, one per line. */
  writeRecord(path: string): Promise<void>;
  close(): Promise<void>;
}

export async function startVirtualPrinter(options: VirtualPrinterOptions = {}): Promise<VirtualPrinter> {
  const faults = typeof options.faults === 'string' ? parseFaultSpec(options.faults) : options.faults;
  const usesRunout = (faults?.rates.runout ?? 0) > 0 || (faults?.atLines ?? []).some((f) => f.kind === 'runout');
  const config = defaultConfig({ ...pickConfig(options), ...(usesRunout && options.hostActions === undefined ? { hostActions: true } : {}) });
  const firmware = new Firmware({
    config,
    ...(faults ? { faults } : {}),
    recordExecuted: options.recordExecuted ?? true,
    ...(options.onHalt ? { onHalt: options.onHalt } : {}),
  });
  const reconnectAfterMs = options.reconnectAfterMs ?? 500;
  const link: { endpoint?: LinkEndpoint } = {};
  let announceTimer: NodeJS.Timeout | undefined;

  const driver = new FirmwareDriver(firmware, {
    now: () => performance.now(),
    write: (data) => link.endpoint?.write(data),
    signal: (signal) => {
      switch (signal.kind) {
        case 'disconnect':
          link.endpoint?.drop(reconnectAfterMs);
          return;
      }
    },
  });

  const callbacks: LinkCallbacks = {
    data: (chunk) => driver.hostBytes(chunk),
    opened: () => {
      if (announceTimer) clearTimeout(announceTimer);
      announceTimer = setTimeout(() => {
        if (firmware.state === 'waiting-for-host') driver.act((now) => firmware.hostOpened(now));
      }, options.announceAfterMs ?? 200);
    },
    closed: () => driver.act(() => firmware.linkLost()),
  };
  const endpoint =
    options.tcpPort !== undefined
      ? await openTcpEndpoint(options.tcpPort, options.tcpHost ?? '127.0.0.1', callbacks)
      : await openPtyEndpoint(options.link, callbacks);
  link.endpoint = endpoint;
  const address = endpoint.address;
  if (options.tcpPort === undefined && options.announceAfterMs !== undefined) callbacks.opened();

  return {
    name: options.name ?? address,
    address,
    config,
    executed: firmware.recorder.executed,
    executedCommands: () => firmware.recorder.executed.map((e) => e.command),
    stats: () => {
      driver.act(() => undefined);
      return { ...firmware.stats(), simulator: driver.timingStats() };
    },
    reset: () => driver.act((now) => firmware.reset(now)),
    disconnect: () => {
      driver.act(() => firmware.linkLost());
      endpoint.drop(reconnectAfterMs);
    },
    writeRecord: async (path) => {
      const text = firmware.recorder.executed.map((e) => e.command).join('\n');
      await writeFile(path, text === '' ? '' : `${text}\n`);
    },
    close: async () => {
      if (announceTimer) clearTimeout(announceTimer);
      driver.stop();
      await endpoint.close();
    },
  };
}

const CONFIG_KEYS: (keyof PrinterConfig)[] = [
  'flavor', 'profile', 'baud', 'latencyMs', 'hostLatencyMs', 'advancedOk', 'emergencyParser', 'okAfterResend', 'hostActions', 'timeScale',
  'rxBufferSize', 'commandSlots', 'plannerBlocks', 'moveLineMs', 'otherLineMs', 'byteReadMs', 'bootMs', 'keepaliveS', 'homingMs', 'ambientC',
];

function pickConfig(options: VirtualPrinterOptions): Partial<PrinterConfig> {
  const out: Partial<PrinterConfig> = {};
  for (const key of CONFIG_KEYS) {
    if (options[key] !== undefined) (out as Record<string, unknown>)[key] = options[key];
  }
  return out;
}
