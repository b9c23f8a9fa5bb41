import type { CommandWords } from '../line/words.js';
import { parseExtendedParams } from './klipper-params.js';
import { refuse, type Refusal } from './policy.types.js';

/**
 * `M118 <text>` makes the firmware print `<text>` on the serial line. Marlin
 * prints it raw unless `E1` (prefix `echo:`) is given and `A1` prefixes
 * `//action:`. A file or user could thus forge protocol replies: a fake `ok`
 * breaks flow control, a fake `T:200 /200` hides a thermal runaway from the
 * host watchdog, `//action:cancel` or `Error:` stops a print. Such echoes are
 * refused; ordinary messages pass. Klipper's `RESPOND` can pick the `//` and
 * `!!` prefixes (`TYPE=command|error`) or any `PREFIX=`.
 */
const REPLY_START = /^(?:ok\b|rs\b|resend|error|!!|\/\/|wait\b|busy|start\b|fatal|echo:\s*busy|[TBCP]\d*:|X:|FIRMWARE_NAME|Cap:)/i;
const TEMPERATURE_REPORT = /(?:^|\s)(?:T\d*|B|C)\s*:\s*-?\d/;

function spoofs(text: string): boolean {
  const message = text.trim().replace(/^"(.*)"$/, '$1').trim();
  return REPLY_START.test(message) || TEMPERATURE_REPORT.test(message);
}

export function checkReplySpoof(words: CommandWords): Refusal | undefined {
  if (words.name === 'M118') {
    let text = words.text;
    let echoPrefixed = false;
    // Leading flags: A1 (action prefix), E1 (echo prefix), Pn (port); RRF uses S"message" and L/P.
    for (;;) {
      const flag = /^([AaEePpLl])(\d+)\s*/.exec(text);
      if (!flag) break;
      const letter = (flag[1] ?? '').toUpperCase();
      if (letter === 'A' && flag[2] !== '0') return refuse('spoofed-reply', 'M118 A1 makes the printer send a host action command (//action:…); refused');
      if (letter === 'E' && flag[2] !== '0') echoPrefixed = true;
      text = text.slice(flag[0].length);
    }
    const quoted = /^[Ss]\s*"((?:[^"]|"")*)"/.exec(text);
    if (quoted) text = quoted[1] ?? '';
    if (!echoPrefixed && spoofs(text)) {
      return refuse('spoofed-reply', 'M118 text that looks like a printer reply (ok, resend, errors, temperature reports, //action) is refused: it would mislead the host');
    }
    return undefined;
  }
  if (words.name === 'RESPOND') {
    for (const { key, value } of parseExtendedParams(words.text)) {
      if ((key === 'TYPE' && /^(command|error)$/i.test(value.trim())) || key === 'PREFIX') {
        return refuse('spoofed-reply', `RESPOND ${key}=${value} changes the reply prefix the host relies on; refused`);
      }
    }
  }
  return undefined;
}
