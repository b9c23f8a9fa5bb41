// Host tokens: `fh_<8 hex prefix>_<43 base64url>` (HOST_TOKEN_PATTERN). The
// prefix is stored in clear to find the row; the whole token only as SHA-256
// (it carries 256 random bits, so a slow hash would add nothing).
import { randomBytes } from 'node:crypto';
import { HOST_TOKEN_PATTERN } from '@farm/contracts';
import { newToken, sha256 } from '../auth/secret-tokens.js';

const SHAPE = new RegExp(HOST_TOKEN_PATTERN);

export interface IssuedHostToken {
  token: string;
  prefix: string;
  hash: string;
}

export function newHostToken(): IssuedHostToken {
  const prefix = randomBytes(4).toString('hex');
  const token = `fh_${prefix}_${newToken(32)}`;
  return { token, prefix, hash: sha256(token) };
}

/** Prefix and hash of a text that has the shape of a host token; null otherwise. */
export function parseHostToken(text: string): { prefix: string; hash: string } | null {
  if (!SHAPE.test(text)) return null;
  return { prefix: text.slice(3, 11), hash: sha256(text) };
}

export function isHostTokenShaped(text: string): boolean {
  return SHAPE.test(text);
}
