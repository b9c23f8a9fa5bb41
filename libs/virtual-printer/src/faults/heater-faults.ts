/**
 * Heater faults: hardware and control failures that a host's heater watchdog
 * must catch. Unlike line faults they are states, not events: once struck, a
 * heater stays faulty (through M112 and resets, as a fused MOSFET would) until
 * the printer is closed. A rate makes no sense for them; they strike at power-on,
 * at a line, the first time the heater is given a target, or the first time it
 * reaches its target.
 *
 *   heater-stuck-on   the heater's power stays fully on whatever the target
 *                     (with target 0 it keeps rising, then passes any maximum)
 *   heater-failed     the power delivers nothing: the temperature sinks to ambient
 *                     while the firmware still drives it (heating stalls / falls away)
 *   sensor-frozen     the thermistor reading stops changing; the firmware controls
 *                     on the frozen value, so the real temperature runs away unseen
 *   overshoot         the controller holds 30 °C above the target (a bad PID)
 *   reports-stop      temperature reports stop (M155 auto-reports and the M109/M190
 *                     wait lines) while the firmware keeps running; M105 still answers
 */
export const HEATER_FAULT_KINDS = ['heater-stuck-on', 'heater-failed', 'sensor-frozen', 'overshoot', 'reports-stop'] as const;
export type HeaterFaultKind = (typeof HEATER_FAULT_KINDS)[number];

export type HeaterName = 'hotend' | 'bed';

export type HeaterFaultTrigger =
  | { at: 'power-on' }
  | { at: 'line'; line: number }
  /** The first time the heater gets a target above 0. */
  | { at: 'heat' }
  /** The first time the heater reads within 1 °C of a target above 0. */
  | { at: 'reached' };

export interface HeaterFaultSpec {
  kind: HeaterFaultKind;
  /** The heater it strikes (for reports-stop: the heater whose trigger counts). */
  heater: HeaterName;
  trigger: HeaterFaultTrigger;
}

export function isHeaterFaultKind(text: string): text is HeaterFaultKind {
  return (HEATER_FAULT_KINDS as readonly string[]).includes(text);
}

/** Line-triggered heater faults, each fired the first time its line arrives. */
export class HeaterFaultPlan {
  private readonly atLines: Map<number, HeaterFaultSpec[]>;

  constructor(readonly faults: readonly HeaterFaultSpec[]) {
    this.atLines = new Map();
    for (const fault of faults) {
      if (fault.trigger.at !== 'line') continue;
      const list = this.atLines.get(fault.trigger.line) ?? [];
      list.push(fault);
      this.atLines.set(fault.trigger.line, list);
    }
  }

  /** The faults that do not wait for a line: struck or armed when the firmware is built. */
  standing(): HeaterFaultSpec[] {
    return this.faults.filter((f) => f.trigger.at !== 'line');
  }

  forLine(key: number): readonly HeaterFaultSpec[] {
    const hits = this.atLines.get(key);
    if (!hits) return NONE;
    this.atLines.delete(key);
    return hits;
  }
}

const NONE: readonly HeaterFaultSpec[] = [];
