import { rejectAllCommands } from './commands.js';
import { failJob, interruptJob } from './job.js';
import { EMPTY_HISTORY } from './history.js';
import type { Step } from './step.js';
import type { ConnectionPhase, TimerName } from './types.js';
import { framedText } from './window.js';

/**
 * The ways a link stops working: emergency stop, a firmware halt or fatal
 * error, a firmware reset, a closed port, a dead link. Each ends the job
 * (never to be restarted by the engine) and clears what was in flight.
 */
const ALL_TIMERS: TimerName[] = ['boot', 'hello', 'ack', 'drain', 'poll', 'idle'];

/** M112 raw (the emergency parser acts on it at once) and numbered (firmwares that read it as a line). */
export function emergencyStop(step: Step): void {
  const s = step.s;
  if (s.phase === 'closed') {
    step.error('not_connected', 'emergency stop requested while the port is closed', true);
    return;
  }
  const text = `M112\n${framedText(s.nextLine, 'M112')}`;
  s.nextLine++;
  step.effects.unshift({ type: 'writeEmergency', text });
  step.emit({ type: 'serial.log', direction: 'sent', text: text.trimEnd() });
  interruptJob(step, 'emergency_stop', 'emergency stop (M112)');
  stopLink(step, 'halted', 'emergency stop');
}

/** A fatal firmware error: stop sending at once, keep the port open to log what follows. */
export function firmwareHalted(step: Step, message: string, asFailure: boolean): void {
  if (step.s.phase === 'halted' || step.s.phase === 'closed') return;
  if (asFailure) failJob(step, 'firmware_error', message);
  else interruptJob(step, 'halted', message);
  step.error('firmware_halted', message, true);
  stopLink(step, 'halted', message);
}

/** `start` while connected: the firmware lost heaters, position and buffers. Interrupt, then handshake again. */
export function firmwareReset(step: Step): void {
  interruptJob(step, 'firmware_reset', 'the firmware reset (start) during the job');
  step.error('firmware_reset', 'the firmware reset', false);
  stopLink(step, 'booting', 'firmware reset');
  step.s.helloAttempts = 0;
  step.setTimer('boot', step.s.config.bootQuietMs);
}

export function portClosed(step: Step, reason: string): void {
  if (step.s.phase === 'closed') return;
  interruptJob(step, 'disconnected', `port closed: ${reason}`);
  stopLink(step, 'closed', reason);
}

/** Too many timeouts in a row: the printer no longer answers. */
export function linkDead(step: Step, reason: string): void {
  interruptJob(step, 'timeout', reason);
  step.error('link_timeout', reason, true);
  stopLink(step, 'closed', reason);
  step.effects.push({ type: 'close', reason });
}

function stopLink(step: Step, phase: ConnectionPhase, reason: string): void {
  const s = step.s;
  for (const name of ALL_TIMERS) step.cancelTimer(name);
  rejectAllCommands(step, phase === 'halted' ? 'halted' : 'disconnected', reason);
  s.inFlight = [];
  s.systemQueue = [];
  s.resend = null;
  s.renumber = null;
  s.rxPending = new Uint8Array(0);
  s.rxPendingCr = false;
  s.consecutiveResends = 0;
  s.consecutiveTimeouts = 0;
  if (phase !== 'halted') {
    s.history = EMPTY_HISTORY;
    s.nextLine = 0;
    s.busySeen = false;
    s.advancedOk = false;
    s.autoreportTemperature = false;
  }
  s.phase = phase;
  step.emit({ type: 'connection.state', phase, reason });
}

