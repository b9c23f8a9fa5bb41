import type { Effect, EngineState, LinkEvent, TimerName } from './types.js';

/**
 * One transition in progress: a private copy of the state that the handlers
 * may change in place, and the effects they produce. The input state is
 * never touched (every array and nested record is copied first).
 */
export class Step {
  readonly effects: Effect[] = [];
  readonly s: EngineState;

  constructor(state: EngineState) {
    this.s = cloneState(state);
  }

  emit(event: LinkEvent): void {
    this.effects.push({ type: 'emit', event });
  }

  write(text: string): void {
    this.effects.push({ type: 'write', text });
    this.emit({ type: 'serial.log', direction: 'sent', text: text.replace(/\n$/, '') });
  }

  setTimer(name: TimerName, ms: number): void {
    this.s.timers[name] = true;
    this.effects.push({ type: 'setTimer', name, ms });
  }

  cancelTimer(name: TimerName): void {
    if (!this.s.timers[name]) return;
    delete this.s.timers[name];
    this.effects.push({ type: 'cancelTimer', name });
  }

  error(code: string, message: string, fatal: boolean): void {
    this.emit({ type: 'error', code, message, fatal });
  }

  emitCounters(): void {
    this.emit({ type: 'counters', counters: { ...this.s.counters } });
  }

  /** Effects with adjacent writes joined, so the driver makes one write call per batch. */
  finish(): Effect[] {
    const out: Effect[] = [];
    for (const effect of this.effects) {
      const last = out.at(-1);
      if (effect.type === 'write' && last?.type === 'write') out[out.length - 1] = { type: 'write', text: last.text + effect.text };
      else out.push(effect);
    }
    return out;
  }
}

// `firmware` is replaced, never changed in place, so it is shared.
function cloneState(state: EngineState): EngineState {
  return {
    ...state,
    inFlight: state.inFlight.map((entry) => ({ ...entry })),
    systemQueue: state.systemQueue.slice(),
    directQueue: state.directQueue.slice(),
    resend: state.resend ? { ...state.resend } : null,
    timers: { ...state.timers },
    job: state.job ? { ...state.job, script: state.job.script.slice(), acknowledged: state.job.acknowledged ? { ...state.job.acknowledged } : null } : null,
    commands: cloneCommands(state.commands),
    counters: { ...state.counters },
  };
}

function cloneCommands(commands: EngineState['commands']): EngineState['commands'] {
  const out: EngineState['commands'] = {};
  for (const id in commands) {
    const pending = commands[id];
    if (pending) out[id] = { ...pending, lines: pending.lines.slice() };
  }
  return out;
}
