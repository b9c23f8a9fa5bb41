import { describe, expect, it } from 'vitest';
import { transition } from '../src/engine/transition.js';
import type { EngineInput, EngineState } from '../src/engine/types.js';
import { EngineHarness, connect, fileLines } from './engine-harness.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A harness whose every input state is frozen: any write to it throws. */
class FrozenHarness extends EngineHarness {
  override send(input: EngineInput): void {
    const before: EngineState = deepFreeze(this.state);
    const copy = JSON.stringify(before, (_, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v));
    super.send(input);
    expect(JSON.stringify(before, (_, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v))).toBe(copy);
  }
}

describe('transition', () => {
  it('never changes the state it is given', () => {
    const h = new FrozenHarness({ flowControl: 'window', resendDrainMs: 10, scripts: { pause: ['G91'], resume: ['G90'], cancel: ['M104 S0'] } });
    connect(h, { ADVANCED_OK: 1, EMERGENCY_PARSER: 1 });
    h.send({ type: 'startJob', id: 'j' });
    h.send({ type: 'lines', jobId: 'j', lines: fileLines(['G28', 'G1 X1', 'G1 X2', 'G1 X3']), done: true });
    h.send({ type: 'command', id: 'c', command: 'M114' });
    h.receive('ok N0 P15 B3', 'Error:checksum mismatch, Last Line: 0', 'Resend: 1', 'ok');
    h.advance(10);
    h.send({ type: 'pause' });
    h.receive('ok N1 P15 B3', 'ok N2 P15 B3');
    h.advance(60_000);
    h.send({ type: 'cancel' });
    h.receive('ok', 'ok N5 P15 B3', 'start');
    expect(h.state.phase).toBe('booting');
  });

  it('is deterministic: the same inputs give the same effects', () => {
    const inputs: EngineInput[] = [{ type: 'opened' }, { type: 'timer', name: 'boot' }, { type: 'data', chunk: new TextEncoder().encode('ok\n') }];
    const run = (): unknown => {
      let state = new EngineHarness({ bootWaitMs: 100 }).state;
      return inputs.map((input) => {
        const out = transition(state, input);
        state = out.state;
        return out.effects;
      });
    };
    expect(run()).toEqual(run());
  });
});
