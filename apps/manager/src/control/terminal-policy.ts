// Which policy a terminal line is checked under, and whether passing needs a
// recent step-up. Pure: the route supplies who asks and the printer's state.
import type { PrinterProfile } from '@farm/contracts';
import { checkCommand, safetyProfileOf, type PolicyContext, type RefusalCode } from '@farm/gcode';

export interface TerminalAsker {
  /** A human session holding `terminal.send_restricted` (API keys never send restricted lines). */
  mayUseAdminPolicy: boolean;
}

export interface TerminalPrinterState {
  profile: PrinterProfile;
  printerIdle: boolean;
  firmwareFlashAllowed: boolean;
  inspectionConfirmed: boolean;
}

export type TerminalDecision =
  /** `restricted`: allowed only under the admin blocklist, so a † step-up is needed. */
  { ok: true; restricted: boolean } | { ok: false; code: RefusalCode; reason: string };

/**
 * Every line is tried against the operator allowlist first; a line that fails
 * it is tried against the admin blocklist only for someone who may use it,
 * and is then a restricted line. Heater caps refuse under both.
 */
export function decideTerminalLine(
  line: string,
  asker: TerminalAsker,
  printer: TerminalPrinterState,
): TerminalDecision {
  const base: Omit<PolicyContext, 'actor'> = {
    profile: safetyProfileOf(printer.profile),
    printerIdle: printer.printerIdle,
    firmwareFlashAllowed: printer.firmwareFlashAllowed,
    inspectionConfirmed: printer.inspectionConfirmed,
  };
  const asOperator = checkCommand(line, { ...base, actor: 'operator' });
  if (asOperator.ok) return { ok: true, restricted: false };
  if (!asker.mayUseAdminPolicy) return { ok: false, code: asOperator.code, reason: asOperator.reason };
  const asAdmin = checkCommand(line, { ...base, actor: 'admin' });
  if (asAdmin.ok) return { ok: true, restricted: true };
  return { ok: false, code: asAdmin.code, reason: asAdmin.reason };
}
