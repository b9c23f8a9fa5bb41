import { describe, expect, it } from 'vitest';
import { HARD_BUFFER_BYTES, SOFT_BUFFER_BYTES, sendDecision, throttleDecision } from './pacing.js';

describe('sendDecision', () => {
  it('sends everything to a client that keeps up', () => {
    expect(sendDecision(0, true)).toBe('send');
    expect(sendDecision(SOFT_BUFFER_BYTES, true)).toBe('send');
  });

  it('drops temperatures first when a client falls behind, but keeps state changes', () => {
    expect(sendDecision(SOFT_BUFFER_BYTES + 1, true)).toBe('drop');
    expect(sendDecision(SOFT_BUFFER_BYTES + 1, false)).toBe('send');
  });

  it('closes a client that is far behind, whatever the message', () => {
    expect(sendDecision(HARD_BUFFER_BYTES + 1, false)).toBe('close');
    expect(sendDecision(HARD_BUFFER_BYTES + 1, true)).toBe('close');
  });
});

describe('throttleDecision', () => {
  it('sends the first sample at once', () => {
    expect(throttleDecision(0, undefined, 1000, false)).toEqual({ kind: 'now' });
  });

  it('holds a sample inside the interval until the interval ends', () => {
    expect(throttleDecision(1300, 1000, 1000, false)).toEqual({ kind: 'later', inMs: 700 });
  });

  it('replaces a held sample rather than scheduling another', () => {
    expect(throttleDecision(1500, 1000, 1000, true)).toEqual({ kind: 'pending' });
    // Even once the interval has passed, a held sample is still due first: never overtake it.
    expect(throttleDecision(2500, 1000, 1000, true)).toEqual({ kind: 'pending' });
  });

  it('does not let a late send hold back the next sample', () => {
    // Sent at 1990 (late in its slot); the next sample, 60 ms later, is in a new slot.
    expect(throttleDecision(2050, 1990, 1000, false)).toEqual({ kind: 'now' });
    expect(throttleDecision(2950, 2050, 1000, false)).toEqual({ kind: 'later', inMs: 50 });
  });

  it('sends at once again after a quiet interval', () => {
    expect(throttleDecision(2000, 1000, 1000, false)).toEqual({ kind: 'now' });
  });
});
