import type { CommandContext, Handler } from './command-context.js';
import type { Temperatures } from './replies/index.js';

/**
 * M109 / M190: set the target, then wait until the heater has stayed within
 * 1 °C of it for the residency time (10 s, Marlin's TEMP_RESIDENCY_TIME),
 * printing a temperature line every second with the residency countdown:
 *
 *    T:198.95 /200.00 B:25.00 /0.00 @:75 B@:0 W:9
 *
 * `S` waits only when heating, `R` also when cooling (Marlin). M108 ends the wait.
 */
const WINDOW_C = 1;
const RESIDENCY_S = 10;

export function* heaterWait(ctx: CommandContext, which: 'hotend' | 'bed', params: Record<string, number | true>): Handler {
  const heater = ctx[which];
  ctx.readHeaters();
  const s = params.S;
  const r = params.R;
  const target = typeof s === 'number' ? s : typeof r === 'number' ? r : undefined;
  if (target === undefined) return;
  heater.target = Math.max(0, target);
  const coolingToo = typeof r === 'number' && typeof s !== 'number';
  if (!coolingToo && heater.sensed >= heater.target - WINDOW_C) return;
  if (heater.target === 0) return;
  ctx.waitBroken = false;
  let residencyStartS: number | undefined;
  for (;;) {
    ctx.readHeaters();
    const nowS = (ctx.now * ctx.config.timeScale) / 1000;
    const within = Math.abs(heater.sensed - heater.target) <= WINDOW_C;
    if (within) residencyStartS ??= nowS;
    else if (Math.abs(heater.sensed - heater.target) > 3) residencyStartS = undefined;
    const left = residencyStartS === undefined ? undefined : Math.max(0, RESIDENCY_S - (nowS - residencyStartS));
    if (ctx.replies.heaterWaitReports && ctx.temperatureReports) {
      ctx.emit(ctx.replies.temperatures(temperatures(ctx), { kind: 'wait', residencyS: left }));
    }
    if (left === 0) return;
    yield { kind: 'until', at: ctx.now + ctx.scaled(1000), interruptible: true };
    if (ctx.waitBroken) return;
  }
}

export function temperatures(ctx: CommandContext): Temperatures {
  const h = ctx.hotend;
  const b = ctx.bed;
  return {
    hotend: { temp: h.sensed, target: h.target, pwm: h.pwm },
    bed: { temp: b.sensed, target: b.target, pwm: b.pwm },
  };
}
