/**
 * Line noise as a flaky cable or EMI produces it: one flipped bit in a
 * received line, or a burst of junk bytes (NULs, high-bit characters) on the
 * way to the host.
 */
export function corruptLine(line: string, random: () => number): string {
  if (line.length === 0) return line;
  for (let attempt = 0; attempt < 8; attempt++) {
    const index = Math.floor(random() * line.length);
    const flipped = line.charCodeAt(index) ^ (1 << Math.floor(random() * 7));
    // A flipped bit that makes a line end would split the line instead of corrupting it.
    if (flipped === 10 || flipped === 13 || flipped === 0) continue;
    return line.slice(0, index) + String.fromCharCode(flipped) + line.slice(index + 1);
  }
  return line.slice(1);
}

export function garbageLine(random: () => number): string {
  const length = 4 + Math.floor(random() * 16);
  let out = '';
  for (let i = 0; i < length; i++) {
    const pick = random();
    let code: number;
    if (pick < 0.15) code = 0;
    else if (pick < 0.55) code = 0x80 + Math.floor(random() * 0x80);
    else code = 0x21 + Math.floor(random() * 0x5e);
    out += String.fromCharCode(code);
  }
  return out;
}
