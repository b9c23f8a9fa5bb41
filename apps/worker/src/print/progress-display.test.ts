import { describe, expect, it } from 'vitest';
import { describeProgress, ProgressDisplay } from './progress-display.js';

const progress = { lines: 500, bytes: 2500, totalBytes: 10_000, resends: 2 };

describe('ProgressDisplay', () => {
  it('redraws one terminal line at most four times a second', () => {
    const out: string[] = [];
    const display = new ProgressDisplay({ isTty: true, write: (text) => out.push(text) });
    for (let ms = 0; ms <= 1000; ms += 10) display.update(progress, ms);
    expect(out).toHaveLength(5);
    expect(out.every((text) => text.startsWith('\r\x1b[2K') && !text.includes('\n'))).toBe(true);
    display.finish();
    expect(out.at(-1)).toBe('\r\x1b[2K');
  });

  it('writes plain lines every few seconds into a pipe', () => {
    const out: string[] = [];
    const display = new ProgressDisplay({ isTty: false, write: (text) => out.push(text) });
    for (let ms = 0; ms <= 12_000; ms += 100) display.update(progress, ms);
    expect(out).toHaveLength(3);
    expect(out.every((text) => text.endsWith('\n') && !text.includes('\r'))).toBe(true);
    display.finish();
    expect(out).toHaveLength(3);
  });

  it('shows percent of the file, lines, time, rate and resends', () => {
    expect(describeProgress(progress, 2000)).toBe('25.0%  500 lines  2.0 s  250 lines/s  2 resends');
  });
});
