import { acknowledgeBefore } from './acks.js';
import { historyEntry, historyStart } from './history.js';
import { failJob } from './job.js';
import { countSent } from './sender.js';
import type { Step } from './step.js';
import type { EngineState } from './types.js';

/**
 * Resend requests. `Resend: r` means the firmware accepted everything before
 * r and dropped the rest of its receive buffer. One incident often brings
 * several identical requests (one per line that was still in flight) and a
 * plain `ok` after each; so the engine acts on the first, then waits for the
 * link to fall quiet (`resendDrainMs` after the last request or ok), and only
 * then resends once from r out of its history. Answering every echo with a
 * new burst is the "resend death loop" (Marlin PR#24972).
 *
 * Resending a line the firmware already accepted is harmless on the firmwares
 * that ask for resends: they check the sequence and reject the duplicate.
 */
export function resendRequested(step: Step, requested: number): void {
  const s = step.s;
  s.counters.resendRequests++;
  if (s.phase !== 'ready' && s.phase !== 'hello' && s.phase !== 'identifying') return;
  s.consecutiveTimeouts = 0;
  lineErrorSeen(step);
  const resend = s.resend;
  if (resend?.phase === 'draining') {
    // An echo of the incident (or a stale request): keep waiting for quiet.
    if (requested > resend.from && requested < s.nextLine) {
      acknowledgeBefore(step, requested);
      resend.from = requested;
      resend.cursor = requested;
    }
    step.setTimer('drain', s.config.resendDrainMs);
    return;
  }
  const lastSent = s.nextLine - 1;
  let from = requested;
  // Until the first line after an M110 is acknowledged, a request belongs to the old numbering (the
  // M110 was lost) or is stale: the M110 goes again with that line (see `renumber` in types).
  if (s.renumber) from = historyStart(s) ?? requested;
  else if (requested <= lastSent && !historyEntry(s, requested)) {
    unrecoverable(step, requested);
    return;
  }
  if (!countResend(step, from)) return;
  // Lines before `from` were accepted; a request beyond the last line sent means nothing is missing (the
  // firmware saw a line twice), and draining still swallows the ok that follows.
  acknowledgeBefore(step, Math.min(from, lastSent + 1));
  s.resend = { phase: 'draining', from, cursor: from };
  step.cancelTimer('ack');
  step.setTimer('drain', s.config.resendDrainMs);
  warnOnResendRatio(step);
  step.emitCounters();
}

/**
 * RepRapFirmware dropped lines `from` … `end − 1` without a word (bad checksum): an `M105` sent
 * after them was answered while they still waited for their oks, and RRF answers in order. They
 * are resent at once, and only they (RRF does not check the sequence, so a line resent twice would
 * run twice). The caller has taken them out of the in-flight list.
 */
export function resendDropped(step: Step, from: number, end: number): void {
  const s = step.s;
  s.counters.resendRequests++;
  if (!historyEntry(s, from)) {
    unrecoverable(step, from);
    return;
  }
  if (!countResend(step, from)) return;
  step.emit({ type: 'firmware.message', source: 'other', text: `lines ${from}–${end - 1} were dropped by the firmware (bad checksum): resending them` });
  // With several lines in flight an ok cannot be matched to the line it belongs to once one is missing.
  lineErrorSeen(step);
  s.resend = { phase: 'sending', from, cursor: from, end };
  warnOnResendRatio(step);
  step.emitCounters();
}

/**
 * A line error (checksum or line number mismatch, resend request) in window mode. Marlin empties
 * its receive buffer on a checksum error, so the tail of the next line in flight can arrive
 * alone; Marlin 2 checks only lines that start with `N`, so a tail cut just before its command
 * letter would run as a command. One line in flight at a time leaves no tail to cut, so on such
 * firmware the job continues in ping-pong. Prusa-Firmware rejects a checksum without a line
 * number and keeps the window. The first error of a job stays a risk (see the README).
 */
export function lineErrorSeen(step: Step): void {
  const s = step.s;
  if (!s.job || s.flow !== 'window' || !runsUnnumberedFragments(s)) return;
  s.flow = 'pingpong';
  s.windowFallback = true;
  step.error('flow_fallback', 'line error with several lines in flight: ping-pong flow control for the rest of this job, so a fragment of a line cannot run as a command (lower throughput)', false);
}

function runsUnnumberedFragments(s: EngineState): boolean {
  const flavor = s.firmware?.flavor ?? 'unknown';
  return flavor === 'marlin' || flavor === 'unknown' || flavor === 'reprapfirmware';
}

/** The incident is over: forget the in-flight accounting (the firmware dropped it) and resend from history. */
export function drainEnded(step: Step): void {
  const s = step.s;
  if (s.resend?.phase !== 'draining') return;
  for (const entry of s.inFlight) countSent(s, entry.origin, -1);
  s.inFlight = [];
  s.resend.phase = 'sending';
  s.resend.cursor = Math.min(s.resend.from, s.nextLine);
}

function unrecoverable(step: Step, requested: number): void {
  const start = historyStart(step.s);
  const reason = `unrecoverable resend (line ${requested}, history starts at ${start ?? 'none'})`;
  step.error('resend_unrecoverable', reason, false);
  failJob(step, 'resend_unrecoverable', reason);
  resynchronise(step);
}

function linkUnreliable(step: Step, line: number): void {
  const reason = `printer keeps requesting line ${line}: communication unreliable, check the cable, EMI and baud rate`;
  step.error('link_unreliable', reason, false);
  failJob(step, 'link_unreliable', reason);
  resynchronise(step);
}

/** Line numbers restart so the firmware stops waiting for a line that will never come. */
function resynchronise(step: Step): void {
  const s = step.s;
  for (const entry of s.inFlight) countSent(s, entry.origin, -1);
  s.inFlight = [];
  s.resend = null;
  s.consecutiveResends = 0;
  s.lastResendFrom = null;
  s.systemQueue.unshift({ command: 'M110 N0', origin: { kind: 'system', purpose: 'renumber' }, barrier: true });
}

function warnOnResendRatio(step: Step): void {
  const s = step.s;
  const job = s.job;
  if (!job || job.resendWarned || job.linesSent < 100) return;
  if (s.counters.resends / job.linesSent <= s.config.resendWarningRatio) return;
  job.resendWarned = true;
  step.error('resend_ratio', `more than ${Math.round(s.config.resendWarningRatio * 100)} % of lines needed a resend: check the cable, EMI and baud rate`, false);
}

/** Counts a resend from `from`; false (and the link declared unreliable) when the same line keeps failing. */
function countResend(step: Step, from: number): boolean {
  const s = step.s;
  s.consecutiveResends = s.lastResendFrom === from ? s.consecutiveResends + 1 : 1;
  s.lastResendFrom = from;
  if (s.consecutiveResends >= s.config.maxConsecutiveResends) {
    linkUnreliable(step, from);
    return false;
  }
  s.counters.resends++;
  return true;
}
