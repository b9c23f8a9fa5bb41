import type { OkReply } from '../replies/ack.js';
import { commandAcknowledged } from './commands.js';
import { helloAcknowledged, identified } from './handshake.js';
import { endSyncAcknowledged, fileLineAcknowledged } from './job.js';
import { ackTimeoutMs, armAckTimer } from './liveness.js';
import { countSent, hasLongRunningInFlight } from './sender.js';
import type { Step } from './step.js';
import type { EngineState, InFlight } from './types.js';
import { markQueued } from './window.js';
import { resendDropped } from './resend.js';

/**
 * Matching acknowledgements to lines in flight. The firmware handles lines
 * in order, so acks are matched oldest first, except where the ok says more:
 *   `ok N<n> P B` (ADVANCED_OK) acknowledges every line up to n (a lost ok
 *   is repaired by the next one); `ok T:…` is M105's own reply and
 *   acknowledges up to the newest M105 in flight (this is what makes the
 *   M105 nudge after a timeout resynchronise the count). On an ADVANCED_OK
 *   firmware a plain `ok` is the credit of a rejected line, not an ack.
 * A surplus ok with nothing outstanding is dropped.
 */
export function okReceived(step: Step, ok: OkReply, line: string): void {
  const s = step.s;
  s.counters.okCount++;
  s.consecutiveTimeouts = 0;
  if (s.resend?.phase === 'draining') {
    // The credit for a rejected line: part of the incident.
    step.setTimer('drain', s.config.resendDrainMs);
    return;
  }
  if (ok.bufferFree !== undefined) {
    advancedOkSeen(step);
    s.counters.plannerFree = ok.plannerFree ?? null;
  }
  const count = ackCount(step, ok);
  const acked = s.inFlight.splice(0, count);
  const okLine = ok.payload !== '' ? line : null;
  acked.forEach((entry, i) => settle(step, entry, i === acked.length - 1 ? okLine : null));
  if (ok.bufferFree !== undefined) markQueued(s, ok.bufferFree);
  if (acked.length > 0) {
    reportProgress(step, acked);
    armAckTimer(step, true);
  }
}

/** `wait`: the firmware is idle with an empty queue, so everything sent has been handled. */
export function waitReceived(step: Step): void {
  const s = step.s;
  if (s.resend || s.inFlight.length === 0 || hasLongRunningInFlight(s)) return;
  const acked = s.inFlight.splice(0, s.inFlight.length);
  for (const entry of acked) settle(step, entry, null);
  reportProgress(step, acked);
  armAckTimer(step, true);
}

/** Lines before `from` were accepted (the firmware asks for last accepted + 1). */
export function acknowledgeBefore(step: Step, from: number): void {
  const s = step.s;
  let count = 0;
  while (count < s.inFlight.length && isBefore(s.inFlight[count], from)) count++;
  const acked = s.inFlight.splice(0, count);
  for (const entry of acked) settle(step, entry, null);
  reportProgress(step, acked);
}

function isBefore(entry: InFlight | undefined, from: number): boolean {
  return entry !== undefined && (entry.n === null || entry.n < from);
}

function ackCount(step: Step, ok: OkReply): number {
  const s = step.s;
  const inFlight = s.inFlight;
  if (inFlight.length === 0) return 0;
  if (ok.lineNumber !== undefined) {
    let last = -1;
    inFlight.forEach((entry, i) => {
      if (entry.n !== null && entry.n <= (ok.lineNumber ?? -1)) last = i;
    });
    return last + 1;
  }
  if (ok.bufferFree !== undefined) {
    // ADVANCED_OK without N: an unnumbered (out-of-band) line.
    const index = inFlight.findIndex((entry) => entry.n === null);
    return index === -1 ? 0 : index + 1;
  }
  const afterTemperature = s.lastOkWasTemperature;
  s.lastOkWasTemperature = false;
  if (/^T\d*:|^B:/.test(ok.payload)) {
    // M105's own reply. Several M105 in flight means earlier oks were lost (each nudge is an M105): the
    // answer is the newest one's; with none in flight it is a surplus reply, not an ack of another line.
    s.m105AnswersWithTemperature = true;
    s.lastOkWasTemperature = true;
    let last = -1;
    inFlight.forEach((entry, i) => {
      if (/^M105\b/.test(entry.command)) last = i;
    });
    if (s.firmware?.flavor === 'reprapfirmware') return silentlyDropped(step, last);
    // Straight after another M105 reply, one that would also acknowledge lines before a sync marker
    // is a doubled reply, not proof that all their oks were lost: taking it would run the count ahead.
    // (A timeout's nudge is answered whatever came before: it is sent because an ok went missing.)
    const answered = inFlight[last];
    if (afterTemperature && last > 0 && answered?.origin.kind === 'system' && answered.origin.purpose === 'sync') return 0;
    // Its M105 was already taken as acknowledged: a duplicated ok did that. Dropping this reply undoes
    // it; sync again soon in case there were more.
    if (last === -1) s.linesSinceSync = Math.max(s.linesSinceSync, s.config.syncEvery - 5);
    return last + 1;
  }
  // The job's closing M105 answers with `ok T:`: a plain ok now is a duplicate, not its reply.
  if (isEndSync(inFlight[0])) return 0;
  if (s.advancedOk) return 0;
  // No plain ok acknowledges an M105 once the firmware has shown it answers them with `ok T:`. So a
  // doubled ok can run the count ahead at most to the next marker, and a plain ok arriving here is
  // the proof that it did: the firmware is still working on a line the count already took as done.
  if (s.m105AnswersWithTemperature && inFlight[0]?.n !== null && /^M105\b/.test(inFlight[0]?.command ?? '')) {
    okDriftSeen(step);
    // The marker's reply normally follows within a line or two. If it was lost to line noise (which
    // looks the same from here), the oks of later lines are dropped until a nudge: make that soon.
    step.setTimer('ack', Math.min(ackTimeoutMs(s), s.config.busyTimeoutMs));
    return 0;
  }
  return 1;
}

/**
 * RepRapFirmware answers every line in order and its USB link loses no oks, but it drops a line
 * with a bad checksum without a word. So an `M105` reply that finds lines before the newest M105
 * still waiting shows those lines were dropped (an M105 may have been dropped too: the reply is the
 * newest one's, as on Marlin). The dropped lines go again, and only they; the reply acknowledges
 * everything up to its M105. Exact in ping-pong, where at most one line and the probe are in flight.
 */
function silentlyDropped(step: Step, marker: number): number {
  const s = step.s;
  if (marker <= 0) return marker + 1;
  const waiting = s.inFlight.slice(0, marker).filter((entry) => entry.n !== null && !/^M105\b/.test(entry.command));
  const first = waiting[0]?.n;
  const last = waiting.at(-1)?.n;
  if (first == null || last == null) return marker + 1;
  const dropped = s.inFlight.splice(0, marker);
  for (const entry of dropped) countSent(s, entry.origin, -1);
  resendDropped(step, first, last + 1);
  return 1;
}

/**
 * The count of plain oks ran ahead of the firmware (a doubled ok). Each such ok let one line too
 * many onto the wire; in a byte-counted window that can overfill the receive buffer, where two
 * lines merge and the 8-bit checksum accepts the merged line about once in 256. Ping-pong keeps
 * the surplus a whole receive buffer away from overflowing, so the job continues in ping-pong
 * (markers re-align the count at each `ok T:`); the window returns with the next job.
 */
function okDriftSeen(step: Step): void {
  const s = step.s;
  if (!s.job || s.flow !== 'window' || losslessInput(s)) return;
  s.flow = 'pingpong';
  s.windowFallback = true;
  step.error('ok_drift', 'a doubled ok ran the count of acknowledged lines ahead of the firmware: ping-pong flow control for the rest of this job, to keep doubled oks from overfilling the receive buffer (lower throughput)', false);
}

/** Klipper's pseudo-terminal and RRF's native USB push back instead of dropping bytes: a surplus line just waits. */
function losslessInput(s: EngineState): boolean {
  const flavor = s.firmware?.flavor;
  return flavor === 'klipper' || flavor === 'reprapfirmware';
}

/**
 * A firmware that answers M105 with a plain `ok` would leave the closing sync waiting forever (its
 * plain oks are dropped as duplicates above). After a nudge has also gone unanswered by `ok T:`,
 * the quiet link is taken as the sync's answer: only system lines remain in flight, nothing is lost.
 */
export function endSyncTimedOut(step: Step): boolean {
  const s = step.s;
  const job = s.job;
  if (!job || !isEndSync(s.inFlight[0]) || s.inFlight.some((entry) => entry.origin.kind !== 'system')) return false;
  if (job.endSync === 'queued') {
    job.endSync = 'nudged';
    return false;
  }
  const acked = s.inFlight.splice(0, s.inFlight.length);
  for (const entry of acked) settle(step, entry, null);
  return true;
}

function isEndSync(entry: InFlight | undefined): boolean {
  return entry?.origin.kind === 'system' && entry.origin.purpose === 'finish';
}

/**
 * The reply format shows ADVANCED_OK (`ok N<n> P<p> B<b>`); real Marlin never sends
 * `Cap:ADVANCED_OK`, so `auto` switches to the window here (the M110/M115 replies already
 * carry the fields), unless this job fell back to ping-pong after a line error.
 */
function advancedOkSeen(step: Step): void {
  const s = step.s;
  s.advancedOk = true;
  if (s.config.flowControl !== 'auto' || s.flow === 'window' || s.windowFallback) return;
  if (s.phase !== 'ready') return; // `identified` picks the flow from what it has seen
  s.flow = 'window';
  step.emit({ type: 'firmware.message', source: 'other', text: 'ADVANCED_OK replies seen: flow control switched to window' });
}

function settle(step: Step, entry: InFlight, okLine: string | null): void {
  const s = step.s;
  countSent(s, entry.origin, -1);
  if (s.renumber === 'm110' && entry.command.startsWith('M110')) s.renumber = 'first';
  else if (s.renumber && entry.n === 1) s.renumber = null;
  if (entry.n !== null && s.lastResendFrom !== null && entry.n >= s.lastResendFrom) {
    s.consecutiveResends = 0;
    s.lastResendFrom = null;
  }
  switch (entry.origin.kind) {
    case 'file':
      fileLineAcknowledged(s, { fileLine: entry.origin.line.lineNumber, byteOffset: entry.origin.line.end });
      return;
    case 'script':
      return;
    case 'direct':
      commandAcknowledged(step, entry, okLine);
      return;
    case 'system':
      switch (entry.origin.purpose) {
        case 'hello':
          helloAcknowledged(step);
          return;
        case 'renumber':
          return;
        case 'finish':
          endSyncAcknowledged(s);
          return;
        case 'identify':
          identified(step);
          return;
        case 'setup':
        case 'poll':
        case 'sync':
        case 'tickle':
        case 'prompt':
        case 'quickstop':
        case 'keepalive':
          return;
      }
  }
}

function reportProgress(step: Step, acked: InFlight[]): void {
  const job = step.s.job;
  if (!job?.acknowledged || !acked.some((entry) => entry.origin.kind === 'file')) return;
  step.emit({
    type: 'job.progress',
    jobId: job.id,
    acknowledgedLines: job.acknowledgedLines,
    at: { ...job.acknowledged },
    totalBytes: job.totalBytes,
    totalLines: job.totalLines,
  });
}
