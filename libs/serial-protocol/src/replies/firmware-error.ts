/**
 * Firmware error lines, classified by what the host must do.
 *
 *   resend follows  `Error:checksum mismatch, Last Line: 5000`
 *                   `Error:Line Number is not Last Line Number+1, Last Line: 5000`
 *                   `Error:No Checksum with line number, Last Line: 12`, Repetier `Error:expected line 1 got 2`
 *   no resend       `Error:No Line Number with checksum, Last Line: 12` (Prusa), `Error:Missing linenumber`
 *   fatal (halt)    `Error:Thermal Runaway, system stopped! Heater_ID: 0`, `Error:Heating failed, system stopped! Heater_ID: E0`,
 *                   `Error:MAXTEMP triggered, system stopped! Heater_ID: 0`, `Error:Printer halted. kill() called!`,
 *                   Repetier `fatal:…`, Klipper `!! Lost communication with MCU 'mcu'`, `!! Shutdown due to webhooks request`
 *   stopped         `Error:Printer stopped due to errors. Fix the error and use M999 to restart. (Temperature is reset. Set it after restarting)`
 *   job failure     `Error:Probing Failed`
 *   ignored         SD card errors (`Error:volume.init failed`, `open failed, File: x.gco.`), `echo:Unknown command: "FOO"`
 *   warning         any other `Error:…`, Klipper `!! Move out of range: 0.000 0.000 -5.000 [0.000]` (the command is still acked)
 */
export type ErrorClass = 'resend_follows' | 'no_resend' | 'fatal' | 'halted' | 'stopped' | 'job_failure' | 'ignored' | 'warning';

export interface FirmwareError {
  class: ErrorClass;
  /** The message without its `Error:` / `!!` prefix. */
  message: string;
}

export function isErrorLine(line: string): boolean {
  return /^(?:error:|!!|fatal:)/i.test(line);
}

export function parseFirmwareError(line: string): FirmwareError | null {
  if (!isErrorLine(line)) return null;
  const klipper = line.startsWith('!!');
  const message = line.replace(/^(?:error:|!!)\s*/i, '').trim();
  return { class: classify(message, klipper), message };
}

function classify(message: string, klipper: boolean): ErrorClass {
  const text = message.toLowerCase();
  if (/printer halted|kill\(\) called/.test(text)) return 'halted';
  if (/^fatal:|thermal runaway|thermal malfunction|maxtemp|mintemp|heating failed|watchdog barked|kill caused|lost communication with mcu|shutdown/.test(text)) {
    return 'fatal';
  }
  if (text.includes('printer stopped due to errors')) return 'stopped';
  if (text.includes('probing failed')) return 'job_failure';
  if (/no line number with checksum|missing linenumber/.test(text)) return 'no_resend';
  if (!klipper && /line ?number|checksum|format error|expected line/.test(text)) return 'resend_follows';
  if (/volume\.init|openroot|workdir|error writing to file|cannot open|open failed|cannot enter|unknown command/.test(text)) return 'ignored';
  return 'warning';
}
