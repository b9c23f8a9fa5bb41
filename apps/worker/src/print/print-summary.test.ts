import { describe, expect, it } from 'vitest';
import { summaryLine, type PrintSummary } from './print-summary.js';

const base: PrintSummary = {
  result: 'completed',
  lines: 22585,
  seconds: 41.27,
  linesPerSecond: 547.3,
  resends: 3,
  timeouts: 0,
  flow: 'window',
  cpuSeconds: 2.1,
  maxRssMb: 80,
};

describe('summaryLine', () => {
  it('gives lines, seconds, lines/s, resends and result on one line', () => {
    expect(summaryLine(base)).toBe('22585 lines, 41.3 s, 547 lines/s, 3 resends, result completed');
  });

  it('says where an interrupted print stopped and why', () => {
    const text = summaryLine({
      ...base,
      result: 'interrupted',
      code: 'disconnected',
      reason: 'port closed: /dev/ttyUSB0 vanished',
      stoppedAt: { fileLine: 812, byteOffset: 20133 },
    });
    expect(text).toBe(
      '22585 lines, 41.3 s, 547 lines/s, 3 resends, result interrupted (disconnected), stopped after file line 812 (byte 20133): port closed: /dev/ttyUSB0 vanished',
    );
  });
});
