import { describe, expect, it } from 'vitest';
import { watchdogConfig } from './watchdog-config.js';
import { WatchdogRunner } from './watchdog-runner.js';
import type { WatchdogAction } from './watchdog-types.js';

describe('WatchdogRunner', () => {
  it('stops the printer on its own clock when readings stop arriving while heating', async () => {
    let now = 0;
    const actions: WatchdogAction[] = [];
    let resolveStop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => {
      resolveStop = resolve;
    });
    const runner = new WatchdogRunner({
      config: watchdogConfig({ T0: 260 }),
      now: () => now,
      tickMs: 1,
      onAction: (a) => {
        actions.push(a);
        resolveStop();
      },
    });
    runner.feed({ type: 'temperatures', at: 0, readings: [{ heater: 'T0', actualC: 200, targetC: 200 }] });
    runner.start();
    now = 31_000; // the printer fell silent: only the runner's ticks arrive now
    await stopped;
    runner.stop();
    expect(actions).toEqual([{ type: 'emergency-stop', alarm: { reason: 'stale-readings', at: 31_000 } }]);
    expect(runner.tripped).toBe(true);
  });
});
