import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { LiveEvent } from './live-events.js';
import { PrinterLiveState } from './printer-live.js';
import { HEARTBEAT_TTL_SECONDS, liveKeys, RedisKeyError, TEMPERATURE_HISTORY_MAXLEN } from './redis-keys.js';

describe('liveKeys', () => {
  const keys = liveKeys('farm:');

  it('puts every key of a printer under the deployment prefix', () => {
    expect(keys.printerState('p1')).toBe('farm:printer:p1:state');
    expect(keys.heartbeat('p1')).toBe('farm:printer:p1:heartbeat');
    expect(keys.temperatureHistory('p1')).toBe('farm:printer:p1:temperatures');
    expect(keys.controlStream('p1')).toBe('farm:printer:p1:control');
    expect(keys.controlResults('p1')).toBe('farm:printer:p1:control-results');
    expect(keys.snapshot('p1')).toBe('farm:printer:p1:snapshot');
    expect(keys.events).toBe('farm:events');
    expect(keys.emergencyStop).toBe('farm:emergency-stop');
  });

  it('gives the emergency stop its own channel, apart from events and control streams', () => {
    expect(new Set([keys.emergencyStop, keys.events, keys.controlStream('p1')]).size).toBe(3);
  });

  it('refuses ids that could reach into another key space', () => {
    for (const bad of ['a:b', '*', 'p1 ', '', 'x'.repeat(65), '../p']) expect(() => keys.printerState(bad)).toThrow(RedisKeyError);
  });

  it('keeps two hours of 1 Hz temperatures and a short heartbeat', () => {
    expect(TEMPERATURE_HISTORY_MAXLEN).toBeGreaterThanOrEqual(2 * 3600);
    expect(HEARTBEAT_TTL_SECONDS).toBe(10);
  });
});

describe('live schemas', () => {
  const state = {
    printerId: 'p1',
    hostId: 'host-a',
    status: 'printing',
    updatedAt: 1,
    heaters: [{ heater: 'T0', actualC: 210.2, targetC: 210 }],
    job: { jobId: 'j1', fraction: 0.5, linesSent: 1000, elapsedS: 60 },
  };

  it('accepts a printer state and its event, and refuses unknown statuses', () => {
    expect(Value.Check(PrinterLiveState, state)).toBe(true);
    expect(Value.Check(LiveEvent, { type: 'printer.state', at: 1, state })).toBe(true);
    expect(Value.Check(PrinterLiveState, { ...state, status: 'on-fire' })).toBe(false);
  });

  it('refuses events with smuggled fields', () => {
    expect(Value.Check(LiveEvent, { type: 'printer.offline', at: 1, printerId: 'p1', html: '<script>' })).toBe(false);
  });
});
