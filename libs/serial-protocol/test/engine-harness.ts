import { checksum } from '@farm/gcode';
import type { GcodeLine } from '@farm/gcode';
import { initialState, transition } from '../src/engine/transition.js';
import type { LinkConfig } from '../src/engine/config.js';
import type { CommandResult, Effect, EngineInput, EngineState, LinkEvent, TimerName } from '../src/engine/types.js';

const encoder = new TextEncoder();

/**
 * Drives the pure engine like a transcript: firmware lines in, bytes out,
 * with a fake clock for its timers. Nothing here waits for real time.
 */
export class EngineHarness {
  state: EngineState;
  now = 0;
  private out = '';
  readonly events: LinkEvent[] = [];
  readonly effects: Effect[] = [];
  readonly results = new Map<string, CommandResult>();
  readonly pulls: { jobId: string; max: number }[] = [];
  readonly timers = new Map<TimerName, number>();
  emergency = '';
  closed: string | null = null;

  constructor(config: Partial<LinkConfig> = {}) {
    this.state = initialState({ bootWaitMs: 0, ...config });
  }

  send(input: EngineInput): void {
    const { state, effects } = transition(this.state, input);
    this.state = state;
    for (const effect of effects) this.apply(effect);
  }

  /** Firmware output, exactly as given (add the newlines yourself), in the given chunks. */
  receiveRaw(...chunks: string[]): void {
    for (const chunk of chunks) this.send({ type: 'data', chunk: encoder.encode(chunk) });
  }

  /** Firmware lines, each with its newline, in one chunk. */
  receive(...lines: string[]): void {
    this.receiveRaw(lines.map((line) => `${line}\n`).join(''));
  }

  /** Lines written since the last call. */
  written(): string[] {
    const lines = this.out.split('\n').filter((line) => line !== '');
    this.out = '';
    return lines;
  }

  /** Advances the fake clock, firing due timers in order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      let next: [TimerName, number] | null = null;
      for (const entry of this.timers) if (entry[1] <= until && (!next || entry[1] < next[1])) next = entry;
      if (!next) break;
      this.now = next[1];
      this.timers.delete(next[0]);
      this.send({ type: 'timer', name: next[0] });
    }
    this.now = until;
  }

  fire(name: TimerName): void {
    if (!this.timers.has(name)) throw new Error(`timer ${name} is not set`);
    this.timers.delete(name);
    this.send({ type: 'timer', name });
  }

  eventsOf<T extends LinkEvent['type']>(type: T): Extract<LinkEvent, { type: T }>[] {
    return this.events.filter((event): event is Extract<LinkEvent, { type: T }> => event.type === type);
  }

  private apply(effect: Effect): void {
    this.effects.push(effect);
    switch (effect.type) {
      case 'write':
        this.out += effect.text;
        return;
      case 'writeEmergency':
        this.emergency += effect.text;
        return;
      case 'setTimer':
        this.timers.set(effect.name, this.now + effect.ms);
        return;
      case 'cancelTimer':
        this.timers.delete(effect.name);
        return;
      case 'pullLines':
        this.pulls.push({ jobId: effect.jobId, max: effect.max });
        return;
      case 'releaseSource':
        return;
      case 'commandResult':
        this.results.set(effect.id, effect.result);
        return;
      case 'emit':
        this.events.push(effect.event);
        return;
      case 'close':
        this.closed = effect.reason;
        return;
    }
  }
}

/** `N<n> <command>*<cs>` as the host must write it. */
export function framed(n: number, command: string): string {
  const body = `N${n} ${command}`;
  return `${body}*${checksum(body)}`;
}

export function fileLines(commands: string[]): GcodeLine[] {
  let offset = 0;
  return commands.map((command, i) => {
    const start = offset;
    offset += command.length + 1;
    return { command, lineNumber: i + 1, start, end: offset };
  });
}

export const MARLIN_M115 = [
  'FIRMWARE_NAME:Marlin bugfix-2.1.x (Nov 24 2026 02:05:21) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:3D Printer EXTRUDER_COUNT:1 UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff',
  'Cap:SERIAL_XON_XOFF:0',
  'Cap:EEPROM:0',
  'Cap:AUTOREPORT_POS:0',
  'Cap:AUTOREPORT_TEMP:1',
  'Cap:EMERGENCY_PARSER:0',
];

/** Prusa-Firmware: rejects a checksum without a line number, so window mode survives line errors. */
export const PRUSA_M115 = [
  'FIRMWARE_NAME:Prusa-Firmware 3.14.0 based on Marlin FIRMWARE_URL:https://github.com/prusa3d/Prusa-Firmware PROTOCOL_VERSION:1.0 MACHINE_TYPE:Prusa i3 MK3S EXTRUDER_COUNT:1 UUID:00000000-0000-0000-0000-000000000000',
  'Cap:AUTOREPORT_TEMP:1',
];

/** Marlin's reply to M105 (its own ok, recognisable without ADVANCED_OK). */
export const M105_OK = 'ok T:25.00 /0.00 B:25.00 /0.00 @:0 B@:0';

/** Answers the closing `M105` a job sends once every line is acknowledged; the job completes on it. */
export function answerEndSync(h: EngineHarness): void {
  const sent = h.written();
  const last = sent.at(-1) ?? '';
  if (!/^N\d+ M105\*/.test(last)) throw new Error(`expected the closing M105, got ${JSON.stringify(sent)}`);
  h.receive(M105_OK);
}

/** Opens and completes the handshake with a Marlin (or the given M115 reply) that has the given extra capabilities. */
export function connect(h: EngineHarness, caps: Record<string, 0 | 1> = {}, m115: string[] = MARLIN_M115): void {
  h.send({ type: 'opened' });
  h.written();
  h.receive('ok');
  h.written();
  h.receive(...m115, ...Object.entries(caps).map(([name, on]) => `Cap:${name}:${on}`), 'ok');
  h.written();
  h.receive('ok'); // M155 S2
  h.written();
}

/** Starts a job and answers the M110 N0 it begins with; the next write is file line 1. */
export function startJob(h: EngineHarness, commands: string[], id = 'job1'): void {
  h.send({ type: 'startJob', id, totalLines: commands.length });
  h.send({ type: 'lines', jobId: id, lines: fileLines(commands), done: true });
}
