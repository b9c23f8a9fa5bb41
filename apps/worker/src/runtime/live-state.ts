// Folds what happens on the serial side into the printer's live state, the
// JSON the manager and dashboards read. Pure: the runtime feeds it events
// with their time and writes the result to Redis.
import type { HeaterTemperature, LinkStats, PrinterLiveState, PrinterStatus } from '@farm/contracts';
import type { ConnectionPhase, Counters, TemperatureReport } from '@farm/serial-protocol';
import type { PortWorkerEvent } from '../port/port-worker.js';

export type LiveInput =
  | { readonly type: 'port'; readonly event: PortWorkerEvent }
  /** The worker is opening the port (start, `connect` control, retry). */
  | { readonly type: 'connecting' }
  /** The port is closed (request, failed open, lost), with the cause when it was not asked for. */
  | { readonly type: 'disconnected'; readonly error?: LiveError }
  /** A cancel was requested; the job ends with `job.finished`. */
  | { readonly type: 'cancelling' }
  /** The watchdog or an emergency stop halted the printer. */
  | { readonly type: 'stopped'; readonly error: LiveError };

export type LiveError = { readonly code: string; readonly message: string };

type CounterTotals = {
  readonly linesSent: number;
  readonly resends: number;
  readonly lineErrors: number;
  readonly timeouts: number;
};

export type LiveModel = {
  readonly state: PrinterLiveState;
  readonly phase: ConnectionPhase | 'opening';
  readonly jobStartedAt: number | undefined;
  /** Totals of links that ended: the engine's counters restart with each connection. */
  readonly carried: CounterTotals;
  readonly current: CounterTotals;
  /** (time, total lines sent) samples for lines per second. */
  readonly rate: readonly (readonly [number, number])[];
};

/** Lines per second is measured over this window. */
export const RATE_WINDOW_MS = 5_000;
const ZERO: CounterTotals = { linesSent: 0, resends: 0, lineErrors: 0, timeouts: 0 };
const MESSAGE_MAX = 500;
const HEATER_ID = /^(T[0-7]|B|C)$/;

export function initialLiveModel(printerId: string, hostId: string, at: number): LiveModel {
  return {
    state: {
      printerId,
      hostId,
      status: 'disconnected',
      updatedAt: at,
      heaters: [],
      stats: { ...ZERO, connects: 0, linesPerSecond: 0 },
    },
    phase: 'closed',
    jobStartedAt: undefined,
    carried: ZERO,
    current: ZERO,
    rate: [],
  };
}

export function reduceLive(model: LiveModel, input: LiveInput, at: number): LiveModel {
  const next = step(model, input, at);
  if (next === model) return model;
  return { ...next, state: { ...next.state, updatedAt: at } };
}

function withStatus(model: LiveModel, status: PrinterStatus, error?: LiveError | null): LiveModel {
  const state: PrinterLiveState = { ...model.state, status };
  if (error === null) delete state.error;
  else if (error !== undefined)
    state.error = { code: error.code.slice(0, 64), message: error.message.slice(0, MESSAGE_MAX) };
  return { ...model, state };
}

function step(model: LiveModel, input: LiveInput, at: number): LiveModel {
  switch (input.type) {
    case 'connecting':
      return { ...withStatus(model, 'connecting', null), phase: 'opening' };
    case 'disconnected': {
      const next = withStatus(model, 'disconnected', input.error ?? null);
      const state = { ...next.state };
      delete state.job;
      return { ...next, state, phase: 'closed', jobStartedAt: undefined };
    }
    case 'cancelling':
      return model.state.job ? withStatus(model, 'cancelling') : model;
    case 'stopped':
      return withStatus(model, 'halted', input.error);
    case 'port':
      return portEvent(model, input.event, at);
  }
}

function statusOfPhase(model: LiveModel, phase: ConnectionPhase): PrinterStatus {
  switch (phase) {
    case 'closed':
      return 'disconnected';
    case 'booting':
    case 'hello':
    case 'identifying':
      return 'connecting';
    case 'halted':
      return 'halted';
    case 'ready':
      return model.state.job ? model.state.status : 'idle';
  }
}

function portEvent(model: LiveModel, event: PortWorkerEvent, at: number): LiveModel {
  switch (event.type) {
    case 'connection.state': {
      const status = statusOfPhase(model, event.phase);
      // A fresh handshake clears the previous connection's error; a halt keeps the alarm that caused it.
      const error =
        event.phase === 'ready'
          ? null
          : event.phase === 'halted' && event.reason && !model.state.error
            ? { code: 'halted', message: event.reason }
            : undefined;
      return { ...withStatus(model, status, error), phase: event.phase };
    }
    case 'transport.opened': {
      const carried = add(model.carried, model.current);
      const stats = model.state.stats ?? { ...ZERO, connects: 0, linesPerSecond: 0 };
      return {
        ...model,
        carried,
        current: ZERO,
        state: { ...model.state, stats: { ...stats, connects: stats.connects + 1 } },
      };
    }
    case 'transport.lost': {
      const next = withStatus(model, 'disconnected', { code: 'transport-lost', message: event.cause });
      const state = { ...next.state };
      delete state.job;
      return { ...next, state, phase: 'closed', jobStartedAt: undefined };
    }
    case 'firmware.info':
      return {
        ...model,
        state: {
          ...model.state,
          firmware: {
            name: (event.firmware.name || 'unknown').slice(0, 200),
            advancedOk: event.flow === 'window' || event.firmware.capabilities.ADVANCED_OK === true,
          },
        },
      };
    case 'temperature':
      return { ...model, state: { ...model.state, heaters: heatersOf(event.report) } };
    case 'counters':
      return countersEvent(model, event.counters, at);
    case 'job.started': {
      const next = withStatus(model, 'printing', null);
      return {
        ...next,
        jobStartedAt: at,
        state: { ...next.state, job: { jobId: event.jobId.slice(0, 64), fraction: 0, linesSent: 0, elapsedS: 0 } },
      };
    }
    case 'job.paused':
      return model.state.job ? withStatus(model, 'paused') : model;
    case 'job.resumed':
      return model.state.job ? withStatus(model, 'printing') : model;
    case 'job.progress': {
      const job = model.state.job;
      if (!job || job.jobId !== event.jobId) return model;
      const fraction = clamp01(
        event.totalBytes
          ? event.at.byteOffset / event.totalBytes
          : event.totalLines
            ? event.acknowledgedLines / event.totalLines
            : job.fraction,
      );
      const elapsedS = Math.max(0, (at - (model.jobStartedAt ?? at)) / 1000);
      const progress = { jobId: job.jobId, fraction, linesSent: event.acknowledgedLines, elapsedS };
      return {
        ...model,
        state: {
          ...model.state,
          job: fraction > 0.001 ? { ...progress, remainingS: (elapsedS * (1 - fraction)) / fraction } : progress,
        },
      };
    }
    case 'job.finished': {
      const state = { ...model.state };
      delete state.job;
      const status =
        model.phase === 'ready'
          ? 'idle'
          : statusOfPhase({ ...model, state }, model.phase === 'opening' ? 'booting' : model.phase);
      const result = event.result;
      const error =
        result.status === 'failed' || result.status === 'interrupted'
          ? { code: result.code, message: result.reason }
          : undefined;
      return { ...withStatus({ ...model, state }, status, error), jobStartedAt: undefined };
    }
    case 'error':
      if (!event.fatal) return model;
      return withStatus(model, model.state.status, { code: event.code, message: event.message });
    case 'transport.closed':
    case 'transport.note':
    case 'position':
    case 'firmware.progress':
    case 'firmware.message':
    case 'firmware.busy':
    case 'action':
    case 'prompt':
    case 'serial.log':
      return model;
  }
}

function countersEvent(model: LiveModel, counters: Counters, at: number): LiveModel {
  const current: CounterTotals = {
    linesSent: counters.linesSent,
    resends: counters.resends,
    lineErrors: counters.resendRequests,
    timeouts: counters.timeouts,
  };
  const total = add(model.carried, current);
  const rate = [...model.rate.filter(([t]) => t >= at - RATE_WINDOW_MS), [at, total.linesSent] as const];
  const stats: LinkStats = {
    ...total,
    connects: model.state.stats?.connects ?? 0,
    linesPerSecond: linesPerSecond(rate),
  };
  return { ...model, current, rate, state: { ...model.state, stats } };
}

/** Lines per second over the window; recomputed on the runtime's tick so it falls to 0 when the stream stops. */
export function refreshRate(model: LiveModel, at: number): LiveModel {
  const rate = model.rate.filter(([t]) => t >= at - RATE_WINDOW_MS);
  const lps = linesPerSecond(rate.length > 0 ? [...rate, [at, rate[rate.length - 1]?.[1] ?? 0] as const] : []);
  const stats = model.state.stats;
  if (!stats || stats.linesPerSecond === lps) return rate.length === model.rate.length ? model : { ...model, rate };
  return { ...model, rate, state: { ...model.state, stats: { ...stats, linesPerSecond: lps }, updatedAt: at } };
}

function linesPerSecond(rate: readonly (readonly [number, number])[]): number {
  const first = rate[0];
  const last = rate[rate.length - 1];
  if (!first || !last || last[0] <= first[0]) return 0;
  return Math.round(((last[1] - first[1]) / ((last[0] - first[0]) / 1000)) * 10) / 10;
}

function add(a: CounterTotals, b: CounterTotals): CounterTotals {
  return {
    linesSent: a.linesSent + b.linesSent,
    resends: a.resends + b.resends,
    lineErrors: a.lineErrors + b.lineErrors,
    timeouts: a.timeouts + b.timeouts,
  };
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/** Marlin reports power as 0–127; anything above 1 is taken as that scale. */
export function heatersOf(report: TemperatureReport): HeaterTemperature[] {
  const heaters: HeaterTemperature[] = [];
  for (const [id, reading] of Object.entries(report.heaters)) {
    if (!HEATER_ID.test(id) || !Number.isFinite(reading.actual)) continue;
    const heater: HeaterTemperature = {
      heater: id,
      actualC: reading.actual,
      targetC: Math.max(0, reading.target ?? 0),
    };
    const power = report.power[id];
    if (power !== undefined && Number.isFinite(power)) heater.power = clamp01(power > 1 ? power / 127 : power);
    heaters.push(heater);
    if (heaters.length >= 16) break;
  }
  return heaters;
}
