import { stripFraming } from '@farm/gcode';
import type { GuardVerdict } from '../guard.js';
import { isLongRunning } from './config.js';
import { historyEntry, historyRestart, remember } from './history.js';
import { hostCommandInFile } from './job.js';
import { refuse } from './refusal.js';
import type { Step } from './step.js';
import type { EngineState, Origin, Outgoing } from './types.js';
import { byteLength, fits, framedText } from './window.js';

/**
 * Writes whatever may go out now, in priority order: a resend burst, system
 * commands, direct commands, then the job lane (scripts, then file lines).
 * Every command passes the guard right before it is framed and written.
 */
const LOW_WATER = 32;
const PULL_BATCH = 64;

export function pump(step: Step): void {
  const s = step.s;
  if (s.phase !== 'ready' && s.phase !== 'hello' && s.phase !== 'identifying') return;
  sendWhatFits(step);
  requestLines(step);
}

function sendWhatFits(step: Step): void {
  const s = step.s;
  for (;;) {
    if (s.resend?.phase === 'draining') return;
    if (s.resend?.phase === 'sending') {
      if (s.resend.cursor < Math.min(s.resend.end ?? s.nextLine, s.nextLine)) {
        if (!retransmitNext(step)) return;
        continue;
      }
      s.resend = null;
    }
    // An M110 is a barrier both ways: if it were lost, lines numbered after it could be taken by the
    // firmware as continuing its old numbering (old last + 1 = new n) and others would be skipped.
    if (s.renumber === 'm110' || (s.renumber === 'first' && s.nextLine > 1)) return;
    if (s.config.lineNumberLimit > 0 && s.nextLine >= s.config.lineNumberLimit && !s.systemQueue.some((o) => o.barrier)) {
      s.systemQueue.unshift({ command: 'M110 N0', origin: { kind: 'system', purpose: 'renumber' }, barrier: true });
    }
    const next = peekNext(s);
    if (!next) return;
    if (next.item.origin.kind === 'file' && needsSync(s)) {
      s.linesSinceSync = 0;
      s.systemQueue.unshift({ command: 'M105', origin: { kind: 'system', purpose: 'sync' } });
      continue;
    }
    if (next.item.barrier && s.inFlight.length > 0) return;
    if (next.item.origin.kind === 'file' && next.item.command.startsWith('@')) {
      next.take();
      hostCommandInFile(step, next.item.command);
      continue;
    }
    const command = sanitize(next.item.command);
    const n = next.item.barrier ? 0 : s.nextLine;
    const text = framedText(n, command);
    const bytes = byteLength(text);
    if (!fits(s, bytes)) return;
    next.take();
    const verdict = checkLine(s, next.item.command, bytes);
    if (!verdict.ok) {
      refuse(step, next.item.origin, verdict.code, verdict.reason);
      continue;
    }
    writeNumbered(step, { ...next.item, command }, n, text, bytes);
  }
}

/** Guard first, then the firmware's own line limit (a longer line can never pass its checksum). */
function checkLine(s: EngineState, command: string, bytes: number): GuardVerdict {
  const verdict = s.config.guard(command);
  if (!verdict.ok) return verdict;
  if (s.config.maxLineBytes > 0 && bytes - 1 > s.config.maxLineBytes) {
    return { ok: false, code: 'line_too_long', reason: `framed line is ${bytes - 1} bytes, the firmware accepts ${s.config.maxLineBytes}` };
  }
  return verdict;
}

export function writeNumbered(step: Step, item: Outgoing, n: number, text: string, bytes: number): void {
  const s = step.s;
  step.write(text);
  s.inFlight.push({ n, command: item.command, bytes, origin: item.origin, inRxBuffer: true });
  const entry = { n, command: item.command, text, origin: item.origin };
  if (item.barrier) {
    s.history = historyRestart(entry);
    s.nextLine = 1;
    s.renumber = 'm110';
  } else {
    remember(s, entry);
    s.nextLine = n + 1;
  }
  s.counters.linesSent++;
  if (item.origin.kind === 'file') s.linesSinceSync++;
  countSent(s, item.origin, 1);
}

/** Time for an M105 sync marker (not needed when ADVANCED_OK matches every ok to its line). */
function needsSync(s: EngineState): boolean {
  // After a fallback too: a firmware that doubles oks keeps doing it, and in ping-pong each doubled
  // ok still puts one more line in flight until the next marker re-aligns the count.
  const every = (s.flow === 'window' || s.windowFallback) && s.config.windowSyncEvery > 0 ? s.config.windowSyncEvery : s.config.syncEvery;
  if (s.advancedOk || every <= 0 || s.linesSinceSync < every) return false;
  return !s.inFlight.some((entry) => entry.command === 'M105') && !s.systemQueue.some((item) => item.command === 'M105');
}

/**
 * An out-of-band line: unnumbered, written at once past the window (the
 * firmware's emergency parser acts on it as the bytes arrive). It still gets
 * an `ok` in order, so it is accounted like any line in flight.
 */
export function writeOutOfBand(step: Step, command: string, origin: Origin): GuardVerdict {
  const verdict = step.s.config.guard(command);
  if (!verdict.ok) return verdict;
  const text = `${command}\n`;
  step.write(text);
  step.s.inFlight.push({ n: null, command, bytes: byteLength(text), origin, inRxBuffer: true });
  return verdict;
}

function retransmitNext(step: Step): boolean {
  const s = step.s;
  const resend = s.resend;
  if (!resend) return false;
  const entry = historyEntry(s, resend.cursor);
  if (!entry) {
    // Checked when the request arrived; the history only shrinks from the front as new lines go out.
    resend.cursor = s.nextLine;
    return true;
  }
  const bytes = byteLength(entry.text);
  if (!fits(s, bytes)) return false;
  step.write(entry.text);
  s.inFlight.push({ n: entry.n, command: entry.command, bytes, origin: entry.origin, inRxBuffer: true });
  if (entry.command.startsWith('M110')) s.renumber = 'm110';
  countSent(s, entry.origin, 1);
  resend.cursor++;
  return true;
}

/** Keeps the job's count of script lines in flight in step with the in-flight list. */
export function countSent(s: EngineState, origin: Origin, delta: number): void {
  if (origin.kind === 'script' && s.job) s.job.scriptInFlight = Math.max(0, s.job.scriptInFlight + delta);
  if (origin.kind === 'file' && s.job && delta > 0) s.job.linesSent += delta;
}

function peekNext(s: EngineState): { item: Outgoing; take: () => void } | null {
  const next = peekQueued(s);
  if (!next || next.item.barrier || !/^M0*110(?!\d)/i.test(next.item.command)) return next;
  // An M110 from a file, script or terminal renumbers the firmware: it becomes the engine's own
  // renumbering, or the firmware and the host would disagree on every number after it.
  return { item: { ...next.item, command: 'M110 N0', barrier: true }, take: next.take };
}

function peekQueued(s: EngineState): { item: Outgoing; take: () => void } | null {
  const system = s.systemQueue[0];
  if (system) return { item: system, take: () => s.systemQueue.shift() };
  const direct = s.directQueue[0];
  if (direct) return { item: direct, take: () => s.directQueue.shift() };
  const job = s.job;
  if (!job) return null;
  const script = job.script[0];
  if (script) return { item: script, take: () => job.script.shift() };
  if (job.phase !== 'running') return null;
  const line = job.buffer[job.bufferAt];
  if (!line) return null;
  // A file saved from a host log may carry its old framing (`N12 G1 X1*34`): send the command only.
  const command = /^[Nn]\s*\d/.test(line.command) ? stripFraming(line.command) : line.command;
  return { item: { command, origin: { kind: 'file', line } }, take: () => job.bufferAt++ };
}

function requestLines(step: Step): void {
  const job = step.s.job;
  if (!job || job.sourceDone || job.pullOutstanding) return;
  if (job.phase !== 'running' && job.phase !== 'starting' && job.phase !== 'resuming') return;
  if (job.buffer.length - job.bufferAt >= LOW_WATER) return;
  job.pullOutstanding = true;
  step.effects.push({ type: 'pullLines', jobId: job.id, max: PULL_BATCH });
}

/** Firmware checksums bytes: characters outside printable ASCII could never match, so they become `?`. */
function sanitize(command: string): string {
  return /[^\x20-\x7e]/.test(command) ? command.replace(/[^\x20-\x7e]/g, '?') : command;
}

export function hasLongRunningInFlight(s: EngineState): boolean {
  return s.inFlight.some((entry) => isLongRunning(entry.command));
}
