import { describe, expect, it } from 'vitest';
import { initialSupervisor, nextWakeAt, restartDelay, stepSupervisor, type SupervisorAction, type SupervisorEvent, type SupervisorState } from './supervision.js';

/** Workers whose spec is a device path named after the printer. */
const w = (...ids: string[]) => ids.map((printerId) => ({ printerId, spec: `/dev/${printerId}` }));

const policy = { baseMs: 1_000, maxMs: 30_000, stableMs: 60_000 };

function run(events: SupervisorEvent[]): { state: SupervisorState; actions: SupervisorAction[] } {
  let state = initialSupervisor;
  const actions: SupervisorAction[] = [];
  for (const e of events) {
    const step = stepSupervisor(state, e, policy);
    state = step.state;
    actions.push(...step.actions);
  }
  return { state, actions };
}

describe('worker supervision', () => {
  it('starts no worker before the first admin exists, then one per printer', () => {
    const before = run([{ type: 'desired', at: 0, workers: w('a', 'b') }]);
    expect(before.actions).toEqual([]);
    const after = run([{ type: 'desired', at: 0, workers: w('a', 'b') }, { type: 'gate-opened', at: 5 }]);
    expect(after.actions).toEqual([
      { type: 'spawn', printerId: 'a', spec: '/dev/a' },
      { type: 'spawn', printerId: 'b', spec: '/dev/b' },
    ]);
  });

  it('restarts a crashing worker with exponential back-off, capped', () => {
    const events: SupervisorEvent[] = [{ type: 'gate-opened', at: 0 }, { type: 'desired', at: 0, workers: w('a') }];
    let at = 0;
    for (let i = 0; i < 7; i++) {
      at += 100;
      events.push({ type: 'exited', at, printerId: 'a' });
      at += restartDelay(i + 1, policy);
      events.push({ type: 'tick', at });
    }
    const delays = run(events).actions.flatMap((a) => (a.type === 'restart-scheduled' ? [a.delayMs] : []));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('waits out the back-off before spawning again', () => {
    const crashed = run([
      { type: 'gate-opened', at: 0 },
      { type: 'desired', at: 0, workers: w('a') },
      { type: 'exited', at: 10, printerId: 'a' },
      { type: 'tick', at: 500 },
    ]);
    expect(crashed.actions.filter((a) => a.type === 'spawn')).toHaveLength(1);
    expect(nextWakeAt(crashed.state)).toBe(1_010);
    expect(stepSupervisor(crashed.state, { type: 'tick', at: 1_010 }, policy).actions).toEqual([{ type: 'spawn', printerId: 'a', spec: '/dev/a' }]);
  });

  it('resets the back-off after a worker ran stably', () => {
    const { actions } = run([
      { type: 'gate-opened', at: 0 },
      { type: 'desired', at: 0, workers: w('a') },
      { type: 'exited', at: 10, printerId: 'a' },
      { type: 'tick', at: 1_010 },
      { type: 'exited', at: 1_020, printerId: 'a' },
      { type: 'tick', at: 3_020 },
      { type: 'exited', at: 3_020 + 120_000, printerId: 'a' },
    ]);
    expect(actions.filter((a) => a.type === 'restart-scheduled')).toEqual([
      { type: 'restart-scheduled', printerId: 'a', delayMs: 1_000, failures: 1 },
      { type: 'restart-scheduled', printerId: 'a', delayMs: 2_000, failures: 2 },
      { type: 'restart-scheduled', printerId: 'a', delayMs: 1_000, failures: 1 },
    ]);
  });

  it('stops the worker of an unplugged printer and does not restart it', () => {
    const { actions, state } = run([
      { type: 'gate-opened', at: 0 },
      { type: 'desired', at: 0, workers: w('a', 'b') },
      { type: 'desired', at: 50, workers: w('b') },
      { type: 'exited', at: 60, printerId: 'a' },
    ]);
    expect(actions).toEqual([
      { type: 'spawn', printerId: 'a', spec: '/dev/a' },
      { type: 'spawn', printerId: 'b', spec: '/dev/b' },
      { type: 'kill', printerId: 'a' },
    ]);
    expect([...state.children.keys()]).toEqual(['b']);
  });

  it('drops a pending restart when the printer goes away during back-off', () => {
    const { state, actions } = run([
      { type: 'gate-opened', at: 0 },
      { type: 'desired', at: 0, workers: w('a') },
      { type: 'exited', at: 10, printerId: 'a' },
      { type: 'desired', at: 20, workers: w() },
      { type: 'tick', at: 5_000 },
    ]);
    expect(actions.filter((a) => a.type === 'spawn')).toHaveLength(1);
    expect(state.children.size).toBe(0);
  });

  it('starts a fresh worker when a printer comes back while its old one is still stopping', () => {
    const { actions } = run([
      { type: 'gate-opened', at: 0 },
      { type: 'desired', at: 0, workers: w('a') },
      { type: 'desired', at: 10, workers: w() },
      { type: 'desired', at: 20, workers: w('a') },
      { type: 'exited', at: 30, printerId: 'a' },
    ]);
    expect(actions).toEqual([
      { type: 'spawn', printerId: 'a', spec: '/dev/a' },
      { type: 'kill', printerId: 'a' },
      { type: 'spawn', printerId: 'a', spec: '/dev/a' },
    ]);
  });

  it('replaces a running worker when its printer comes back on another path', () => {
    const { actions } = run([
      { type: 'gate-opened', at: 0 },
      { type: 'desired', at: 0, workers: w('a') },
      { type: 'desired', at: 10, workers: [{ printerId: 'a', spec: '/dev/ttyUSB3' }] },
      { type: 'exited', at: 20, printerId: 'a' },
    ]);
    expect(actions).toEqual([
      { type: 'spawn', printerId: 'a', spec: '/dev/a' },
      { type: 'kill', printerId: 'a' },
      { type: 'spawn', printerId: 'a', spec: '/dev/ttyUSB3' },
    ]);
  });
});
