// Key text: `farm_<prefix>_<secret>`. The prefix is shown in lists to tell
// keys apart; the whole key is stored only as a sha256 hash (it carries 256
// random bits, so a slow hash adds nothing).
import { newToken, sha256 } from '../auth/secret-tokens.js';

const SHAPE = /^farm_([A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{43})$/;

export function newApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = newToken(6);
  const key = `farm_${prefix}_${newToken(32)}`;
  return { key, prefix, hash: sha256(key) };
}

/** The hash to look up, or null when the text cannot be one of our keys. */
export function apiKeyHash(text: string): string | null {
  return SHAPE.test(text) ? sha256(text) : null;
}
