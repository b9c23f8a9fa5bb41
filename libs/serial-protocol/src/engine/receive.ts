import { classifyReply } from '../replies/reply.js';
import type { Reply } from '../replies/reply.js';
import type { ActionCommand } from '../replies/action.js';
import type { FirmwareError } from '../replies/firmware-error.js';
import { okReceived, waitReceived } from './acks.js';
import { collectReply } from './commands.js';
import { firmwareHalted, firmwareReset } from './halt.js';
import { bootStarted, bootedDuringHandshake, capabilityLine, firmwareLine } from './handshake.js';
import { cancelJob, failJob, pauseJob, resumeJob } from './job.js';
import { armAckTimer, keepaliveReceived } from './liveness.js';
import { lineErrorSeen, resendRequested } from './resend.js';
import type { Step } from './step.js';
import { parseFirmwareLine } from '../replies/firmware-info.js';
import { parseTemperatures } from '../replies/temperature.js';
import { parsePosition } from '../replies/position.js';

/**
 * Received bytes → lines → one reply each. Lines end at CR, LF or CRLF;
 * NULs and other control bytes (bootloader chatter, noise) are dropped and a
 * line that never ends is cut at a bound, so garbage can't crash the parser
 * or grow memory.
 */
const MAX_LINE = 1024;
const decoder = new TextDecoder('utf-8');

/** Splits the chunk into complete lines (the partial rest stays in the state). */
export function splitReceived(step: Step, chunk: Uint8Array): string[] {
  const s = step.s;
  const lines: string[] = [];
  let pending = s.rxPending;
  let start = 0;
  let i = 0;
  if (s.rxPendingCr && chunk[0] === 10) start = i = 1;
  s.rxPendingCr = false;
  for (; i < chunk.length; i++) {
    const byte = chunk[i];
    if (byte !== 10 && byte !== 13) continue;
    lines.push(decodeLine(pending, chunk.subarray(start, i)));
    pending = new Uint8Array(0);
    if (byte === 13) {
      if (i + 1 === chunk.length) s.rxPendingCr = true;
      else if (chunk[i + 1] === 10) i++;
    }
    start = i + 1;
  }
  if (start < chunk.length) pending = concat(pending, chunk.subarray(start));
  if (pending.length > MAX_LINE) {
    lines.push(decodeLine(pending, new Uint8Array(0)));
    pending = new Uint8Array(0);
  }
  s.rxPending = pending;
  return lines;
}

function decodeLine(head: Uint8Array, tail: Uint8Array): string {
  const bytes = head.length === 0 ? tail : concat(head, tail);
  // eslint-disable-next-line no-control-regex
  return decoder.decode(bytes).replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '').trim();
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function lineReceived(step: Step, line: string): void {
  const s = step.s;
  if (line === '' || s.phase === 'closed') return;
  s.heardSinceIdle = true;
  step.emit({ type: 'serial.log', direction: 'received', text: line });
  const reply = classifyReply(line, s.config.activeTool);
  if (s.phase === 'booting') {
    if (reply.kind === 'start') bootStarted(step);
    reportInformation(step, reply);
    return;
  }
  if (s.phase === 'halted') {
    if (reply.kind === 'start') firmwareReset(step);
    else reportInformation(step, reply);
    return;
  }
  collectReply(step, reply, line);
  handleReply(step, reply, line);
}

function handleReply(step: Step, reply: Reply, line: string): void {
  switch (reply.kind) {
    case 'ok':
      okPayload(step, reply.ok.payload);
      okReceived(step, reply.ok, line);
      return;
    case 'resend':
      resendRequested(step, reply.lineNumber);
      return;
    case 'error':
      firmwareError(step, reply.error);
      return;
    case 'busy':
      keepaliveReceived(step);
      step.emit({ type: 'firmware.busy', reason: reply.busy.reason, pausedForUser: reply.busy.pausedForUser });
      return;
    case 'wait':
      waitReceived(step);
      return;
    case 'start':
      if (step.s.phase === 'hello' || step.s.phase === 'identifying') bootedDuringHandshake(step);
      else firmwareReset(step);
      return;
    case 'temperature':
      // During M109/M190 the temperature lines are the heartbeat.
      if (reply.report.residencySeconds !== undefined) armAckTimer(step, true);
      reportInformation(step, reply);
      return;
    case 'firmware':
      firmwareLine(step, reply.info);
      return;
    case 'capability':
      capabilityLine(step, reply.capability.name, reply.capability.enabled);
      return;
    case 'action':
      hostAction(step, reply.action);
      return;
    case 'position':
    case 'progress':
    case 'message':
      reportInformation(step, reply);
      return;
  }
}

/** `ok` lines may carry a reply: M105 temperatures, M114 position, Klipper's M115 fields. */
function okPayload(step: Step, payload: string): void {
  if (payload === '') return;
  const info = parseFirmwareLine(payload);
  if (info) firmwareLine(step, info);
  const report = parseTemperatures(payload, step.s.config.activeTool);
  if (report) step.emit({ type: 'temperature', report });
  const position = parsePosition(payload);
  if (position) step.emit({ type: 'position', report: position });
}

function reportInformation(step: Step, reply: Reply): void {
  switch (reply.kind) {
    case 'temperature':
      step.emit({ type: 'temperature', report: reply.report });
      return;
    case 'position':
      step.emit({ type: 'position', report: reply.report });
      return;
    case 'progress':
      step.emit({ type: 'firmware.progress', progress: reply.progress });
      return;
    case 'message':
      step.emit({ type: 'firmware.message', source: reply.source, text: reply.text });
      return;
    case 'error':
      step.error('firmware_error', reply.error.message, false);
      return;
    case 'action':
      step.emit({ type: 'action', action: reply.action });
      return;
    case 'ok':
    case 'resend':
    case 'busy':
    case 'wait':
    case 'start':
    case 'firmware':
    case 'capability':
      return;
  }
}

function firmwareError(step: Step, error: FirmwareError): void {
  switch (error.class) {
    case 'resend_follows':
      lineErrorSeen(step);
      return;
    case 'no_resend':
      return;
    case 'ignored':
      step.emit({ type: 'firmware.message', source: 'other', text: `Error:${error.message}` });
      return;
    case 'warning':
      step.error('firmware_error', error.message, false);
      return;
    case 'stopped':
    case 'job_failure':
      step.error('firmware_error', error.message, false);
      failJob(step, 'firmware_error', error.message);
      return;
    case 'fatal':
      firmwareHalted(step, error.message, true);
      return;
    case 'halted':
      firmwareHalted(step, error.message, false);
      return;
  }
}

/**
 * `//action:` lines. `pause`/`resume`/`cancel` ask the host to act (with its
 * scripts); `paused`/`resumed` report that the firmware already did (e.g.
 * its own filament change), so only the state follows.
 */
function hostAction(step: Step, action: ActionCommand): void {
  step.emit({ type: 'action', action });
  switch (action.name) {
    case 'pause':
      pauseJob(step, true);
      return;
    case 'paused':
      pauseJob(step, false);
      return;
    case 'resume':
      resumeJob(step, true);
      return;
    case 'resumed':
      resumeJob(step, false);
      return;
    case 'cancel':
      cancelJob(step);
      return;
    case 'probe_failed':
      failJob(step, 'probe_failed', 'the firmware reported a probing failure');
      return;
    case 'prompt_begin':
      step.emit({ type: 'prompt', prompt: { step: 'begin', text: action.params } });
      return;
    case 'prompt_button':
    case 'prompt_choice':
      step.emit({ type: 'prompt', prompt: { step: 'button', text: action.params } });
      return;
    case 'prompt_show':
      step.emit({ type: 'prompt', prompt: { step: 'show' } });
      return;
    case 'prompt_end':
      step.emit({ type: 'prompt', prompt: { step: 'end' } });
      return;
    default:
      return;
  }
}
