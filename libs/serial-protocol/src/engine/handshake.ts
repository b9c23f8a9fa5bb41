import { linkDead } from './halt.js';
import { writeNumbered } from './sender.js';
import type { Step } from './step.js';
import type { FirmwareInfo, Outgoing } from './types.js';
import { byteLength, framedText } from './window.js';

/**
 * Connect: opening the port resets most AVR boards, so wait for the firmware
 * (`start` and its banner, or a quiet boot window), then the hello
 * `N0 M110 N0*125` (retried), then `M115` for the firmware name and its
 * `Cap:` lines, then auto-reports where offered (`M155`, `M154`), else polling.
 */
export function portOpened(step: Step): void {
  const s = step.s;
  // Already open: a second `opened` must not restart the handshake under a running job.
  if (s.phase !== 'closed') return;
  s.phase = 'booting';
  s.helloAttempts = 0;
  s.firmware = null;
  step.emit({ type: 'connection.state', phase: 'booting' });
  if (s.config.bootWaitMs > 0) step.setTimer('boot', s.config.bootWaitMs);
  else sendHello(step);
}

/** `start` while booting: the banner follows; hello once it has been quiet for a moment. */
export function bootStarted(step: Step): void {
  step.setTimer('boot', step.s.config.bootQuietMs);
}

/**
 * `start` during the handshake: the firmware booted only now (some boards,
 * and simulators, speak only once they hear something). Not an error: wait
 * for its banner, then hello again.
 */
export function bootedDuringHandshake(step: Step): void {
  const s = step.s;
  step.cancelTimer('hello');
  s.phase = 'booting';
  s.inFlight = [];
  s.systemQueue = [];
  s.resend = null;
  step.emit({ type: 'connection.state', phase: 'booting', reason: 'firmware started' });
  bootStarted(step);
}

export function sendHello(step: Step): void {
  const s = step.s;
  step.cancelTimer('boot');
  if (s.helloAttempts >= s.config.helloAttempts + 2) {
    linkDead(step, `the firmware keeps restarting during the handshake (${s.helloAttempts} hellos)`);
    return;
  }
  s.phase = 'hello';
  s.helloAttempts++;
  s.inFlight = [];
  s.systemQueue = [];
  s.resend = null;
  s.firmware = null;
  s.m105AnswersWithTemperature = false;
  s.lastOkWasTemperature = false;
  s.flow = 'pingpong';
  step.emit({ type: 'connection.state', phase: 'hello' });
  // A bare newline first ends whatever garbage the firmware has buffered from the reset.
  step.write('\n');
  const hello: Outgoing = { command: 'M110 N0', origin: { kind: 'system', purpose: 'hello' }, barrier: true };
  const verdict = s.config.guard(hello.command);
  if (!verdict.ok) {
    linkDead(step, `hello refused by the guard: ${verdict.reason}`);
    return;
  }
  const text = framedText(0, hello.command);
  writeNumbered(step, hello, 0, text, byteLength(text));
  step.setTimer('hello', s.config.helloTimeoutMs);
}

export function helloTimedOut(step: Step): void {
  const s = step.s;
  if (s.phase !== 'hello' && s.phase !== 'identifying') return;
  if (s.helloAttempts < s.config.helloAttempts) {
    sendHello(step);
    return;
  }
  linkDead(step, `no answer from the firmware after ${s.helloAttempts} hello attempts`);
}

export function helloAcknowledged(step: Step): void {
  const s = step.s;
  if (s.phase !== 'hello') return;
  s.phase = 'identifying';
  s.firmware = emptyFirmware();
  step.emit({ type: 'connection.state', phase: 'identifying' });
  s.systemQueue.unshift({ command: 'M115', origin: { kind: 'system', purpose: 'identify' } });
  step.setTimer('hello', s.config.helloTimeoutMs);
}

// The firmware record is shared between states: replace it, never change it in place.
export function firmwareLine(step: Step, info: Pick<FirmwareInfo, 'name' | 'flavor' | 'fields'>): void {
  const firmware = step.s.firmware ?? emptyFirmware();
  step.s.firmware = { ...firmware, name: info.name, flavor: info.flavor, fields: { ...info.fields } };
}

export function capabilityLine(step: Step, name: string, enabled: boolean): void {
  const firmware = step.s.firmware ?? emptyFirmware();
  step.s.firmware = { ...firmware, capabilities: { ...firmware.capabilities, [name]: enabled } };
}

/** M115 acknowledged: pick the flow control, switch auto-reports on, and report ready. */
export function identified(step: Step): void {
  const s = step.s;
  if (s.phase !== 'identifying') return;
  step.cancelTimer('hello');
  const firmware = (s.firmware ??= emptyFirmware());
  const caps = firmware.capabilities;
  // ADVANCED_OK shows in the reply format (the M110/M115 oks) even where `Cap:ADVANCED_OK` is never sent (Marlin).
  s.flow = s.config.flowControl === 'auto' ? (caps.ADVANCED_OK || s.advancedOk ? 'window' : 'pingpong') : s.config.flowControl;
  s.phase = 'ready';
  const setup: Outgoing[] = [];
  if (caps.AUTOREPORT_TEMP && s.config.temperatureAutoreportSeconds > 0) {
    setup.push({ command: `M155 S${s.config.temperatureAutoreportSeconds}`, origin: { kind: 'system', purpose: 'setup' } });
    s.autoreportTemperature = true;
  } else {
    s.autoreportTemperature = false;
    step.setTimer('poll', s.config.temperaturePollMs);
  }
  if ((caps.AUTOREPORT_POS || caps.AUTOREPORT_POSITION) && s.config.positionAutoreportSeconds > 0) {
    setup.push({ command: `M154 S${s.config.positionAutoreportSeconds}`, origin: { kind: 'system', purpose: 'setup' } });
  }
  s.systemQueue.push(...setup);
  s.heardSinceIdle = true;
  step.setTimer('idle', s.config.communicationTimeoutMs);
  step.emit({ type: 'firmware.info', firmware: { ...firmware, fields: { ...firmware.fields }, capabilities: { ...caps } }, flow: s.flow });
  step.emit({ type: 'connection.state', phase: 'ready' });
}

function emptyFirmware(): FirmwareInfo {
  return { name: '', flavor: 'unknown', fields: {}, capabilities: {} };
}
