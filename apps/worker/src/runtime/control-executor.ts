// Carries out one verified control request on the link and says how it went.
// Refusals are answers too: every request gets exactly one ControlResult.
import type { ControlErrorCode, ControlRequest, ControlResult } from '@farm/contracts';
import type { CommandResult } from '@farm/serial-protocol';
import { planControl, type LinkAction, type PlanContext } from './control-plan.js';

type Outcome = ControlResult['outcome'];

export type ControlTarget = {
  readonly ready: boolean;
  readonly jobRunning: boolean;
  /** Context for planning (caps, temperatures, role, idle). */
  planContext(role: string): PlanContext;
  link(action: LinkAction): Promise<Outcome>;
  sendCommand(command: string): Promise<CommandResult>;
  /** A user did something: keeps heaters from idling off. */
  activity(): void;
};

/** Engine refusal codes that come from the safety guard (the @farm/gcode policy). */
const SAFETY_CODES = new Set([
  'temperature-above-cap',
  'unknown-heater',
  'unverifiable-temperature',
  'blocked-command',
  'restricted-command',
  'not-allowlisted',
  'unknown-macro',
  'printer-busy',
  'firmware-flash-disabled',
  'inspection-required',
  'spoofed-reply',
  'line-too-long',
  'too-many-commands',
  'invalid-characters',
  'multiple-lines',
  'empty-input',
]);

export function failure(code: ControlErrorCode, message: string): Outcome {
  return { ok: false, code, message: message.slice(0, 500) };
}

function commandFailure(result: Extract<CommandResult, { ok: false }>): Outcome {
  if (result.code === 'not_ready') return failure('not-connected', result.reason);
  if (SAFETY_CODES.has(result.code)) return failure('refused-by-safety', result.reason);
  return failure('failed', `${result.code}: ${result.reason}`);
}

const MAX_OUTPUT_LINES = 200;

export async function executeControl(request: ControlRequest, target: ControlTarget): Promise<Outcome> {
  const plan = planControl(request.command, target.planContext(request.issuedBy.role));
  switch (plan.kind) {
    case 'refuse':
      return failure(plan.code, plan.message);
    case 'link':
      target.activity();
      return target.link(plan.action);
    case 'gcode': {
      if (!target.ready) return failure('not-connected', 'the printer is not connected');
      if (plan.motion && target.jobRunning) return failure('busy', 'the printer is printing');
      target.activity();
      const output: string[] = [];
      for (const line of plan.lines) {
        const result = await target.sendCommand(line);
        if (!result.ok) return commandFailure(result);
        for (const text of result.lines) if (output.length < MAX_OUTPUT_LINES) output.push(text.slice(0, 1024));
      }
      return plan.output ? { ok: true, output } : { ok: true };
    }
  }
}
