import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../src/config/printer-config.js';
import { Firmware } from '../src/firmware/firmware.js';
import { FirmwareDriver } from '../src/runtime/firmware-driver.js';
import { LATE_WAKE_MS, SimulatorTimingMeter } from '../src/runtime/simulator-timing.js';

describe('simulator timing', () => {
  it('counts wakes, the worst lateness and the wakes past the threshold', () => {
    const meter = new SimulatorTimingMeter();
    meter.woke(100, 99.5); // early (the driver may wake before the event): not negative lateness
    meter.woke(200, 201.2);
    meter.woke(300, 300 + LATE_WAKE_MS + 20);
    expect(meter.snapshot()).toEqual({ wakes: 3, maxLateMs: LATE_WAKE_MS + 20, lateWakes: 1 });
  });

  describe('in the driver', () => {
    let clock = 0;
    const written: string[] = [];
    const start = () => {
      const firmware = new Firmware({ config: defaultConfig({ bootMs: 100, baud: 0, latencyMs: 0 }) });
      const driver = new FirmwareDriver(firmware, { now: () => clock, write: (data) => written.push(data.toString('latin1')), signal: () => undefined });
      driver.act((now) => firmware.hostOpened(now));
      return driver;
    };

    beforeEach(() => {
      vi.useFakeTimers();
      clock = 0;
      written.length = 0;
    });
    afterEach(() => vi.useRealTimers());

    it('records nothing late when its timer fires on time', () => {
      const driver = start();
      clock = 100;
      vi.advanceTimersByTime(100);
      expect(written.join('')).toContain('start');
      expect(driver.timingStats()).toMatchObject({ maxLateMs: 0, lateWakes: 0 });
      expect(driver.timingStats().wakes).toBeGreaterThan(0);
      driver.stop();
    });

    it('records a wake that came late because the process was busy', () => {
      const driver = start();
      clock = 130; // the event loop was blocked: the boot's timer runs 30 ms after its event was due
      vi.advanceTimersByTime(100);
      expect(written.join('')).toContain('start');
      expect(driver.timingStats()).toMatchObject({ maxLateMs: 30, lateWakes: 1 });
      driver.stop();
    });
  });
});
