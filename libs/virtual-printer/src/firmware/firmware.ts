import { parseWords } from '@farm/gcode';
import type { PrinterConfig } from '../config/printer-config.js';
import type { FaultKind, FaultSpec } from '../faults/fault-spec.js';
import { emptyFaultSpec } from '../faults/fault-spec.js';
import { FaultPlan } from '../faults/fault-plan.js';
import { HeaterFaultPlan } from '../faults/heater-faults.js';
import { corruptLine, garbageLine } from '../faults/noise.js';
import { InboundWire } from '../link/inbound-wire.js';
import { OutboundWire } from '../link/outbound-wire.js';
import type { EmergencyCommand } from './emergency-parser.js';
import { EmergencyParser } from './emergency-parser.js';
import type { FirmwareStats } from './firmware-stats.js';
import { armHeaterFault, strikeHeaterFault } from './heater-fault-effects.js';
import { checkLine, lineNumberOf } from './line-check.js';
import { Machine, minOf } from './machine.js';
import { Recorder } from './recorder.js';
import type { HaltCause, ReplyStyle } from './replies/index.js';
import { replyStyleFor } from './replies/index.js';
import { SerialReceiver } from './serial-receiver.js';

/**
 * The simulated printer: link, receive buffer, command queue, planner,
 * heaters and replies, driven by time the caller passes in (host
 * milliseconds). No timers, no I/O: the driver feeds host bytes with
 * `hostBytes`, calls `advance(now)` whenever `nextWakeAt()` is due, and
 * writes what `takeOutput(now)` returns.
 */
export type PowerState = 'waiting-for-host' | 'booting' | 'running' | 'halted';

/** Things only the driver can do (drop the USB link). */
export type FirmwareSignal = { kind: 'disconnect' };

export interface FirmwareOptions {
  config: PrinterConfig;
  faults?: FaultSpec;
  /** Keep the executed-command list (default true). */
  recordExecuted?: boolean;
  /** Told when the firmware halts (M112, thermal runaway, injected halt), with the time it happened. */
  onHalt?: (cause: HaltCause, at: number) => void;
}

const MAX_STEPS_PER_ADVANCE = 1_000_000;

export class Firmware {
  readonly config: PrinterConfig;
  readonly recorder: Recorder;
  private readonly replies: ReplyStyle;
  private readonly inbound: InboundWire;
  private readonly outbound: OutboundWire;
  private readonly receiver: SerialReceiver;
  private readonly emergency: EmergencyParser | undefined;
  private readonly faults: FaultPlan;
  private readonly heaterFaults: HeaterFaultPlan;
  private readonly machine: Machine;
  private power: PowerState;
  private bootEndsAt = 0;
  private haltCause: HaltCause = 'halt';
  private linesRead = 0;
  private readonly byteMs: number;
  private clock = 0;
  private readonly signals: FirmwareSignal[] = [];
  private readonly onByte = (byte: number): void => this.receiveByte(byte);
  private readonly onHalt: ((cause: HaltCause, at: number) => void) | undefined;

  constructor(options: FirmwareOptions) {
    const config = options.config;
    this.config = config;
    this.replies = replyStyleFor(config.flavor);
    const byteMs = config.baud > 0 ? 10_000 / config.baud / config.timeScale : 0;
    this.byteMs = byteMs;
    this.inbound = new InboundWire(byteMs, config.hostLatencyMs / config.timeScale);
    this.outbound = new OutboundWire(byteMs, config.latencyMs / config.timeScale);
    // Marlin MAX_CMD_SIZE 96 (95 usable); RRF's G-code buffer 256; Klipper reads whole lines.
    const maxCommand = config.flavor === 'klipper' ? 65_536 : config.flavor === 'rrf' ? 255 : 95;
    this.receiver = new SerialReceiver(config.rxBufferSize, maxCommand);
    this.emergency = config.emergencyParser && config.flavor === 'marlin' ? new EmergencyParser() : undefined;
    this.faults = new FaultPlan(options.faults ?? emptyFaultSpec());
    this.recorder = new Recorder(options.recordExecuted ?? true);
    this.onHalt = options.onHalt;
    this.machine = new Machine(config, this.replies, this.recorder, {
      emit: (line, at) => this.outbound.push(`${line}\n`, at),
      halt: (cause) => this.halt(cause),
    });
    this.heaterFaults = new HeaterFaultPlan(options.faults?.heaters ?? []);
    for (const fault of this.heaterFaults.standing()) armHeaterFault(fault, this.machine);
    // Boards that reset on open stay silent until the host is there (ECOSYSTEM gotcha 4).
    this.power = config.bootMs > 0 ? 'waiting-for-host' : 'running';
  }

  get state(): PowerState {
    return this.power;
  }

  /** Bytes the host wrote at `now`; they reach the firmware at the wire's pace. */
  hostBytes(data: Uint8Array, now: number): void {
    this.recorder.counters.bytesReceived += data.length;
    this.inbound.push(data, now);
  }

  /** The port was opened (TCP connect, or a reopen the driver can see): an AVR board resets. */
  hostOpened(now: number): void {
    this.advance(now);
    this.boot(now);
  }

  /**
   * Runs the simulation up to `now`; returns what the driver must do.
   * `lookaheadMs` lets a driver whose timers fire late handle events due a
   * little after `now` (they produce no output before it anyway); host bytes
   * arriving in that window then reach the firmware at most that much later.
   */
  advance(now: number, lookaheadMs = 0): FirmwareSignal[] {
    for (let i = 0; i < MAX_STEPS_PER_ADVANCE; i++) {
      const t = this.nextInternalEventAt();
      if (t === undefined || t > now + lookaheadMs) break;
      this.runAt(Math.max(t, this.clock));
    }
    this.runAt(Math.max(now, this.clock));
    return this.signals.splice(0);
  }

  /** When the driver must call `advance` again (also for replies due to reach the host). */
  nextWakeAt(): number | undefined {
    return minOf(this.nextInternalEventAt(), this.outbound.nextDeliveryAt());
  }

  /** Reply bytes that have reached the host by `now` (latin1: garbage may hold any byte). */
  takeOutput(now: number): string {
    return this.outbound.take(now);
  }

  stats(): FirmwareStats {
    return {
      state: this.power,
      counters: { ...this.recorder.counters, bytesDroppedOverflow: this.receiver.dropped },
      underrun: this.recorder.underrunStats(),
      faults: { ...this.faults.counts() },
      lastLineNumber: this.machine.lastLineNumber,
      plannerBlocksExecuted: this.machine.planner.executed,
    };
  }

  /** Power cycle / DTR reset: everything volatile is lost, the board boots and greets. */
  reset(now: number): void {
    this.recorder.counters.resets++;
    this.boot(now);
  }

  private boot(now: number): void {
    this.clock = Math.max(this.clock, now);
    this.recorder.sessionEnded();
    this.receiver.flush();
    this.machine.powerCycle();
    if (this.config.bootMs > 0) {
      this.power = 'booting';
      this.bootEndsAt = this.clock + this.config.bootMs / this.config.timeScale;
    } else {
      this.power = 'running';
      this.emitAll(this.replies.banner());
    }
  }

  /** The USB link went away: bytes in flight both ways are lost; the board waits for the next open. */
  linkLost(): void {
    this.recorder.sessionEnded();
    this.inbound.clear();
    this.outbound.clear();
    this.receiver.flush();
    this.machine.clear();
    if (this.config.bootMs > 0) this.power = 'waiting-for-host';
  }

  private nextInternalEventAt(): number | undefined {
    const t = minOf(this.inbound.nextLineEndAt(), this.machine.planner.nextEndAt());
    switch (this.power) {
      case 'booting':
        return minOf(t, this.bootEndsAt);
      case 'waiting-for-host':
      case 'halted':
        return t;
      case 'running':
        return minOf(t, this.machine.nextEventAt());
    }
  }

  private runAt(t: number): void {
    this.clock = t;
    this.machine.setTime(t);
    switch (this.power) {
      case 'waiting-for-host':
        if (this.inbound.pending) this.boot(t);
        this.inbound.deliver(t, DISCARD);
        return;
      case 'booting':
        this.inbound.deliver(t, DISCARD);
        if (t >= this.bootEndsAt) {
          this.power = 'running';
          this.emitAll(this.replies.banner());
          break;
        }
        return;
      case 'halted':
        this.inbound.deliver(t, this.onByte);
        for (let line = this.receiver.readLine(); line !== undefined; line = this.receiver.readLine()) {
          this.emitAll(this.replies.whileHalted(this.haltCause));
        }
        return;
      case 'running':
        break;
    }
    let progressed = true;
    while (progressed && this.power === 'running') {
      this.inbound.deliver(t, this.onByte);
      progressed = this.readLines() || this.machine.step();
    }
    if (this.power !== 'running') return;
    this.machine.runTimers(t);
    this.recorder.observe(this.machine.starved, t);
  }

  private receiveByte(byte: number): void {
    if (this.emergency) {
      const hit = this.emergency.feed(byte);
      if (hit) this.emergencyCommand(hit);
      if (this.power !== 'running') return;
    }
    this.receiver.receive(byte);
  }

  private emergencyCommand(command: EmergencyCommand): void {
    if (this.power !== 'running') return;
    switch (command) {
      case 'M112':
        this.halt('m112');
        return;
      case 'M410':
        this.machine.quickStop();
        return;
      case 'M108':
      case 'M876':
        this.machine.waitBroken = true;
        this.machine.waitingForUser = false;
        return;
    }
  }

  /** Marlin reads lines into the queue only while it has a free slot. Returns whether anything was read. */
  private readLines(): boolean {
    let read = false;
    while (this.power === 'running' && this.machine.hasRoom && this.machine.reading) {
      const line = this.receiver.readLine();
      if (line === undefined) break;
      read = true;
      this.handleLine(line);
    }
    return read;
  }

  private handleLine(raw: string): void {
    const counters = this.recorder.counters;
    counters.linesReceived++;
    this.linesRead++;
    let line = raw;
    const lineKey = lineNumberOf(raw) ?? this.linesRead;
    for (const fault of this.heaterFaults.forLine(lineKey)) strikeHeaterFault(fault, this.machine);
    const faults = this.faults.forLine(lineKey);
    for (const fault of faults) {
      if (!this.applyLineFault(fault)) return;
      if (fault === 'corrupt') line = corruptLine(line, this.faults.random);
    }
    const verdict = checkLine(line, this.machine.lastLineNumber, this.config.flavor);
    switch (verdict.kind) {
      case 'discard':
        return;
      case 'error': {
        if (verdict.message === 'checksum mismatch') counters.checksumErrors++;
        else if (verdict.message === 'Line Number is not Last Line Number+1') counters.lineNumberErrors++;
        else counters.missingChecksumErrors++;
        this.emit(`Error:${verdict.message}, Last Line: ${this.machine.lastLineNumber}`);
        // Everything else in flight is discarded, then the resend request and a plain ok.
        this.receiver.flush();
        this.emit(`Resend: ${this.machine.lastLineNumber + 1}`);
        counters.resendsRequested++;
        if (this.config.okAfterResend) this.machine.ok();
        return;
      }
      case 'accept':
        break;
    }
    if (verdict.lastLine !== undefined) this.machine.lastLineNumber = verdict.lastLine;
    if (verdict.command === '') return;
    const words = parseWords(verdict.command);
    if (this.handledEarly(words.name)) return;
    const isMove = words.letter === 'G' && words.code.length === 1 && words.code <= '3';
    const baseMs = isMove ? this.config.moveLineMs : this.config.otherLineMs;
    const processMs = Math.max(baseMs / 2, baseMs - this.overlappedBytes(raw.length + 1) * this.config.byteReadMs);
    this.machine.enqueue({ command: verdict.command, lineNumber: verdict.lineNumber, words, faults, processMs });
    this.recorder.commandQueued(words.letter === 'G' && ['0', '1', '2', '3'].includes(words.code), this.clock);
  }

  /**
   * Bytes of a just-read line that an idle firmware took from the ring as they
   * arrived, so their per-byte cost overlapped the wire (ping-pong); bytes that
   * waited in the ring while it was busy cost full price when read (windowed).
   */
  private overlappedBytes(lineBytes: number): number {
    if (!this.machine.idle) return 0;
    const idleFor = this.clock - this.machine.idleSince;
    if (this.byteMs === 0) return idleFor > 0 ? lineBytes : 0;
    return Math.min(lineBytes, Math.floor(idleFor / this.byteMs));
  }

  /** Line-level faults; returns false when the line is gone with the board. */
  private applyLineFault(fault: FaultKind): boolean {
    switch (fault) {
      case 'garbage':
        this.emit(garbageLine(this.faults.random));
        return true;
      case 'runout':
        this.emitAll(this.replies.runout());
        return true;
      case 'reset':
        this.reset(this.clock);
        return false;
      case 'disconnect':
        this.signals.push({ kind: 'disconnect' });
        this.linkLost();
        return false;
      case 'thermal-runaway':
        this.machine.hotend.broken = true;
        this.halt('thermal-runaway');
        return false;
      case 'halt':
        this.halt('halt');
        return false;
      case 'corrupt':
      case 'lost-ok':
      case 'dup-ok':
      case 'busy':
        return true;
    }
  }

  /**
   * Without the emergency parser Marlin still acts on M108/M112/M410 as soon
   * as the line is read into the queue (and Klipper on M112); with it the
   * bytes already did, and the line just passes through.
   */
  private handledEarly(name: string): boolean {
    const flavor = this.config.flavor;
    if (flavor === 'rrf' || this.emergency) return false;
    if (name === 'M112') {
      this.halt('m112');
      return true;
    }
    if (flavor === 'klipper') return false;
    if (name === 'M108') this.machine.waitBroken = true;
    if (name === 'M410') this.machine.quickStop();
    return false;
  }

  private halt(cause: HaltCause): void {
    this.haltCause = cause;
    this.emitAll(this.replies.halted(cause));
    this.receiver.flush();
    this.machine.clear();
    this.machine.heatersOff();
    this.power = 'halted';
    this.recorder.sessionEnded();
    this.onHalt?.(cause, this.clock);
  }

  private emit(line: string): void {
    this.outbound.push(`${line}\n`, this.clock);
  }

  private emitAll(lines: readonly string[]): void {
    for (const line of lines) this.emit(line);
  }
}

function DISCARD(): void {}
