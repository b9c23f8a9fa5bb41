import { checksum } from '@farm/gcode';
import { initialState, transition } from '../src/engine/transition.js';
import type { LinkConfig } from '../src/engine/config.js';
import type { EngineInput, EngineState, JobResult, LinkEvent, TimerName } from '../src/engine/types.js';
import { fileLines } from './engine-harness.js';

/**
 * A discrete-event simulation of the pure engine talking to a Marlin-like
 * firmware over a lossy wire: a 127-byte receive buffer that drops bytes
 * beyond it (counted, so tests can assert it never happens), a 4-slot command
 * queue, the real line checks (checksum, sequence, M110), `Error`/`Resend`/
 * `ok` on a bad line with the receive buffer flushed, and faults injected at
 * random from a seed: corrupted or lost host lines, lost or duplicated oks.
 */
export interface Faults {
  corruptLine: number;
  loseLine: number;
  loseOk: number;
  duplicateOk: number;
  /** Noise lines (NULs, high-bit bytes) between replies. */
  garbage?: number;
  /** Older Marlin and Prusa 3.1.0: `Resend:` without the `ok` after it. */
  noOkAfterResend?: boolean;
}

export interface SimOptions {
  seed: number;
  faults: Faults;
  advancedOk: boolean;
  latencyMs: number;
  processMs: number;
  config: Partial<LinkConfig>;
}

const RX_BUFFER = 127;
const BUFSIZE = 4;
const encoder = new TextEncoder();

type SimEvent = { at: number; seq: number; run: () => void };

export class SimulatedMarlin {
  readonly executed: string[] = [];
  /** What crossed the wire, for debugging a failing seed: `> ` host to firmware, `< ` firmware to host. */
  readonly trace: string[] = [];
  overflowBytes = 0;
  events: LinkEvent[] = [];
  private state: EngineState;
  private now = 0;
  private seq = 0;
  private queue: SimEvent[] = [];
  private timers = new Map<TimerName, SimEvent>();
  private rx = '';
  private commands: string[] = [];
  private lastN = 0;
  private busy = false;
  private random: () => number;
  private pending: { jobId: string; lines: ReturnType<typeof fileLines>; at: number } | null = null;
  result: JobResult | null = null;

  constructor(private readonly options: SimOptions) {
    this.random = mulberry32(options.seed);
    this.state = initialState({ bootWaitMs: 0, resendDrainMs: 30, communicationTimeoutMs: 1500, busyTimeoutMs: 1500, ...options.config });
  }

  /** Connects, prints the commands and returns the job's result. */
  print(commands: string[], maxSimMs = 3_600_000): JobResult {
    this.dispatch({ type: 'opened' });
    this.runUntil(() => this.state.phase === 'ready', maxSimMs);
    this.pending = { jobId: 'sim', lines: fileLines(commands), at: 0 };
    this.dispatch({ type: 'startJob', id: 'sim', totalLines: commands.length });
    this.runUntil(() => this.result !== null, maxSimMs);
    if (!this.result) throw new Error(`job did not finish within ${maxSimMs} simulated ms (phase ${this.state.phase})`);
    // Lines acknowledged early (a duplicated ok) may still be on their way: let the firmware finish.
    const settleUntil = this.now + 10_000;
    this.runUntil(() => this.now >= settleUntil, maxSimMs + 10_000);
    return this.result;
  }

  get counters(): EngineState['counters'] {
    return this.state.counters;
  }

  private runUntil(done: () => boolean, maxSimMs: number): void {
    while (!done()) {
      this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.queue.shift();
      if (!next || next.at > maxSimMs) return;
      this.now = next.at;
      next.run();
    }
  }

  private schedule(delay: number, run: () => void): SimEvent {
    const event = { at: this.now + delay, seq: this.seq++, run };
    this.queue.push(event);
    return event;
  }

  private dispatch(input: EngineInput): void {
    const { state, effects } = transition(this.state, input);
    this.state = state;
    for (const effect of effects) {
      switch (effect.type) {
        case 'write':
        case 'writeEmergency':
          this.hostWrites(effect.text);
          break;
        case 'setTimer': {
          this.cancel(effect.name);
          const name = effect.name;
          this.timers.set(name, this.schedule(effect.ms, () => {
            this.timers.delete(name);
            this.dispatch({ type: 'timer', name });
          }));
          break;
        }
        case 'cancelTimer':
          this.cancel(effect.name);
          break;
        case 'pullLines':
          this.schedule(0, () => this.pull(effect.jobId, effect.max));
          break;
        case 'emit':
          this.events.push(effect.event);
          if (effect.event.type === 'job.finished') this.result = effect.event.result;
          break;
        case 'releaseSource':
        case 'commandResult':
        case 'close':
          break;
      }
    }
  }

  private cancel(name: TimerName): void {
    const timer = this.timers.get(name);
    if (!timer) return;
    this.queue = this.queue.filter((event) => event !== timer);
    this.timers.delete(name);
  }

  private pull(jobId: string, max: number): void {
    const source = this.pending;
    if (!source || source.jobId !== jobId) return;
    const lines = source.lines.slice(source.at, source.at + max);
    source.at += lines.length;
    this.dispatch({ type: 'lines', jobId, lines, done: source.at >= source.lines.length });
  }

  // ── the wire, host → firmware ──────────────────────────────────────────

  private hostWrites(text: string): void {
    for (const line of text.split(/(?<=\n)/)) {
      if (line === '') continue;
      let bytes = line;
      const { faults } = this.options;
      if (line.startsWith('N') && line.length > 6) {
        if (this.random() < faults.loseLine) continue;
        if (this.random() < faults.corruptLine) bytes = corrupt(line, this.random);
      }
      this.trace.push(`${this.now} > ${JSON.stringify(bytes)}`);
      this.schedule(this.options.latencyMs, () => this.firmwareReceives(bytes));
    }
  }

  private firmwareReceives(bytes: string): void {
    for (const ch of bytes) {
      if (this.rx.length >= RX_BUFFER) this.overflowBytes++;
      else this.rx += ch;
    }
    this.readCommands();
  }

  // ── the firmware ───────────────────────────────────────────────────────

  /** Marlin's get_serial_commands: lines move from RX into free queue slots and are checked there. */
  private readCommands(): void {
    while (this.commands.length < BUFSIZE) {
      const end = this.rx.indexOf('\n');
      if (end === -1) break;
      const line = this.rx.slice(0, end).trim();
      this.rx = this.rx.slice(end + 1);
      if (line === '') continue;
      const accepted = this.check(line);
      if (accepted !== null) this.commands.push(accepted);
    }
    if (!this.busy && this.commands.length > 0) {
      this.busy = true;
      this.schedule(this.options.processMs, () => this.processNext());
    }
  }

  private check(line: string): string | null {
    if (!line.startsWith('N')) return line;
    const match = /^N(\d+)\s*(.*?)\*(\d+)$/.exec(line);
    const star = line.lastIndexOf('*');
    if (!match || star === -1) return this.reject('No Checksum with line number');
    const n = Number(match[1]);
    const command = match[2] ?? '';
    const isM110 = /^M110\b/.test(command);
    if (!isM110 && n !== this.lastN + 1) return this.reject('Line Number is not Last Line Number+1');
    if (checksum(line.slice(0, star)) !== Number(match[3])) return this.reject('checksum mismatch');
    this.lastN = isM110 ? Number(/N(\d+)/.exec(command.slice(4))?.[1] ?? n) : n;
    return `${n}|${command}`;
  }

  private reject(error: string): null {
    this.rx = '';
    this.reply(`Error:${error}, Last Line: ${this.lastN}`);
    this.reply(`Resend: ${this.lastN + 1}`);
    if (!this.options.faults.noOkAfterResend) this.reply('ok');
    return null;
  }

  private processNext(): void {
    const next = this.commands.shift();
    this.busy = false;
    if (next !== undefined) {
      const bar = next.indexOf('|');
      const numbered = bar !== -1 && /^\d+$/.test(next.slice(0, bar));
      const n = numbered ? next.slice(0, bar) : null;
      const command = numbered ? next.slice(bar + 1) : next;
      this.executed.push(command);
      this.trace.push(`${this.now} EXEC ${next}`);
      let ok = 'ok';
      if (/^M105\b/.test(command)) ok = 'ok T:25.00 /0.00 B:25.00 /0.00 @:0 B@:0';
      else if (this.options.advancedOk) ok = `ok ${n !== null ? `N${n} ` : ''}P15 B${BUFSIZE - this.commands.length}`;
      if (/^M115\b/.test(command)) {
        this.reply('FIRMWARE_NAME:Marlin sim');
        this.reply('Cap:AUTOREPORT_TEMP:1');
        if (this.options.advancedOk) this.reply('Cap:ADVANCED_OK:1');
      }
      if (this.random() >= this.options.faults.loseOk) {
        this.reply(ok);
        if (this.random() < this.options.faults.duplicateOk) this.reply(ok);
      }
    }
    this.readCommands();
  }

  private reply(line: string): void {
    if (this.random() < (this.options.faults.garbage ?? 0)) {
      const noise = String.fromCharCode(0, 0xff, 0xfe, 0x80 + Math.floor(this.random() * 100));
      this.schedule(this.options.latencyMs, () => this.dispatch({ type: 'data', chunk: Uint8Array.from(noise, (c) => c.charCodeAt(0) & 0xff) }));
      this.schedule(this.options.latencyMs, () => this.dispatch({ type: 'data', chunk: encoder.encode('\n') }));
    }
    this.trace.push(`${this.now} < ${line}`);
    this.schedule(this.options.latencyMs, () => this.dispatch({ type: 'data', chunk: encoder.encode(`${line}\n`) }));
  }
}

function corrupt(line: string, random: () => number): string {
  const at = 1 + Math.floor(random() * (line.length - 2));
  const code = line.charCodeAt(at) ^ (1 + Math.floor(random() * 30));
  return line.slice(0, at) + String.fromCharCode(code === 10 ? 11 : code) + line.slice(at + 1);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
