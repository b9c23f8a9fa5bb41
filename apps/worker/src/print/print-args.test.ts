import { describe, expect, it } from 'vitest';
import { parsePrintArgs } from './print-args.js';

describe('parsePrintArgs', () => {
  it('takes the port, baud rate, flow mode and file', () => {
    expect(parsePrintArgs(['--port', '/dev/ttyUSB0', '--baud', '250000', '--flow', 'window', '--rx-buffer', '255', 'cube.gcode'])).toEqual({
      port: '/dev/ttyUSB0',
      baudRate: 250000,
      flow: 'window',
      rxBufferBytes: 255,
      maxHotendC: 260,
      maxBedC: 110,
      tools: 1,
      knownMacros: [],
      bootWaitMs: undefined,
      file: 'cube.gcode',
      json: false,
      quiet: false,
      threadPoolIo: false,
    });
  });

  it('defaults to 115200 baud, automatic flow control and 260/110 C caps', () => {
    const args = parsePrintArgs(['--port', 'tcp://bridge:23', 'a.gcode']);
    expect(args).toMatchObject({ baudRate: 115200, flow: 'auto', rxBufferBytes: undefined, maxHotendC: 260, maxBedC: 110 });
  });

  it('collects tools, Klipper macros and the boot wait', () => {
    const args = parsePrintArgs(['--port', 'p', '--tools', '5', '--macro', 'START_PRINT', '--macro', 'END_PRINT', '--boot-wait', '0', '--thread-pool-io', 'a.gcode']);
    expect(args).toMatchObject({ tools: 5, knownMacros: ['START_PRINT', 'END_PRINT'], bootWaitMs: 0, threadPoolIo: true });
  });

  it('refuses a missing port, a missing file and an unknown flow mode', () => {
    expect(() => parsePrintArgs(['a.gcode'])).toThrow(/--port is required/);
    expect(() => parsePrintArgs(['--port', '/dev/ttyUSB0'])).toThrow(/FILE/);
    expect(() => parsePrintArgs(['--port', '/dev/ttyUSB0', '--flow', 'fast', 'a.gcode'])).toThrow(/pingpong, window or auto/);
  });

  it('refuses nonsense numbers', () => {
    expect(() => parsePrintArgs(['--port', 'p', '--baud', '115k', 'a.gcode'])).toThrow(/--baud/);
    expect(() => parsePrintArgs(['--port', 'p', '--max-hotend', '900', 'a.gcode'])).toThrow(/--max-hotend/);
    expect(() => parsePrintArgs(['--port', 'p', '--bogus', 'a.gcode'])).toThrow(/bogus/);
  });
});
