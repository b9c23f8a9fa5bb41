/**
 * The RepRap line checksum: XOR of every byte before the `*`.
 * Marlin, Prusa-Firmware and RepRapFirmware all verify it this way.
 */
export function checksum(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum ^= text.charCodeAt(i) & 0xff;
  return sum;
}

/** `N<n> <command>*<checksum>` — the framed form a print line takes on the wire (without the newline). */
export function frameLine(lineNumber: number, command: string): string {
  const body = `N${lineNumber} ${command}`;
  return `${body}*${checksum(body)}`;
}
