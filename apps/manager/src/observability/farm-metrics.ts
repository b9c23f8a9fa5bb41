// The manager's Prometheus registry: one per app instance (two apps in one
// process, as in tests, never share series), holding the process metrics and
// the farm figures, which are replaced wholesale from each scrape's readings.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { LinkStats, PrinterStatus } from '@farm/contracts';
import type { FarmReadings } from './farm-readings.js';

/** Every status, so the status gauge shows each one even at 0. Typed so a new status cannot be forgotten. */
const STATUS_SET = {
  offline: true,
  disconnected: true,
  connecting: true,
  idle: true,
  printing: true,
  paused: true,
  cancelling: true,
  error: true,
  halted: true,
} as const satisfies Record<PrinterStatus, true>;
export const PRINTER_STATUSES = Object.keys(STATUS_SET) as PrinterStatus[];

const PRINTER_LABELS = ['printer_id', 'printer_name'] as const;
const HEATER_LABELS = ['printer_id', 'printer_name', 'heater'] as const;

/** Worker link counters and their metric names; they restart from 0 with the worker, which Prometheus' rate() allows for. */
const LINK_COUNTERS: ReadonlyArray<{ field: Exclude<keyof LinkStats, 'linesPerSecond'>; name: string; help: string }> = [
  { field: 'linesSent', name: 'farm_printer_lines_sent_total', help: 'G-code lines the worker sent since it started' },
  { field: 'resends', name: 'farm_printer_resends_total', help: 'Lines sent again (firmware Resend: or timeout) since the worker started' },
  { field: 'lineErrors', name: 'farm_printer_line_errors_total', help: 'Checksum and line-number errors the firmware reported since the worker started' },
  { field: 'timeouts', name: 'farm_printer_timeouts_total', help: 'Communication timeouts since the worker started' },
  { field: 'connects', name: 'farm_printer_connects_total', help: 'Times the worker (re)opened the serial port since it started' },
];

export type FarmMetrics = ReturnType<typeof createFarmMetrics>;

export function createFarmMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const printersByStatus = new Gauge({
    name: 'farm_printers',
    help: 'Printers (not retired) by live status; offline when the worker heartbeat is missing',
    labelNames: ['status'],
    registers: [registry],
  });
  const temperature = new Gauge({
    name: 'farm_printer_temperature_celsius',
    help: 'Heater temperature the firmware reports',
    labelNames: HEATER_LABELS,
    registers: [registry],
  });
  const target = new Gauge({
    name: 'farm_printer_target_temperature_celsius',
    help: 'Heater target temperature (0 = off)',
    labelNames: HEATER_LABELS,
    registers: [registry],
  });
  const linesPerSecond = new Gauge({
    name: 'farm_printer_lines_per_second',
    help: 'G-code lines per second streamed over the last few seconds',
    labelNames: PRINTER_LABELS,
    registers: [registry],
  });
  const counters = LINK_COUNTERS.map(({ field, name, help }) => ({
    field,
    metric: new Counter({ name, help, labelNames: PRINTER_LABELS, registers: [registry] }),
  }));
  const restarts = new Counter({
    name: 'farm_printer_worker_restarts_total',
    help: 'Unexpected exits of the printer’s worker process that its host agent restarted, since the agent started',
    labelNames: PRINTER_LABELS,
    registers: [registry],
  });
  const hostsKnown = new Gauge({ name: 'farm_hosts', help: 'Hosts registered and not revoked', registers: [registry] });
  const hostsOnline = new Gauge({
    name: 'farm_hosts_online',
    help: 'Hosts whose agent reported within its report expiry',
    registers: [registry],
  });

  const perScrape = [printersByStatus, temperature, target, linesPerSecond, restarts, ...counters.map((c) => c.metric)];

  /** Replaces every farm series with the readings (printers that went away drop out). */
  function apply(readings: FarmReadings): void {
    for (const metric of perScrape) metric.reset();
    const counts = new Map<PrinterStatus, number>(PRINTER_STATUSES.map((s) => [s, 0]));
    for (const printer of readings.printers) {
      counts.set(printer.status, (counts.get(printer.status) ?? 0) + 1);
      const labels = { printer_id: printer.id, printer_name: printer.name };
      for (const heater of printer.heaters) {
        temperature.set({ ...labels, heater: heater.heater }, heater.actualC);
        target.set({ ...labels, heater: heater.heater }, heater.targetC);
      }
      if (printer.stats) {
        linesPerSecond.set(labels, printer.stats.linesPerSecond);
        for (const { field, metric } of counters) metric.inc(labels, printer.stats[field]);
      }
      if (printer.workerRestarts !== null) restarts.inc(labels, printer.workerRestarts);
    }
    for (const [status, count] of counts) printersByStatus.set({ status }, count);
    hostsKnown.set(readings.hostsKnown);
    hostsOnline.set(readings.hostsOnline);
  }

  return { registry, apply, contentType: registry.contentType };
}
