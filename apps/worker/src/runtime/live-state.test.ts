import Value from 'typebox/value';
import { PrinterLiveState } from '@farm/contracts';
import type { Counters } from '@farm/serial-protocol';
import { describe, expect, it } from 'vitest';
import type { PortWorkerEvent } from '../port/port-worker.js';
import { initialLiveModel, reduceLive, refreshRate, type LiveInput, type LiveModel } from './live-state.js';

const port = (event: PortWorkerEvent): LiveInput => ({ type: 'port', event });
const counters = (linesSent: number, extra: Partial<Counters> = {}): LiveInput =>
  port({
    type: 'counters',
    counters: {
      linesSent,
      resends: 0,
      resendRequests: 0,
      timeouts: 0,
      okCount: linesSent,
      plannerFree: null,
      ...extra,
    },
  });

function fold(
  inputs: readonly (readonly [LiveInput, number])[],
  start: LiveModel = initialLiveModel('p1', 'host-a', 0),
): LiveModel {
  return inputs.reduce((model, [input, at]) => reduceLive(model, input, at), start);
}

const connected: (readonly [LiveInput, number])[] = [
  [{ type: 'connecting' }, 1],
  [port({ type: 'transport.opened', target: '/dev/pts/9' }), 2],
  [port({ type: 'connection.state', phase: 'booting' }), 3],
  [
    port({
      type: 'firmware.info',
      firmware: { name: 'Marlin 2.1', flavor: 'marlin', fields: {}, capabilities: { ADVANCED_OK: true } },
      flow: 'window',
    }),
    4,
  ],
  [port({ type: 'connection.state', phase: 'ready' }), 5],
];

describe('live state reducer', () => {
  it('starts disconnected and walks through connecting to idle with the firmware named', () => {
    const first = initialLiveModel('p1', 'host-a', 0);
    expect(first.state.status).toBe('disconnected');
    const model = fold(connected);
    expect(model.state).toMatchObject({
      status: 'idle',
      firmware: { name: 'Marlin 2.1', advancedOk: true },
      updatedAt: 5,
    });
    expect(model.state.stats?.connects).toBe(1);
    expect(Value.Check(PrinterLiveState, model.state)).toBe(true);
  });

  it('keeps the heaters Marlin reports, with power scaled to 0–1, and drops sensors that are not heaters', () => {
    const model = fold([
      ...connected,
      [
        port({
          type: 'temperature',
          report: {
            heaters: {
              T0: { actual: 200.5, target: 210 },
              B: { actual: 60, target: null },
              P: { actual: 30, target: null },
            },
            power: { T0: 127 },
          },
        }),
        6,
      ],
    ]);
    expect(model.state.heaters).toEqual([
      { heater: 'T0', actualC: 200.5, targetC: 210, power: 1 },
      { heater: 'B', actualC: 60, targetC: 0 },
    ]);
  });

  it('follows a job: printing with progress, paused, resumed, cancelling, then idle again', () => {
    let model = fold([...connected, [port({ type: 'job.started', jobId: 'j1' }), 10_000]]);
    expect(model.state).toMatchObject({ status: 'printing', job: { jobId: 'j1', fraction: 0 } });
    model = reduceLive(
      model,
      port({
        type: 'job.progress',
        jobId: 'j1',
        acknowledgedLines: 50,
        at: { fileLine: 60, byteOffset: 250 },
        totalBytes: 1000,
        totalLines: null,
      }),
      20_000,
    );
    expect(model.state.job).toEqual({ jobId: 'j1', fraction: 0.25, linesSent: 50, elapsedS: 10, remainingS: 30 });
    model = reduceLive(model, port({ type: 'job.paused', jobId: 'j1' }), 21_000);
    expect(model.state.status).toBe('paused');
    model = reduceLive(model, port({ type: 'job.resumed', jobId: 'j1' }), 22_000);
    expect(model.state.status).toBe('printing');
    model = reduceLive(model, { type: 'cancelling' }, 23_000);
    expect(model.state.status).toBe('cancelling');
    model = reduceLive(
      model,
      port({
        type: 'job.finished',
        jobId: 'j1',
        result: { status: 'cancelled', lines: 50, at: null, positionUnknown: false },
      }),
      24_000,
    );
    expect(model.state.status).toBe('idle');
    expect(model.state.job).toBeUndefined();
    expect(model.state.error).toBeUndefined();
  });

  it('ignores progress of another job and a cancel with no job', () => {
    const model = fold([...connected, [{ type: 'cancelling' }, 6]]);
    expect(model.state.status).toBe('idle');
    const printing = reduceLive(model, port({ type: 'job.started', jobId: 'j1' }), 7);
    const other = reduceLive(
      printing,
      port({
        type: 'job.progress',
        jobId: 'j2',
        acknowledgedLines: 5,
        at: { fileLine: 5, byteOffset: 5 },
        totalBytes: 10,
        totalLines: null,
      }),
      8,
    );
    expect(other).toBe(printing);
  });

  it('reports an interrupted job with its reason and a lost port as disconnected with the cause', () => {
    let model = fold([...connected, [port({ type: 'job.started', jobId: 'j1' }), 6]]);
    model = reduceLive(model, port({ type: 'connection.state', phase: 'closed', reason: 'gone' }), 7);
    model = reduceLive(model, port({ type: 'transport.lost', target: '/dev/pts/9', cause: 'EIO' }), 8);
    expect(model.state).toMatchObject({ status: 'disconnected', error: { code: 'transport-lost', message: 'EIO' } });
    expect(model.state.job).toBeUndefined();
  });

  it('marks a halt with the alarm that caused it, and a new handshake clears it', () => {
    let model = fold([
      ...connected,
      [{ type: 'stopped', error: { code: 'watchdog-above-profile-max', message: 'too hot' } }, 6],
    ]);
    model = reduceLive(model, port({ type: 'connection.state', phase: 'halted', reason: 'emergency stop' }), 7);
    expect(model.state).toMatchObject({ status: 'halted', error: { code: 'watchdog-above-profile-max' } });
    model = fold(connected, model);
    expect(model.state.status).toBe('idle');
    expect(model.state.error).toBeUndefined();
  });

  it('counts lines, resends and errors across reconnects, and lines per second over the window', () => {
    let model = fold([
      ...connected,
      [counters(100, { resends: 2, resendRequests: 1, timeouts: 1 }), 1000],
      [counters(300, { resends: 2, resendRequests: 1, timeouts: 1 }), 3000],
    ]);
    expect(model.state.stats).toMatchObject({
      linesSent: 300,
      resends: 2,
      lineErrors: 1,
      timeouts: 1,
      connects: 1,
      linesPerSecond: 100,
    });
    // A new connection: the engine's counters start again at zero, the totals keep growing.
    model = fold(
      [
        [port({ type: 'transport.opened', target: '/dev/pts/9' }), 4000],
        [counters(10), 4500],
      ],
      model,
    );
    expect(model.state.stats).toMatchObject({ linesSent: 310, resends: 2, connects: 2 });
    // Nothing streams for a while: the rate falls to zero.
    expect(refreshRate(model, 20_000).state.stats?.linesPerSecond).toBe(0);
  });

  it('returns the same model when nothing changes', () => {
    const model = fold(connected);
    expect(reduceLive(model, port({ type: 'transport.note', text: 'low latency on' }), 99)).toBe(model);
  });
});
