import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCli } from '../src/cli/parse-args.js';

describe('virtual-printer command line', () => {
  it('makes one printer per --link with the shared options', () => {
    const plan = parseCli(['--link', '/tmp/a', '--link', '/tmp/b', '--baud', '115200', '--advanced-ok', '--faults', 'corrupt=0.01', '--record', '/tmp/r.txt']);
    if (plan === 'help') throw new Error('unexpected help');
    expect(plan.printers.map((p) => [p.link, p.baud, p.advancedOk])).toEqual([
      ['/tmp/a', 115200, true],
      ['/tmp/b', 115200, true],
    ]);
    expect(plan.printers[0]?.faults).toMatchObject({ rates: { corrupt: 0.01 } });
    expect(plan.recordFiles).toEqual(['/tmp/r-0.txt', '/tmp/r-1.txt']);
  });

  it('expands --count with --link-prefix or a TCP base port', () => {
    const links = parseCli(['--count', '3', '--link-prefix', '/tmp/vp', '--record', '/tmp/rec-{i}']);
    if (links === 'help') throw new Error('unexpected help');
    expect(links.printers.map((p) => p.link)).toEqual(['/tmp/vp0', '/tmp/vp1', '/tmp/vp2']);
    expect(links.recordFiles).toEqual(['/tmp/rec-0', '/tmp/rec-1', '/tmp/rec-2']);
    const tcp = parseCli(['--count', '2', '--tcp', '2300']);
    if (tcp === 'help') throw new Error('unexpected help');
    expect(tcp.printers.map((p) => p.tcpPort)).toEqual([2300, 2301]);
  });

  it('refuses a missing target and unknown flavours', () => {
    expect(() => parseCli(['--baud', '250000'])).toThrow(CliUsageError);
    expect(() => parseCli(['--link', '/tmp/a', '--flavor', 'smoothie'])).toThrow(/must be one of/);
  });
});
