import { describe, expect, it } from 'vitest';
import { HOST_TOKEN_PATTERN } from '@farm/contracts';
import { sha256 } from '../auth/secret-tokens.js';
import { newHostToken, parseHostToken } from './host-token.js';

describe('host tokens', () => {
  it('issues tokens of the contract shape whose prefix and hash parse back', () => {
    const issued = newHostToken();
    expect(issued.token).toMatch(new RegExp(HOST_TOKEN_PATTERN));
    expect(issued.hash).toBe(sha256(issued.token));
    expect(parseHostToken(issued.token)).toEqual({ prefix: issued.prefix, hash: issued.hash });
    expect(newHostToken().token).not.toBe(issued.token);
  });

  it('refuses texts that are not host tokens', () => {
    const { token } = newHostToken();
    for (const text of ['', 'fh_', `${token} `, `x${token}`, token.toUpperCase(), `farm_${token.slice(3)}`])
      expect(parseHostToken(text), text).toBeNull();
  });
});
