import { parseAction } from './action.js';
import type { ActionCommand } from './action.js';
import { parseOk, parseResend } from './ack.js';
import type { OkReply } from './ack.js';
import { parseFirmwareError } from './firmware-error.js';
import type { FirmwareError } from './firmware-error.js';
import { parseCapability, parseFirmwareLine } from './firmware-info.js';
import type { Capability, FirmwareFields } from './firmware-info.js';
import { parsePosition } from './position.js';
import type { PositionReport } from './position.js';
import { parseFirmwareProgress } from './print-progress.js';
import type { FirmwareProgress } from './print-progress.js';
import { isStart, isWait, parseBusy } from './status.js';
import type { BusyReply } from './status.js';
import { parseTemperatures } from './temperature.js';
import type { TemperatureReport } from './temperature.js';

/** One firmware line, classified. The order of checks matters: `ok T:…` is an ack first. */
export type Reply =
  | { kind: 'ok'; ok: OkReply }
  | { kind: 'resend'; lineNumber: number }
  | { kind: 'error'; error: FirmwareError }
  | { kind: 'busy'; busy: BusyReply }
  | { kind: 'wait' }
  | { kind: 'start' }
  | { kind: 'temperature'; report: TemperatureReport }
  | { kind: 'position'; report: PositionReport }
  | { kind: 'firmware'; info: FirmwareFields }
  | { kind: 'capability'; capability: Capability }
  | { kind: 'action'; action: ActionCommand }
  | { kind: 'progress'; progress: FirmwareProgress }
  | { kind: 'message'; source: 'echo' | 'comment' | 'other'; text: string };

export function classifyReply(line: string, activeTool = 0): Reply {
  const ok = parseOk(line);
  if (ok) return { kind: 'ok', ok };
  const resend = parseResend(line);
  if (resend !== null) return { kind: 'resend', lineNumber: resend };
  const error = parseFirmwareError(line);
  if (error) return { kind: 'error', error };
  const busy = parseBusy(line);
  if (busy) return { kind: 'busy', busy };
  if (isWait(line)) return { kind: 'wait' };
  if (isStart(line)) return { kind: 'start' };
  const action = parseAction(line);
  if (action) return { kind: 'action', action };
  const capability = parseCapability(line);
  if (capability) return { kind: 'capability', capability };
  const info = parseFirmwareLine(line);
  if (info) return { kind: 'firmware', info };
  const position = parsePosition(line);
  if (position) return { kind: 'position', report: position };
  const report = parseTemperatures(line, activeTool);
  if (report) return { kind: 'temperature', report };
  const progress = parseFirmwareProgress(line);
  if (progress) return { kind: 'progress', progress };
  if (/^echo:/i.test(line)) return { kind: 'message', source: 'echo', text: line.replace(/^echo:\s*/i, '') };
  if (line.startsWith('//')) return { kind: 'message', source: 'comment', text: line.replace(/^\/\/\s*/, '') };
  return { kind: 'message', source: 'other', text: line };
}
