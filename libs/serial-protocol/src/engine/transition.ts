import { queueCommand } from './commands.js';
import { resolveConfig } from './config.js';
import { EMPTY_HISTORY } from './history.js';
import type { LinkConfig } from './config.js';
import { emergencyStop, portClosed } from './halt.js';
import { helloTimedOut, portOpened, sendHello } from './handshake.js';
import { advanceJob, cancelJob, failJob, pauseJob, receiveLines, resumeJob, startJob } from './job.js';
import { ackTimedOut, armAckTimer, idleTimerFired, pollTimerFired } from './liveness.js';
import { lineReceived, splitReceived } from './receive.js';
import { drainEnded } from './resend.js';
import { pump, writeOutOfBand } from './sender.js';
import { Step } from './step.js';
import type { Effect, EngineInput, EngineState, TimerName } from './types.js';

/**
 * The protocol engine: `transition(state, input) → { state, effects }`.
 * Pure: no I/O, no clock, no timers; the input state is never changed.
 */
export function initialState(config: Partial<LinkConfig> = {}): EngineState {
  return {
    config: resolveConfig(config),
    phase: 'closed',
    helloAttempts: 0,
    firmware: null,
    flow: 'pingpong',
    rxPending: new Uint8Array(0),
    rxPendingCr: false,
    nextLine: 0,
    renumber: null,
    history: EMPTY_HISTORY,
    inFlight: [],
    systemQueue: [],
    directQueue: [],
    resend: null,
    lastResendFrom: null,
    consecutiveResends: 0,
    consecutiveTimeouts: 0,
    busySeen: false,
    linesSinceSync: 0,
    heardSinceIdle: false,
    advancedOk: false,
    windowFallback: false,
    m105AnswersWithTemperature: false,
    lastOkWasTemperature: false,
    maxBufferFree: 0,
    autoreportTemperature: false,
    timers: {},
    job: null,
    commands: {},
    counters: { linesSent: 0, resends: 0, resendRequests: 0, timeouts: 0, okCount: 0, plannerFree: null },
  };
}

export function transition(state: EngineState, input: EngineInput): { state: EngineState; effects: Effect[] } {
  const step = new Step(state);
  if (input.type === 'data') {
    // Each line is handled as if it had come alone: an ok frees the window before the next line is read.
    for (const line of splitReceived(step, input.chunk)) {
      lineReceived(step, line);
      settle(step);
    }
  } else {
    handle(step, input);
    settle(step);
  }
  return { state: step.s, effects: step.finish() };
}

/** A phase change can free the lane and sending can end a phase: settle both, then keep the ack timer right. */
function settle(step: Step): void {
  advanceJob(step);
  pump(step);
  advanceJob(step);
  pump(step);
  armAckTimer(step);
}

function handle(step: Step, input: EngineInput): void {
  const s = step.s;
  switch (input.type) {
    case 'opened':
      portOpened(step);
      return;
    case 'data':
      return;
    case 'closed':
      portClosed(step, input.reason ?? 'closed');
      return;
    case 'timer':
      timerFired(step, input.name);
      return;
    case 'startJob':
      startJob(step, input);
      return;
    case 'lines':
      receiveLines(step, input);
      return;
    case 'sourceFailed':
      if (s.job?.id === input.jobId) failJob(step, 'source_failed', input.reason);
      return;
    case 'pause':
      pauseJob(step);
      return;
    case 'resume':
      resumeJob(step);
      return;
    case 'cancel':
      cancelJob(step);
      return;
    case 'emergencyStop':
      emergencyStop(step);
      return;
    case 'command':
      queueCommand(step, input.id, input.command);
      return;
    case 'answerPrompt':
      answerPrompt(step, input.choice);
      return;
    case 'close':
      portClosed(step, 'closed by the host');
      step.effects.push({ type: 'close', reason: 'closed by the host' });
      return;
  }
}

function timerFired(step: Step, name: TimerName): void {
  delete step.s.timers[name];
  switch (name) {
    case 'boot':
      if (step.s.phase === 'booting') sendHello(step);
      return;
    case 'hello':
      helloTimedOut(step);
      return;
    case 'ack':
      ackTimedOut(step);
      return;
    case 'drain':
      drainEnded(step);
      return;
    case 'poll':
      pollTimerFired(step);
      return;
    case 'idle':
      idleTimerFired(step);
      return;
  }
}

/** `M876 S<n>`: out of band when the firmware has the emergency parser (it may be blocked waiting for the answer). */
function answerPrompt(step: Step, choice: number): void {
  const s = step.s;
  if (s.phase !== 'ready') return;
  const command = `M876 S${Math.max(0, Math.trunc(choice))}`;
  if (s.firmware?.capabilities.EMERGENCY_PARSER) {
    const verdict = writeOutOfBand(step, command, { kind: 'system', purpose: 'prompt' });
    if (!verdict.ok) step.error(verdict.code, `prompt answer refused: ${verdict.reason}`, false);
    return;
  }
  s.systemQueue.unshift({ command, origin: { kind: 'system', purpose: 'prompt' } });
}
