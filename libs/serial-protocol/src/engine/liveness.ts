import { endSyncTimedOut } from './acks.js';
import { linkDead } from './halt.js';
import { hasLongRunningInFlight, writeNumbered } from './sender.js';
import type { Step } from './step.js';
import type { EngineState, Outgoing } from './types.js';
import { byteLength, framedText } from './window.js';

/**
 * Timeouts and keepalives. While lines are in flight an `ok` must come
 * within the communication timeout (shorter once the firmware has shown
 * `busy:` keepalives, much longer for long-running commands on firmwares
 * without them). On expiry the engine nudges with a numbered `M105` instead
 * of resending blindly: a firmware that lost an `ok` answers it (`ok T:…`
 * acknowledges everything up to it), one that lost a line asks for a resend.
 */
export function ackTimeoutMs(s: EngineState): number {
  const timeout = s.busySeen ? s.config.busyTimeoutMs : hasLongRunningInFlight(s) ? s.config.longCommandTimeoutMs : s.config.communicationTimeoutMs;
  return probesForSilentDrops(s) ? Math.min(timeout, s.config.silentDropProbeMs) : timeout;
}

/**
 * RepRapFirmware drops a line with a bad checksum silently. A numbered `M105` behind it is answered
 * in order: a prompt `ok T:` while the line still waits for its ok shows it was dropped (see
 * `silentlyDropped` in acks.ts). One probe at a time; while it waits, the normal timeout runs.
 */
function probesForSilentDrops(s: EngineState): boolean {
  return (
    s.firmware?.flavor === 'reprapfirmware' &&
    s.config.silentDropProbeMs > 0 &&
    !s.inFlight.some((entry) => entry.origin.kind === 'system' && entry.origin.purpose === 'tickle')
  );
}

/** Keeps the ack timer armed exactly while lines are in flight (restart: an ack or keepalive just came). */
export function armAckTimer(step: Step, restart = false): void {
  const s = step.s;
  if (s.phase !== 'ready' || s.inFlight.length === 0 || s.resend?.phase === 'draining') {
    step.cancelTimer('ack');
    return;
  }
  if (restart || !s.timers.ack) step.setTimer('ack', ackTimeoutMs(s));
}

export function ackTimedOut(step: Step): void {
  const s = step.s;
  if (s.phase !== 'ready' || s.inFlight.length === 0) return;
  if (probesForSilentDrops(s) && s.resend === null) {
    // Not a timeout yet: a slow line delays the probe's answer too, and nothing is lost.
    sendM105(step, 'tickle');
    step.setTimer('ack', ackTimeoutMs(s));
    return;
  }
  s.consecutiveTimeouts++;
  s.counters.timeouts++;
  step.emitCounters();
  if (endSyncTimedOut(step)) return;
  if (s.consecutiveTimeouts > s.config.maxConsecutiveTimeouts) {
    linkDead(step, `no answer from the printer after ${s.consecutiveTimeouts} timeouts`);
    return;
  }
  step.error('timeout', `no ok within ${ackTimeoutMs(s)} ms; nudging with M105`, false);
  sendM105(step, 'tickle');
  step.setTimer('ack', ackTimeoutMs(s));
}

function sendM105(step: Step, purpose: 'tickle'): void {
  const s = step.s;
  const tickle: Outgoing = { command: 'M105', origin: { kind: 'system', purpose } };
  const text = framedText(s.nextLine, tickle.command);
  const verdict = s.config.guard(tickle.command);
  if (verdict.ok) writeNumbered(step, tickle, s.nextLine, text, byteLength(text));
}

/** `busy:` keepalive: the firmware is alive and working on a long command. */
export function keepaliveReceived(step: Step): void {
  const s = step.s;
  if (!s.busySeen) {
    s.busySeen = true;
    // Make the keepalive interval known, so a silent firmware is noticed within a few seconds.
    s.systemQueue.push({ command: 'M113 S2', origin: { kind: 'system', purpose: 'keepalive' } });
  }
  s.consecutiveTimeouts = 0;
  armAckTimer(step, true);
}

/** Idle watchdog: if nothing at all came in for a whole period, probe with M105. */
export function idleTimerFired(step: Step): void {
  const s = step.s;
  if (s.phase !== 'ready') return;
  if (!s.heardSinceIdle && s.inFlight.length === 0) queuePoll(s);
  s.heardSinceIdle = false;
  step.setTimer('idle', s.config.communicationTimeoutMs);
}

export function pollTimerFired(step: Step): void {
  const s = step.s;
  if (s.phase !== 'ready' || s.autoreportTemperature) return;
  queuePoll(s);
  step.setTimer('poll', s.config.temperaturePollMs);
}

function queuePoll(s: EngineState): void {
  const pending = s.systemQueue.some((o) => o.command === 'M105') || s.inFlight.some((entry) => entry.command === 'M105');
  if (!pending) s.systemQueue.push({ command: 'M105', origin: { kind: 'system', purpose: 'poll' } });
}
