/**
 * Reduces one raw G-code line to the command the firmware would see:
 * comments (`; …` and `( … )`) removed, surrounding whitespace and CR/LF
 * trimmed. Returns '' for a line that holds no command.
 *
 * `M117`/`M118` keep their text (a `;` there still starts a comment in
 * Marlin, so it is cut like anywhere else).
 */
export function cleanLine(raw: string): string {
  let end = raw.length;
  const semicolon = raw.indexOf(';');
  if (semicolon !== -1) end = semicolon;
  let text = raw.slice(0, end);
  if (text.includes('(')) text = stripParenComments(text);
  return text.trim();
}

function stripParenComments(text: string): string {
  let out = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

/**
 * Removes a host's framing from a line that may carry it: a leading
 * `N<digits>` and a trailing `*<digits>`. Used where input from users or
 * files is normalised before a policy check.
 */
export function stripFraming(command: string): string {
  let text = command.trim();
  const star = text.lastIndexOf('*');
  if (star !== -1 && /^\*\d*\s*$/.test(text.slice(star))) text = text.slice(0, star).trimEnd();
  const framed = /^[Nn]\s*[+-]?\d+\s*/.exec(text);
  if (framed) text = text.slice(framed[0].length);
  return text;
}
