// Startup refuses secrets that are short or obviously not random (SECURITY.md,
// "Secrets generated, never shipped").
const PLACEHOLDERS = [
  'changeme',
  'change-me',
  'change_me',
  'secret',
  'password',
  'placeholder',
  'example',
  'default',
  'todo',
  'xxx',
];

export const MIN_SECRET_BYTES = 32;

/** Returns why the secret is refused, or null when it is acceptable. */
export function secretProblem(value: string): string | null {
  if (Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES) return `must be at least ${MIN_SECRET_BYTES} bytes`;
  if (isMostlyPlaceholder(value)) return 'looks like a placeholder; generate a random value';
  if (new Set(value).size < 8) return 'is not random enough; generate a random value';
  return null;
}

/**
 * True when placeholder words and separators make up most of the value. A bare
 * substring test would also refuse random values (about 1 in 800 random
 * 43-character secrets contains "xxx" or "todo"), including generated ones.
 */
function isMostlyPlaceholder(value: string): boolean {
  let rest = value.toLowerCase();
  for (const word of PLACEHOLDERS) rest = rest.split(word).join('');
  return rest.replace(/[^a-z0-9]/g, '').length < 16;
}
