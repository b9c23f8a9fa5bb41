/**
 * `KEY=value` parameters of a Klipper extended command
 * (`SET_VELOCITY_LIMIT ACCEL=3000 SQUARE_CORNER_VELOCITY=5`), numeric only;
 * keys upper-cased. Other values are skipped.
 */
export function klipperNumbers(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const match of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/g)) {
    const key = match[1];
    const value = match[2];
    if (key !== undefined && value !== undefined) out.set(key.toUpperCase(), Number(value));
  }
  return out;
}
