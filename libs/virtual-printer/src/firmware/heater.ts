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

export class Heater {
  temperature: number;
  target = 0;
  power = 0;
  /** Set by a thermal-runaway fault: the heater no longer warms anything. */
  broken = false;
  private time = 0;

  constructor(
    private readonly model: HeaterModel,
    private readonly ambient: number,
  ) {
    this.temperature = ambient;
  }

  update(nowS: number): void {
    let dt = nowS - this.time;
    if (dt <= 0) return;
    this.time = nowS;
    if (dt > SETTLE_AFTER_S && !this.broken) {
      this.temperature = this.target > 0 ? this.target : this.ambient;
      this.power = this.holdPower();
      return;
    }
    while (dt > 0) {
      const step = Math.min(dt, STEP_S);
      dt -= step;
      this.power = this.target > 0 ? clamp01(this.holdPower() + (this.target - this.temperature) / 5) : 0;
      const heat = this.broken ? 0 : this.power * this.model.heatRate;
      this.temperature += (heat - this.model.loss * (this.temperature - this.ambient)) * step;
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

  private holdPower(): number {
    if (this.target <= 0) return 0;
    return clamp01((this.model.loss * (this.target - this.ambient)) / this.model.heatRate);
  }
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
