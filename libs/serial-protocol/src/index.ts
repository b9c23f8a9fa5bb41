/**
 * @farm/serial-protocol — the host side of the G-code serial protocol.
 *
 * Two layers:
 *
 * 1. The pure engine: `transition(state, input) → { state, effects }`
 *    (`initialState(config)` to begin). Inputs are port/firmware/timer/API
 *    events; effects are bytes to write, timers to set or cancel, lines to
 *    pull from the job's file, command results, events and close. No I/O,
 *    no clock. See `engine/types.ts` for every input, effect and event.
 *
 * 2. The driver, `PrinterLink`, which runs the engine against a `Transport`
 *    and a `Clock`:
 *
 *      const link = new PrinterLink({ transport, config: { rxBufferBytes: 127, guard, scripts } });
 *      link.on((event) => …);                 // LinkEvent union: connection.state, firmware.info,
 *                                             // temperature, position, job.*, serial.log, error, counters …
 *      link.open();                           // after the port is open: boot wait, M110 N0, M115, M155
 *      // wait for { type: 'connection.state', phase: 'ready' }
 *      const result = await link.startJob({ id, lines: readGcodeLines(path), totalBytes });
 *      link.pause(); link.resume(); link.cancel();
 *      link.emergencyStop();                  // M112 written at once, ahead of everything
 *      const reply = await link.sendCommand('M105');   // { ok, lines } or { ok: false, code, reason }
 *      link.answerPrompt(0);                  // M876 S0
 *      link.close();
 *
 *    `Transport` = { write(bytes): Promise<void>; close(); setHandlers({ data, closed }); discardOutput?() }.
 *    The transport reports data and closure through the handlers; a failed
 *    write ends the link as disconnected. A job's result is one of completed,
 *    cancelled, failed (firmware error, refused line, unrecoverable resend)
 *    or interrupted (reset, disconnect, halt, emergency stop, timeout); failed
 *    and interrupted results carry the last acknowledged file line and byte
 *    offset. Nothing is ever restarted automatically.
 *
 *    A job completes only after a closing numbered M105 is answered; window
 *    mode falls back to ping-pong for the rest of a job after a line error on
 *    Marlin/unknown firmware (`error` event `flow_fallback`, see the README).
 *
 *    Config (`LinkConfig`, all optional): flowControl `pingpong|window|auto`
 *    (auto: window once ADVANCED_OK shows, by `Cap:` or by `ok N P B` replies),
 *    rxBufferBytes (127), maxLinesInFlight, maxLineBytes (95; 0 for Klipper),
 *    bootWaitMs (2000; 0 for boards that don't reset on open), timeouts,
 *    scripts { pause, resume, cancel }, guard (`LineGuard`).
 */
export { PrinterLink, systemClock } from './driver.js';
export type { Clock, PrintJob, PrinterLinkOptions, Transport } from './driver.js';
export type { GuardVerdict, LineGuard } from './guard.js';
export { DEFAULT_CONFIG, allowAll, isLongRunning, resolveConfig } from './engine/config.js';
export type { FlowControl, FlowControlSetting, LinkConfig, PrinterScripts } from './engine/config.js';
export { initialState, transition } from './engine/transition.js';
export type {
  CommandResult,
  ConnectionPhase,
  Counters,
  Effect,
  EngineInput,
  EngineState,
  FirmwareInfo,
  JobPhase,
  JobPosition,
  JobResult,
  LinkEvent,
  PromptEvent,
  TimerName,
} from './engine/types.js';
export { classifyReply } from './replies/reply.js';
export type { Reply } from './replies/reply.js';
export { parseTemperatures, isTemperatureLine } from './replies/temperature.js';
export type { HeaterReading, TemperatureReport } from './replies/temperature.js';
export { parsePosition } from './replies/position.js';
export type { PositionReport } from './replies/position.js';
export { parseCapability, parseFirmwareLine, flavorOf } from './replies/firmware-info.js';
export type { Capability, FirmwareFields, FirmwareFlavor } from './replies/firmware-info.js';
export { parseOk, parseResend, isOk } from './replies/ack.js';
export type { OkReply } from './replies/ack.js';
export { parseFirmwareError } from './replies/firmware-error.js';
export type { ErrorClass, FirmwareError } from './replies/firmware-error.js';
export { parseAction } from './replies/action.js';
export type { ActionCommand } from './replies/action.js';
export { parseFirmwareProgress } from './replies/print-progress.js';
export type { FirmwareProgress } from './replies/print-progress.js';
export { parseBusy } from './replies/status.js';
export type { BusyReply } from './replies/status.js';
