import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, initialSchedule, nextCaptureAt, stepSchedule, type ScheduleEvent, type ScheduleState } from './snapshot-schedule.js';

function captures(events: ScheduleEvent[]): { at: number[]; state: ScheduleState } {
  let state = initialSchedule;
  const at: number[] = [];
  for (const e of events) {
    const step = stepSchedule(state, e, DEFAULT_SCHEDULE);
    state = step.state;
    if (step.capture) at.push(e.at);
  }
  return { at, state };
}

const ticks = (from: number, to: number, every: number): ScheduleEvent[] => {
  const out: ScheduleEvent[] = [];
  for (let at = from; at <= to; at += every) out.push({ type: 'tick', at });
  return out;
};

/** Ticks every second; every capture completes 100 ms after it started. */
function simulate(until: number, extra: ScheduleEvent[] = [], outcome: 'captured' | 'failed' = 'captured'): number[] {
  let state = initialSchedule;
  const started: number[] = [];
  const queue = [...ticks(0, until, 1000), ...extra].sort((a, b) => a.at - b.at);
  while (queue.length > 0) {
    const e = queue.shift()!;
    const step = stepSchedule(state, e, DEFAULT_SCHEDULE);
    state = step.state;
    if (step.capture) {
      started.push(e.at);
      queue.push({ type: outcome, at: e.at + 100 });
      queue.sort((a, b) => a.at - b.at);
    }
  }
  return started;
}

describe('snapshot schedule', () => {
  it('takes a frame at once, then every 10 s', () => {
    expect(simulate(35_000)).toEqual([0, 10_000, 20_000, 30_000]);
  });

  it('takes frames every 2 s while someone watches, and slows down again after', () => {
    const started = simulate(30_000, [
      { type: 'watchers', at: 12_500, count: 1 },
      { type: 'watchers', at: 18_500, count: 0 },
    ]);
    // Ticks come every second, so watched frames land on the first tick after they are due.
    expect(started).toEqual([0, 10_000, 12_500, 15_000, 17_000, 27_000]);
  });

  it('never starts a second frame while one is in flight', () => {
    const { at } = captures([{ type: 'tick', at: 0 }, ...ticks(10_000, 60_000, 10_000)]);
    expect(at).toEqual([0]);
  });

  it('backs off while the camera keeps failing, up to a minute', () => {
    expect(simulate(200_000, [], 'failed')).toEqual([0, 20_000, 60_000, 120_000, 180_000]);
  });

  it('says when the next frame is due', () => {
    const { state } = captures([{ type: 'tick', at: 0 }, { type: 'captured', at: 300 }]);
    expect(nextCaptureAt(state, DEFAULT_SCHEDULE)).toBe(10_000);
  });
});
