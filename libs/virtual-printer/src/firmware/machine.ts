import type { PrinterConfig } from '../config/printer-config.js';
import type { CommandContext, Handler, QueuedCommand, Wait } from './command-context.js';
import { runCommand } from './command-handlers.js';
import { BED, HOTEND, Heater } from './heater.js';
import { temperatures } from './heater-wait.js';
import { Kinematics } from './kinematics.js';
import { Planner } from './planner.js';
import type { Recorder } from './recorder.js';
import type { HaltCause, ReplyStyle } from './replies/index.js';

const BUSY_HOLD_MS = 4500;

interface ActiveCommand {
  cmd: QueuedCommand;
  handler: Handler | undefined;
  wait: Wait;
  nextBusyAt: number;
}

/**
 * The command side of the firmware: the command queue, the command in
 * progress (parse time, then its handler), planner, heaters, position,
 * keepalive and temperature auto-report. It is also the context handlers
 * run against. Time is set by the owning Firmware before each step.
 */
export class Machine implements CommandContext {
  readonly planner: Planner;
  readonly hotend: Heater;
  readonly bed: Heater;
  kinematics = new Kinematics();
  lastLineNumber = 0;
  waitBroken = false;
  waitingForUser = false;
  temperatureReports = true;
  private queue: QueuedCommand[] = [];
  private active: ActiveCommand | undefined;
  private autoReportMs = 0;
  private nextAutoReportAt = 0;
  private keepaliveMs: number;
  private clock = 0;

  constructor(
    readonly config: PrinterConfig,
    readonly replies: ReplyStyle,
    private readonly recorder: Recorder,
    private readonly output: { emit(line: string, at: number): void; halt(cause: HaltCause): void },
  ) {
    this.planner = new Planner(config.plannerBlocks);
    this.hotend = new Heater(HOTEND, config.ambientC);
    this.bed = new Heater(BED, config.ambientC);
    this.keepaliveMs = config.keepaliveS * 1000;
  }

  get now(): number {
    return this.clock;
  }

  /** Brings motion and heaters up to `t`. */
  setTime(t: number): void {
    this.clock = t;
    this.readHeaters();
    this.planner.update(t);
  }

  get hasRoom(): boolean {
    return this.queue.length < this.config.commandSlots;
  }

  get idle(): boolean {
    return this.queue.length === 0 && this.active === undefined;
  }

  /** When the machine last ran out of commands (meaningful while `idle`). */
  idleSince = 0;

  /**
   * Marlin reads serial from idle(): between commands and while a handler
   * waits (planner slot, heating, dwell), never while it parses and plans a
   * line. So an error for line k+1 is printed after the ok of line k.
   */
  get reading(): boolean {
    return this.active === undefined || this.active.handler !== undefined;
  }

  /** Motion stopped and nothing to work on: what counts as underrun while the host is printing. */
  get starved(): boolean {
    return this.idle && this.planner.length === 0;
  }

  enqueue(cmd: QueuedCommand): void {
    this.queue.push(cmd);
  }

  /** Advances the command in progress as far as it can go at the current time; returns whether anything moved. */
  step(): boolean {
    const now = this.clock;
    let active = this.active;
    if (!active) {
      const cmd = this.queue[0];
      if (!cmd) return false;
      active = { cmd, handler: undefined, wait: { kind: 'until', at: now + cmd.processMs / this.config.timeScale, interruptible: false }, nextBusyAt: 0 };
      this.active = active;
    }
    let progressed = false;
    while (this.active === active && this.waitOver(active.wait)) {
      progressed = true;
      if (!active.handler) {
        active.handler = active.cmd.faults.includes('busy') ? this.heldBusy(active.cmd) : runCommand(this, active.cmd);
        active.nextBusyAt = now + this.keepaliveMs / this.config.timeScale;
        this.recorder.commandExecuted(active.cmd.command, active.cmd.lineNumber, now);
      }
      const step = active.handler.next();
      if (this.active !== active) break; // halted or reset inside the handler
      if (step.done) {
        this.queue.shift();
        this.active = undefined;
        if (this.queue.length === 0) this.idleSince = this.clock;
        break;
      }
      active.wait = step.value;
    }
    return progressed;
  }

  /** Temperature auto-report and busy keepalive, when due. */
  runTimers(t: number): void {
    const scale = this.config.timeScale;
    if (this.autoReportMs > 0 && t >= this.nextAutoReportAt) {
      if (this.temperatureReports) this.emit(this.replies.temperatures(temperatures(this), { kind: 'auto' }));
      this.nextAutoReportAt = Math.max(this.nextAutoReportAt + this.autoReportMs / scale, t);
    }
    const active = this.active;
    if (active?.handler && this.replies.sendsBusy && this.keepaliveMs > 0 && t >= active.nextBusyAt) {
      this.emit(this.replies.busy(active.wait.kind === 'user' ? 'paused for user' : 'processing'));
      active.nextBusyAt = Math.max(active.nextBusyAt + this.keepaliveMs / scale, t);
    }
  }

  nextEventAt(): number | undefined {
    let t = this.planner.nextEndAt();
    if (this.autoReportMs > 0) t = minOf(t, this.nextAutoReportAt);
    const active = this.active;
    if (active) {
      if (active.wait.kind === 'until') t = minOf(t, this.waitBroken && active.wait.interruptible ? this.clock : active.wait.at);
      if (active.handler && this.replies.sendsBusy && this.keepaliveMs > 0) t = minOf(t, active.nextBusyAt);
    }
    return t;
  }

  /** Kill, link loss: queued commands, the command in progress and planned moves are gone. */
  clear(): void {
    this.queue = [];
    this.active = undefined;
    this.idleSince = this.clock;
    this.planner.clear();
    this.waitBroken = false;
    this.waitingForUser = false;
  }

  /** A reset loses everything volatile. */
  powerCycle(): void {
    this.clear();
    this.lastLineNumber = 0;
    this.autoReportMs = 0;
    this.keepaliveMs = this.config.keepaliveS * 1000;
    this.kinematics = new Kinematics();
    this.hotend.reset();
    this.bed.reset();
  }

  heatersOff(): void {
    this.hotend.target = 0;
    this.bed.target = 0;
  }

  // CommandContext

  scaled(printerMs: number): number {
    return printerMs / this.config.timeScale;
  }

  readHeaters(): void {
    const seconds = (this.clock * this.config.timeScale) / 1000;
    this.hotend.update(seconds);
    this.bed.update(seconds);
  }

  emit(line: string): void {
    this.output.emit(line, this.clock);
  }

  /** The ok for a command (ADVANCED_OK fields when on), or a plain ok (after a resend request). */
  ok(command?: QueuedCommand): void {
    if (command?.faults.includes('lost-ok')) return;
    let text = 'ok';
    if (command && this.config.advancedOk && this.replies.supportsAdvancedOk) {
      const n = command.lineNumber === undefined ? '' : ` N${command.lineNumber}`;
      text = `ok${n} P${this.planner.free} B${this.config.commandSlots - this.queue.length}`;
    }
    this.emit(text);
    this.recorder.counters.oksSent++;
    if (command?.faults.includes('dup-ok')) {
      this.emit(text);
      this.recorder.counters.oksSent++;
    }
  }

  okPrinted(): void {
    this.recorder.counters.oksSent++;
  }

  halt(cause: HaltCause): void {
    this.output.halt(cause);
  }

  quickStop(): void {
    this.planner.clear();
  }

  setLastLineNumber(n: number): void {
    this.lastLineNumber = n;
  }

  setAutoReport(seconds: number): void {
    this.autoReportMs = Math.max(0, seconds) * 1000;
    this.nextAutoReportAt = this.clock + this.autoReportMs / this.config.timeScale;
  }

  setKeepalive(seconds: number): void {
    this.keepaliveMs = Math.max(0, seconds) * 1000;
  }

  unknownCommand(cmd: QueuedCommand): void {
    this.recorder.counters.unknownCommands++;
    this.recorder.markLastUnknown();
    for (const line of this.replies.unknownCommand(cmd.command)) this.emit(line);
  }

  /** The `busy` fault: the command hangs for 4.5 s of printer time (two keepalives) before it runs. */
  private *heldBusy(cmd: QueuedCommand): Handler {
    yield { kind: 'until', at: this.clock + this.scaled(BUSY_HOLD_MS), interruptible: false };
    yield* runCommand(this, cmd);
  }

  private waitOver(wait: Wait): boolean {
    switch (wait.kind) {
      case 'until':
        return this.clock >= wait.at || (wait.interruptible && this.waitBroken);
      case 'planner-slot':
        return this.planner.free > 0;
      case 'planner-empty':
        return this.planner.length === 0;
      case 'user':
        return !this.waitingForUser;
    }
  }
}

export function minOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}
