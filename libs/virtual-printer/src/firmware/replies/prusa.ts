import { marlinReplies } from './marlin.js';
import type { ReplyStyle, TemperatureContext, Temperatures } from './reply-style.js';

/**
 * Prusa-Firmware 3.x (MK3S, 8-bit, Marlin 1.0 lineage). Differs from Marlin in
 * the banner, busy lines without `echo:`, one-decimal temperatures with PINDA
 * (`P:`) and ambient (`A:`), its M115 and capability list. The M109 wait line
 * (`T:… E:0 W:…`) follows Prusa's heating loop; exact digits are not verified
 * against a recording.
 */
function one(x: number): string {
  return x.toFixed(1);
}

export const prusaReplies: ReplyStyle = {
  ...marlinReplies,
  supportsAdvancedOk: false,
  banner: () => [
    'start',
    'echo: 3.14.1-8237',
    'echo: Last Updated: Oct 28 2024 14:17:12 | Author: (none, default config)',
    'echo: Free Memory: 1948  PlannerBufferBytes: 1760',
    'echo:Stored settings retrieved',
  ],
  temperatures(t: Temperatures, context: TemperatureContext): string {
    const core = `T:${one(t.hotend.temp)} /${one(t.hotend.target)} B:${one(t.bed.temp)} /${one(t.bed.target)} T0:${one(t.hotend.temp)} /${one(t.hotend.target)} @:${t.hotend.pwm} B@:${t.bed.pwm} P:${one(t.bed.temp)} A:${one(t.bed.temp + 1.1)}`;
    switch (context.kind) {
      case 'm105':
        return `ok ${core}`;
      case 'auto':
        return core;
      case 'wait':
        return `T:${one(t.hotend.temp)} E:0 W:${context.residencyS === undefined ? '?' : Math.ceil(context.residencyS)}`;
    }
  },
  firmwareInfo: () => ({
    lines: [
      'FIRMWARE_NAME:Prusa-Firmware 3.14.1 based on Marlin FIRMWARE_URL:https://github.com/prusa3d/Prusa-Firmware PROTOCOL_VERSION:1.0 MACHINE_TYPE:Prusa i3 MK3S EXTRUDER_COUNT:1 UUID:00000000-0000-0000-0000-000000000000',
      'Cap:AUTOREPORT_TEMP:1',
      'Cap:AUTOREPORT_FANS:1',
      'Cap:AUTOREPORT_POSITION:1',
      'Cap:EXTENDED_M20:1',
      'Cap:PRUSA_MMU2:1',
    ],
    okIncluded: false,
  }),
  busy: (reason) => `busy: ${reason}`,
  runout: () => ['//action:pause'],
};
