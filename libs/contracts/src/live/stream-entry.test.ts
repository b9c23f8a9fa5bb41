import { describe, expect, it } from 'vitest';
import { STREAM_FIELD } from './redis-keys.js';
import { streamJson, streamMessage } from './stream-entry.js';

describe('stream entries', () => {
  it('reads the message field', () => {
    expect(streamMessage([STREAM_FIELD, '{"a":1}'])).toBe('{"a":1}');
    expect(streamMessage(['other', 'x', STREAM_FIELD, 'y'])).toBe('y');
  });

  it('matches field names only, never a value that reads like one', () => {
    expect(streamMessage(['other', STREAM_FIELD, 'third', 'z'])).toBeUndefined();
  });

  it('ignores entries without the field, with a dangling name, or stuffed with fields', () => {
    expect(streamMessage([])).toBeUndefined();
    expect(streamMessage([STREAM_FIELD])).toBeUndefined();
    const stuffed = [...Array.from({ length: 40 }, (_, i) => `f${i}`), STREAM_FIELD, 'late'];
    expect(streamMessage(stuffed)).toBeUndefined();
  });

  it('parses JSON and refuses what is not', () => {
    expect(streamJson([STREAM_FIELD, '{"a":1}'])).toEqual({ a: 1 });
    expect(streamJson([STREAM_FIELD, '{broken'])).toBeUndefined();
    expect(streamJson(['other', '1'])).toBeUndefined();
  });
});
