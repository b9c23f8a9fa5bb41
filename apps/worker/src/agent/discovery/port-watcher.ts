// Keeps the host's port list current: scans at start, soon after a USB
// hot-plug event, and on a polling interval (the only trigger where USB
// events are unavailable, and a safety net where they are). Reports only
// when something changed.
import type { SeenPort } from '../identity/port-identity.js';
import { listSystemPorts, type ListPortsDeps } from './list-ports.js';
import { mergePorts, portsDiffer, type VirtualPortConfig } from './merge-ports.js';
import { readSerialLinks } from './serial-links.js';
import { watchUsbHotplug, type HotplugWatch } from './usb-hotplug.js';

export type ScanPorts = () => Promise<SeenPort[]>;

export function systemScanner(virtual: readonly VirtualPortConfig[], deps: ListPortsDeps & { linksRoot?: string } = {}): ScanPorts {
  return async () => mergePorts(await listSystemPorts(deps), await readSerialLinks(deps.linksRoot), virtual);
}

export type PortWatcherOptions = {
  readonly scan: ScanPorts;
  readonly onPorts: (ports: SeenPort[]) => void;
  readonly onError?: (error: unknown) => void;
  /** Polling interval without USB events (default 2 s) and with them (default 15 s). */
  readonly pollMs?: number;
  readonly pollWithUsbMs?: number;
  /** Device nodes and udev links appear a little after the USB event. */
  readonly settleMs?: number;
  readonly hotplug?: (onChange: () => void) => Promise<HotplugWatch>;
};

export class PortWatcher {
  #last: SeenPort[] | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #poll: NodeJS.Timeout | undefined;
  #settle: NodeJS.Timeout | undefined;
  #hotplug: HotplugWatch | undefined;
  #stopped = false;

  constructor(private readonly options: PortWatcherOptions) {}

  /** Starts watching; resolves with how hot-plug is detected once the first scan is done. */
  async start(): Promise<HotplugWatch['mode']> {
    this.#hotplug = await (this.options.hotplug ?? watchUsbHotplug)(() => this.#soon());
    const every = this.#hotplug.mode === 'usb' ? (this.options.pollWithUsbMs ?? 15_000) : (this.options.pollMs ?? 2_000);
    this.#poll = setInterval(() => void this.rescan(), every);
    await this.rescan();
    return this.#hotplug.mode;
  }

  /** Scans now (or right after a scan in progress) and reports a change. */
  rescan(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#scanLoop().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#poll);
    clearTimeout(this.#settle);
    this.#hotplug?.close();
  }

  async #scanLoop(): Promise<void> {
    do {
      this.#again = false;
      try {
        const ports = await this.options.scan();
        if (!this.#stopped && (this.#last === undefined || portsDiffer(this.#last, ports))) {
          this.#last = ports;
          this.options.onPorts(ports);
        }
      } catch (error) {
        this.options.onError?.(error);
      }
    } while (this.#again && !this.#stopped);
  }

  #soon(): void {
    clearTimeout(this.#settle);
    this.#settle = setTimeout(() => void this.rescan(), this.options.settleMs ?? 500);
  }
}
