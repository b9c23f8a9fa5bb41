/**
 * A first-order thermal model: heating power in, losses to ambient out, a
 * proportional controller with feed-forward holding the target. Good enough
 * to make M109/M190 waits last tens of (printer) seconds and to print
 * realistic `T:199.55 /200.00 @:74` lines. Time is printer seconds.
 */
export interface HeaterModel {
  /** °C per second at full power. */
  heatRate: number;
  /** Fraction of (temp - ambient) lost per second. */
  loss: number;
}

export const HOTEND: HeaterModel = { heatRate: 10, loss: 0.025 };
export const BED: HeaterModel = { heatRate: 1.2, loss: 0.01 };

const STEP_S = 0.05;
const SETTLE_AFTER_S = 600;
/** How far past its target an `overshoot` controller holds. */
export const OVERSHOOT_C = 30;
/** Within this of its target a heater counts as having reached it (Marlin's TEMP_WINDOW). */
const REACHED_C = 1;

/**
 * Injected failures (see faults/heater-faults.ts): `stuck-on` full power
 * whatever the target, `failed` power that warms nothing, `frozen` a sensor
 * stuck at one reading, `overshoot` a controller that holds past the target.
 */
export type HeaterFault = 'stuck-on' | 'failed' | 'frozen' | 'overshoot';

export class Heater {
  /** The real temperature of the block or bed. */
  temperature: number;
  power = 0;
  /** Set by a thermal-runaway fault: the heater no longer warms anything. */
  broken = false;
  /** An injected fault in effect; it survives resets, as broken hardware would. */
  fault: HeaterFault | undefined;
  private targetC = 0;
  private frozenC: number | undefined;
  /** Printer seconds of the last update; the clock starts at the first one. */
  private time: number | undefined;
  private onHeat: (() => void)[] = [];
  private onReached: (() => void)[] = [];

  constructor(
    private readonly model: HeaterModel,
    private readonly ambient: number,
  ) {
    this.temperature = ambient;
  }

  get target(): number {
    return this.targetC;
  }

  set target(value: number) {
    this.targetC = value;
    if (value > 0) fire(this.onHeat);
  }

  /** What the thermistor reports: all the firmware (and the host) can know. */
  get sensed(): number {
    return this.frozenC ?? this.temperature;
  }

  inject(fault: HeaterFault): void {
    this.fault = fault;
    this.frozenC = fault === 'frozen' ? this.temperature : undefined;
  }

  /** Runs `action` once, the first time the heater is given a target above 0. */
  whenHeated(action: () => void): void {
    this.onHeat.push(action);
  }

  /** Runs `action` once, the first time the sensed temperature comes within 1 °C of a target above 0. */
  whenReached(action: () => void): void {
    this.onReached.push(action);
  }

  update(nowS: number): void {
    if (this.time === undefined) {
      // A heater at rest holds ambient: starting the clock here equals having run since 0.
      this.time = nowS;
      return;
    }
    let dt = nowS - this.time;
    if (dt <= 0) return;
    this.time = nowS;
    if (dt > SETTLE_AFTER_S && !this.broken && this.fault === undefined && this.onReached.length === 0) {
      this.temperature = this.target > 0 ? this.target : this.ambient;
      this.power = this.holdPower(this.target);
      return;
    }
    while (dt > 0) {
      const step = Math.min(dt, STEP_S);
      dt -= step;
      const setPoint = this.target > 0 && this.fault === 'overshoot' ? this.target + OVERSHOOT_C : this.target;
      this.power =
        this.fault === 'stuck-on' ? 1 : setPoint > 0 ? clamp01(this.holdPower(setPoint) + (setPoint - this.sensed) / 5) : 0;
      const heat = this.broken || this.fault === 'failed' ? 0 : this.power * this.model.heatRate;
      this.temperature += (heat - this.model.loss * (this.temperature - this.ambient)) * step;
      if (this.onReached.length > 0 && this.target > 0 && this.sensed >= this.target - REACHED_C) fire(this.onReached);
    }
  }

  /** Soft-PWM value Marlin prints after `@:`, 0–127. */
  get pwm(): number {
    return Math.round(this.power * 127);
  }

  reset(): void {
    this.target = 0;
    this.power = 0;
    this.broken = false;
  }

  private holdPower(setPoint: number): number {
    if (setPoint <= 0) return 0;
    return clamp01((this.model.loss * (setPoint - this.ambient)) / this.model.heatRate);
  }
}

/** Runs and forgets one-shot actions (they may register more, which wait for the next time). */
function fire(actions: (() => void)[]): void {
  for (const action of actions.splice(0)) action();
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
