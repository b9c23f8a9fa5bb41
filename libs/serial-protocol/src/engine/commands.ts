import { cleanLine, stripFraming } from '@farm/gcode';
import { emergencyStop } from './halt.js';
import { writeOutOfBand } from './sender.js';
import type { Step } from './step.js';
import type { Reply } from '../replies/reply.js';
import type { CommandResult, InFlight } from './types.js';

/**
 * Direct commands (terminal, controls): queued ahead of the job's lines,
 * each answered with the firmware lines it produced up to its `ok`, or with
 * the refusal or error.
 */
const OUT_OF_BAND = new Set(['M108', 'M410', 'M876']);

export function queueCommand(step: Step, id: string, raw: string): void {
  const s = step.s;
  const command = cleanLine(stripFraming(raw));
  if (command === '') return answer(step, id, { ok: false, code: 'empty_command', reason: 'no command on the line', lines: [] });
  if (command.startsWith('@')) return answer(step, id, { ok: false, code: 'host_command', reason: 'host @-commands are never sent to the printer', lines: [] });
  const word = (/^[A-Za-z]\d+/.exec(command)?.[0] ?? '').toUpperCase();
  if (word === 'M112') {
    emergencyStop(step);
    return answer(step, id, { ok: true, lines: [] });
  }
  if (s.phase !== 'ready') return answer(step, id, { ok: false, code: 'not_ready', reason: `printer is not ready (${s.phase})`, lines: [] });
  s.commands[id] = { id, lines: [], error: null };
  if (OUT_OF_BAND.has(word) && s.firmware?.capabilities.EMERGENCY_PARSER) {
    const verdict = writeOutOfBand(step, command, { kind: 'direct', id });
    if (!verdict.ok) refuseCommand(step, id, verdict.code, verdict.reason);
    return;
  }
  s.directQueue.push({ command, origin: { kind: 'direct', id } });
}

export function refuseCommand(step: Step, id: string, code: string, reason: string): void {
  const pending = step.s.commands[id];
  answer(step, id, { ok: false, code, reason, lines: pending?.lines ?? [] });
}

/** The command's `ok` arrived (its payload, like `ok T:…`, is one of its lines). */
export function commandAcknowledged(step: Step, entry: InFlight, okLine: string | null): void {
  if (entry.origin.kind !== 'direct') return;
  const pending = step.s.commands[entry.origin.id];
  if (!pending) return;
  if (okLine) pending.lines.push(okLine);
  if (pending.error) answer(step, pending.id, { ok: false, ...pending.error, lines: pending.lines });
  else answer(step, pending.id, { ok: true, lines: pending.lines });
}

/** Lines the firmware prints while a direct command is the oldest in flight belong to it. */
export function collectReply(step: Step, reply: Reply, line: string): void {
  const s = step.s;
  const oldest = s.inFlight[0];
  if (!oldest || oldest.origin.kind !== 'direct' || s.resend) return;
  const pending = s.commands[oldest.origin.id];
  if (!pending) return;
  switch (reply.kind) {
    case 'ok':
    case 'resend':
    case 'busy':
    case 'wait':
    case 'start':
      return;
    case 'temperature':
      if (s.autoreportTemperature) return;
      break;
    case 'error':
      if (reply.error.class !== 'resend_follows' && reply.error.class !== 'no_resend') {
        pending.error ??= { code: 'firmware_error', reason: reply.error.message };
      }
      break;
    case 'message':
      if (/^unknown command/i.test(reply.text)) pending.error ??= { code: 'unknown_command', reason: reply.text };
      break;
    case 'position':
    case 'firmware':
    case 'capability':
    case 'action':
    case 'progress':
      break;
  }
  pending.lines.push(line);
}

export function rejectAllCommands(step: Step, code: string, reason: string): void {
  for (const id of Object.keys(step.s.commands)) refuseCommand(step, id, code, reason);
  step.s.directQueue = [];
}

function answer(step: Step, id: string, result: CommandResult): void {
  delete step.s.commands[id];
  step.effects.push({ type: 'commandResult', id, result });
}
