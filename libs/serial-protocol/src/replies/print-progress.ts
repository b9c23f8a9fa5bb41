/**
 * Progress the firmware reports itself.
 *
 *   M27 / M27 S  `SD printing byte 1234/56789`, `Not SD printing`
 *   Prusa M73    `NORMAL MODE: Percent done: 6; print time remaining in mins: 39; Change in mins: -1`
 *                `SILENT MODE: Percent done: 6; print time remaining in mins: 41`
 *   Marlin M73   `echo:Progress: 50%`  (with SET_PROGRESS_MANUALLY + M73 reporting)
 */
export type FirmwareProgress =
  | { kind: 'sd_bytes'; done: number; total: number }
  | { kind: 'not_sd_printing' }
  | { kind: 'percent'; percent: number; remainingMinutes?: number; mode?: 'normal' | 'silent' };

export function parseFirmwareProgress(line: string): FirmwareProgress | null {
  const sd = /^SD printing byte (\d+)\s*\/\s*(\d+)/i.exec(line);
  if (sd) return { kind: 'sd_bytes', done: Number(sd[1]), total: Number(sd[2]) };
  if (/^Not SD printing/i.test(line)) return { kind: 'not_sd_printing' };
  const prusa = /^(NORMAL|SILENT) MODE: Percent done: (-?\d+); print time remaining in mins: (-?\d+)/i.exec(line);
  if (prusa) {
    return {
      kind: 'percent',
      percent: Number(prusa[2]),
      remainingMinutes: Number(prusa[3]),
      mode: prusa[1]?.toUpperCase() === 'SILENT' ? 'silent' : 'normal',
    };
  }
  const marlin = /^(?:echo:\s*)?Progress:\s*(\d+(?:\.\d+)?)\s*%/i.exec(line);
  if (marlin) return { kind: 'percent', percent: Number(marlin[1]) };
  return null;
}
