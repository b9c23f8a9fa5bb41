/**
 * Acknowledgements and the resend requests that stand in for them.
 *
 *   plain        `ok`
 *   ADVANCED_OK  `ok N5001 P15 B3`  (N only when the acked line was numbered: `ok P15 B3`)
 *   Repetier     `ok 137`           (ACK_WITH_LINENUMBER)
 *   payload      `ok T:199.57 /200.00 B:25.00 /0.00 @:74 B@:0`, `ok FIRMWARE_NAME:Klipper …`
 *   resend       `Resend: 5001`, `Resend:23`, `Resend: N23`, `Resend: N:23`, `rs 23`, `rs N23`,
 *                `rs N2 Expected checksum 67` (Teacup/Printrun)
 */
export interface OkReply {
  /** The line the firmware acknowledged, when it says (ADVANCED_OK `N`, Repetier `ok <n>`). */
  lineNumber?: number;
  /** ADVANCED_OK: free planner blocks. */
  plannerFree?: number;
  /** ADVANCED_OK: free command-queue slots. */
  bufferFree?: number;
  /** What follows `ok` when it is not flow-control fields (temperatures, M115 fields, text). */
  payload: string;
}

export function isOk(line: string): boolean {
  return /^ok(?:$|[\s:])/.test(line);
}

export function parseOk(line: string): OkReply | null {
  if (!isOk(line)) return null;
  const rest = line.slice(2).replace(/^:/, '').trim();
  const advanced = /^(?:N(\d+)\s+)?P(\d+)\s+B(\d+)\s*(.*)$/.exec(rest);
  if (advanced) {
    const reply: OkReply = { plannerFree: Number(advanced[2]), bufferFree: Number(advanced[3]), payload: advanced[4] ?? '' };
    if (advanced[1] !== undefined) reply.lineNumber = Number(advanced[1]);
    return reply;
  }
  const repetier = /^(\d+)$/.exec(rest);
  if (repetier) return { lineNumber: Number(repetier[1]), payload: '' };
  return { payload: rest };
}

export function parseResend(line: string): number | null {
  const match = /^(?:resend|rs)\b[:\s]*(?:N\s*:?\s*)?(\d+)/i.exec(line);
  return match ? Number(match[1]) : null;
}
