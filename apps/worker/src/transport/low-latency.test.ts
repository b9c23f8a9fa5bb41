import { describe, expect, it } from 'vitest';
import { requestLowLatency, type LowLatencyDeps } from './low-latency.js';

function fakeDeps(overrides: Partial<LowLatencyDeps> & { files?: Set<string> } = {}) {
  const writes: Array<[string, string]> = [];
  const runs: Array<[string, readonly string[]]> = [];
  const files = overrides.files ?? new Set<string>();
  const deps: LowLatencyDeps = {
    realpath: async (path) => (path.startsWith('/dev/serial/by-id/') ? '/dev/ttyUSB0' : path),
    exists: async (path) => files.has(path),
    writeFile: async (path, text) => {
      writes.push([path, text]);
    },
    which: async () => '/usr/bin/setserial',
    run: async (file, args) => {
      runs.push([file, args]);
    },
    ...overrides,
  };
  return { deps, writes, runs };
}

describe('requestLowLatency', () => {
  it('sets the FTDI latency timer to 1 ms and the low-latency flag on the real device behind a by-id link', async () => {
    const { deps, writes, runs } = fakeDeps({ files: new Set(['/sys/bus/usb-serial/devices/ttyUSB0/latency_timer']) });
    const result = await requestLowLatency('/dev/serial/by-id/usb-FTDI_FT232R-if00-port0', deps);
    expect(result.device).toBe('/dev/ttyUSB0');
    expect(writes).toEqual([['/sys/bus/usb-serial/devices/ttyUSB0/latency_timer', '1']]);
    expect(runs).toEqual([['/usr/bin/setserial', ['/dev/ttyUSB0', 'low_latency']]]);
    expect(result.notes).toContain('latency_timer of ttyUSB0 set to 1 ms');
  });

  it('leaves a pseudo-terminal alone', async () => {
    const { deps, writes, runs } = fakeDeps();
    const result = await requestLowLatency('/dev/pts/7', deps);
    expect(writes).toEqual([]);
    expect(runs).toEqual([]);
    expect(result.notes[0]).toMatch(/pseudo-terminal/);
  });

  it('notes a missing setserial and a non-FTDI device instead of failing', async () => {
    const { deps } = fakeDeps({ which: async () => undefined });
    const result = await requestLowLatency('/dev/ttyACM0', deps);
    expect(result.notes).toEqual(['ttyACM0 has no FTDI latency_timer', 'setserial is not installed: ASYNC_LOW_LATENCY not requested']);
  });

  it('turns permission errors into notes', async () => {
    const { deps } = fakeDeps({
      files: new Set(['/sys/bus/usb-serial/devices/ttyUSB1/latency_timer']),
      writeFile: async () => {
        throw new Error('EACCES: permission denied');
      },
      run: async () => {
        throw new Error('Cannot set serial info: Operation not permitted');
      },
    });
    const result = await requestLowLatency('/dev/ttyUSB1', deps);
    expect(result.notes).toEqual([
      'could not set latency_timer of ttyUSB1: EACCES: permission denied',
      'setserial /dev/ttyUSB1 low_latency failed: Cannot set serial info: Operation not permitted',
    ]);
  });
});
