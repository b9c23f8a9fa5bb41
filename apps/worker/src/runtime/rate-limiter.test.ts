import { describe, expect, it } from 'vitest';
import { flushLog, initialLogLimiter, limitLog, type LogLimiterState } from './rate-limiter.js';

function feed(state: LogLimiterState, lines: number, at: number, perSecond: number) {
  const emitted: string[] = [];
  let current = state;
  for (let i = 0; i < lines; i++) {
    const decision = limitLog(current, `line ${i}`, at, perSecond);
    current = decision.state;
    emitted.push(...decision.emit);
  }
  return { state: current, emitted };
}

describe('serial log rate limiter', () => {
  it('passes lines up to the budget and counts the rest', () => {
    const { state, emitted } = feed(initialLogLimiter, 8, 1000, 5);
    expect(emitted).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    expect(state.skipped).toBe(3);
  });

  it('reports the skipped lines when the next window opens, within that window’s budget', () => {
    const first = feed(initialLogLimiter, 8, 1000, 5);
    const second = feed(first.state, 6, 2000, 5);
    expect(second.emitted).toEqual(['[3 lines skipped]', 'line 0', 'line 1', 'line 2', 'line 3']);
    expect(second.state.skipped).toBe(2);
  });

  it('reports skips of a window that was followed by silence, once', () => {
    const first = feed(initialLogLimiter, 6, 1000, 5);
    expect(flushLog(first.state, 1500).emit).toEqual([]);
    const flushed = flushLog(first.state, 2100);
    expect(flushed.emit).toEqual(['[1 line skipped]']);
    expect(flushLog(flushed.state, 3200).emit).toEqual([]);
  });
});
