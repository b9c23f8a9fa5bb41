// What a verified control request means on the wire. Pure: returns either a
// link action (connect, pause, …), the G-code lines to send in order, or a
// refusal. Every line still passes the safety guard right before the write.
import type { ControlCommand, ControlErrorCode, HeaterTemperature } from '@farm/contracts';
import { checkCommand, type Actor, type SafetyProfile } from '@farm/gcode';

export type LinkAction = 'connect' | 'disconnect' | 'pause' | 'resume' | 'cancel' | 'emergency-stop';

export type ControlPlan =
  | { readonly kind: 'link'; readonly action: LinkAction }
  /** `output: true`: the firmware's reply lines are the result (terminal). `motion`: not while a job runs. */
  | { readonly kind: 'gcode'; readonly lines: readonly string[]; readonly output: boolean; readonly motion: boolean }
  | { readonly kind: 'refuse'; readonly code: ControlErrorCode; readonly message: string };

export type PlanContext = {
  readonly safety: SafetyProfile;
  /** Caps by heater id (T0…, B, C). */
  readonly caps: Readonly<Record<string, number>>;
  /** Latest reported temperatures. */
  readonly heaters: readonly HeaterTemperature[];
  /** The requester's role, as signed by the manager. */
  readonly role: string;
  /** No job on the printer. */
  readonly idle: boolean;
};

/** Marlin refuses to extrude below EXTRUDE_MINTEMP (170 °C by default); so do we, before the firmware has to. */
export const MIN_EXTRUDE_C = 170;
const DEFAULT_JOG_FEEDRATE = 3000;
const DEFAULT_EXTRUDE_FEEDRATE = 300;

const refuse = (code: ControlErrorCode, message: string): ControlPlan => ({ kind: 'refuse', code, message });
const gcode = (lines: string[], options: { output?: boolean; motion?: boolean } = {}): ControlPlan => ({
  kind: 'gcode',
  lines,
  output: options.output ?? false,
  motion: options.motion ?? false,
});

/** Numbers as G-code writes them: no exponent, no trailing zeros, at most 3 decimals. */
export function gcodeNumber(value: number): string {
  const fixed = value.toFixed(3).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

function actorOf(role: string): Actor | undefined {
  if (role === 'admin') return 'admin';
  if (role === 'operator') return 'operator';
  return undefined;
}

export function planControl(command: ControlCommand, context: PlanContext): ControlPlan {
  switch (command.kind) {
    case 'connect':
    case 'disconnect':
    case 'pause':
    case 'resume':
    case 'cancel':
    case 'emergency-stop':
      return { kind: 'link', action: command.kind };
    case 'home': {
      const axes = command.axes.map((axis) => axis.toUpperCase());
      return gcode([axes.length > 0 ? `G28 ${axes.join(' ')}` : 'G28'], { motion: true });
    }
    case 'jog': {
      const moves = (['x', 'y', 'z'] as const).flatMap((axis) => {
        const distance = command[axis];
        return distance === undefined || distance === 0 ? [] : [`${axis.toUpperCase()}${gcodeNumber(distance)}`];
      });
      if (moves.length === 0) return refuse('malformed', 'a jog needs a distance on at least one axis');
      // Relative for the move only, then back to absolute so a later file starts from the usual mode.
      return gcode(['G91', `G0 ${moves.join(' ')} F${gcodeNumber(command.feedrate ?? DEFAULT_JOG_FEEDRATE)}`, 'G90'], {
        motion: true,
      });
    }
    case 'extrude': {
      const cap = context.caps[`T${command.tool}`];
      if (cap === undefined)
        return refuse('refused-by-safety', `tool ${command.tool} is not in this printer's profile`);
      const hotend = context.heaters.find((h) => h.heater === `T${command.tool}`);
      if (!hotend || hotend.actualC < MIN_EXTRUDE_C) {
        return refuse('refused-by-safety', `cold extrusion prevented: the hotend is below ${MIN_EXTRUDE_C} °C`);
      }
      const toolSelect = Object.keys(context.caps).some((id) => id === 'T1') ? [`T${command.tool}`] : [];
      return gcode(
        [
          ...toolSelect,
          'M83',
          `G1 E${gcodeNumber(command.amountMm)} F${gcodeNumber(command.feedrate ?? DEFAULT_EXTRUDE_FEEDRATE)}`,
        ],
        { motion: true },
      );
    }
    case 'set-temperature': {
      const cap = context.caps[command.heater];
      if (cap === undefined)
        return refuse('refused-by-safety', `heater ${command.heater} is not in this printer's profile`);
      if (command.targetC > cap)
        return refuse('refused-by-safety', `${command.targetC} °C is above the ${command.heater} limit of ${cap} °C`);
      const target = gcodeNumber(command.targetC);
      if (command.heater === 'B') return gcode([`M140 S${target}`]);
      if (command.heater === 'C') return gcode([`M141 S${target}`]);
      return gcode([`M104 ${command.heater} S${target}`]);
    }
    case 'fan': {
      const speed = Math.round(command.speed * 255);
      return gcode([speed === 0 ? `M107 P${command.index}` : `M106 P${command.index} S${speed}`]);
    }
    case 'terminal': {
      const actor = actorOf(context.role);
      if (!actor) return refuse('refused-by-safety', 'only operators and admins may use the terminal');
      const checked = checkCommand(command.line, {
        profile: context.safety,
        actor,
        printerIdle: context.idle,
        firmwareFlashAllowed: false,
      });
      if (!checked.ok) return refuse('refused-by-safety', checked.reason.slice(0, 500));
      if (checked.lines.length === 0) return refuse('malformed', 'the line holds no command');
      // M112 typed in the terminal takes the out-of-band path, ahead of anything queued.
      if (checked.lines.some((l) => l.classes.includes('estop'))) return { kind: 'link', action: 'emergency-stop' };
      return gcode(
        checked.lines.map((l) => l.line),
        { output: true },
      );
    }
  }
}
