import type { CommandContext, Handler, QueuedCommand, Wait } from './command-context.js';
import { heaterWait, temperatures } from './heater-wait.js';

/**
 * What each command does once the firmware has parsed it. Handlers are
 * generators: they yield what they wait for (a planner block, an empty
 * planner, a moment, the user) and end by acknowledging the command.
 */
const PLANNER_SLOT: Wait = { kind: 'planner-slot' };
const PLANNER_EMPTY: Wait = { kind: 'planner-empty' };

// Accepted and acknowledged without effect on the simulation.
const QUIET = new Set([
  'M17', 'M18', 'M84', 'M106', 'M107', 'M92', 'M201', 'M203', 'M204', 'M205', 'M206', 'M207', 'M208', 'M209',
  'M220', 'M221', 'M301', 'M302', 'M304', 'M500', 'M501', 'M502', 'M75', 'M76', 'M77', 'M31', 'M300', 'M117',
  'M73', 'M21', 'M22', 'M23', 'M24', 'M25', 'M26', 'M32', 'M149', 'M200', 'M280', 'M42', 'M851', 'M420', 'M412',
  'M575', 'M413', 'M928', 'M486', 'M141', 'M163', 'M164', 'M165', 'M422', 'M211', 'M150', 'M355', 'M81', 'M80',
]);
// Present in Prusa-Firmware, RRF and Klipper builds but not in a stock Marlin configuration.
const NON_STOCK_MARLIN = new Set(['M900', 'M907', 'M115.1', 'M862.1', 'M862.2', 'M862.3', 'M862.4', 'M862.5', 'M862.6', 'M572', 'M566', 'M593']);

export function* runCommand(ctx: CommandContext, cmd: QueuedCommand): Handler {
  const { words } = cmd;
  const name = words.name;
  switch (name) {
    case 'G0':
    case 'G1': {
      const duration = ctx.kinematics.linear(words.params);
      if (duration > 0) {
        while (ctx.planner.free === 0) yield PLANNER_SLOT;
        ctx.planner.push(ctx.scaled(duration), ctx.now);
      }
      ctx.ok(cmd);
      return;
    }
    case 'G2':
    case 'G3': {
      for (const segment of ctx.kinematics.arc(words.params, name === 'G2')) {
        while (ctx.planner.free === 0) yield PLANNER_SLOT;
        ctx.planner.push(ctx.scaled(segment), ctx.now);
      }
      ctx.ok(cmd);
      return;
    }
    case 'G4': {
      yield PLANNER_EMPTY;
      const p = words.params.P;
      const s = words.params.S;
      const ms = typeof p === 'number' ? p : typeof s === 'number' ? s * 1000 : 0;
      if (ms > 0) yield { kind: 'until', at: ctx.now + ctx.scaled(ms), interruptible: false };
      ctx.ok(cmd);
      return;
    }
    case 'G28':
    case 'G29': {
      yield PLANNER_EMPTY;
      yield { kind: 'until', at: ctx.now + ctx.scaled(name === 'G28' ? ctx.config.homingMs : ctx.config.homingMs * 3), interruptible: false };
      if (name === 'G28') ctx.kinematics.home(words.params);
      ctx.ok(cmd);
      return;
    }
    case 'G90':
    case 'G91':
      ctx.kinematics.absolute = name === 'G90';
      ctx.ok(cmd);
      return;
    case 'G20':
    case 'G21':
      ctx.kinematics.inches = name === 'G20';
      ctx.ok(cmd);
      return;
    case 'G92':
      ctx.kinematics.setPosition(words.params);
      ctx.ok(cmd);
      return;
    case 'M82':
    case 'M83':
      ctx.kinematics.absoluteE = name === 'M82';
      ctx.ok(cmd);
      return;
    case 'M104':
    case 'M140':
      setTarget(ctx, name === 'M104' ? 'hotend' : 'bed', words.params.S);
      ctx.ok(cmd);
      return;
    case 'M109':
    case 'M190':
      yield* heaterWait(ctx, name === 'M109' ? 'hotend' : 'bed', words.params);
      ctx.ok(cmd);
      return;
    case 'M400':
      yield PLANNER_EMPTY;
      ctx.ok(cmd);
      return;
    case 'M105':
      ctx.readHeaters();
      ctx.emit(ctx.replies.temperatures(temperatures(ctx), { kind: 'm105' }));
      ctx.okPrinted();
      return;
    case 'M114':
      for (const line of ctx.replies.position(ctx.kinematics.position)) ctx.emit(line);
      ctx.ok(cmd);
      return;
    case 'M115': {
      const info = ctx.replies.firmwareInfo({ emergencyParser: ctx.config.emergencyParser, hostActions: ctx.config.hostActions });
      for (const line of info.lines) ctx.emit(line);
      if (info.okIncluded) ctx.okPrinted();
      else ctx.ok(cmd);
      return;
    }
    case 'M155':
      if (ctx.config.flavor === 'klipper') break;
      ctx.setAutoReport(typeof words.params.S === 'number' ? words.params.S : 0);
      ctx.ok(cmd);
      return;
    case 'M113':
      ctx.setKeepalive(typeof words.params.S === 'number' ? words.params.S : 2);
      ctx.ok(cmd);
      return;
    case 'M110':
      if (typeof words.params.N === 'number' && ctx.config.flavor !== 'klipper') ctx.setLastLineNumber(words.params.N);
      ctx.ok(cmd);
      return;
    case 'M112':
      ctx.halt('m112');
      return;
    case 'M410':
      ctx.quickStop();
      ctx.ok(cmd);
      return;
    case 'M108':
    case 'M876':
      ctx.waitBroken = true;
      ctx.waitingForUser = false;
      ctx.ok(cmd);
      return;
    case 'M0':
    case 'M1':
      yield PLANNER_EMPTY;
      ctx.waitingForUser = true;
      yield { kind: 'user' };
      ctx.ok(cmd);
      return;
    case 'M999':
      if (ctx.config.flavor === 'marlin' || ctx.config.flavor === 'prusa') {
        // Marlin answers M999 with a resend request for the next line and two oks (recorded).
        ctx.emit(`Resend: ${ctx.lastLineNumber + 1}`);
        ctx.ok(cmd);
      }
      ctx.ok(cmd);
      return;
    case 'M27':
      ctx.emit('Not SD printing');
      ctx.ok(cmd);
      return;
    case 'M20':
      ctx.emit('Begin file list');
      ctx.emit('End file list');
      ctx.ok(cmd);
      return;
    case 'M118':
      ctx.emit(words.text.replace(/^(?:[AEP]\d\s*)+/, ''));
      ctx.ok(cmd);
      return;
    default:
      break;
  }
  if (isKnown(ctx, cmd)) ctx.ok(cmd);
  else {
    ctx.unknownCommand(cmd);
    ctx.ok(cmd);
  }
}

function isKnown(ctx: CommandContext, cmd: QueuedCommand): boolean {
  const { letter, name } = cmd.words;
  if (letter === 'T') return true;
  if (QUIET.has(name)) return true;
  switch (ctx.config.flavor) {
    case 'klipper':
      // Klipper answers every registered macro; a configured printer has many, so bare words pass.
      return letter === '' || NON_STOCK_MARLIN.has(name);
    case 'prusa':
    case 'rrf':
      return NON_STOCK_MARLIN.has(name);
    case 'marlin':
      return false;
  }
}

function setTarget(ctx: CommandContext, which: 'hotend' | 'bed', value: number | true | undefined): void {
  if (typeof value !== 'number') return;
  ctx.readHeaters();
  ctx[which].target = Math.max(0, value);
}
