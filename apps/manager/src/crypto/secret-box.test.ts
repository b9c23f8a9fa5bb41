import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretBoxError } from './secret-box.js';

const OLD = 'old-server-secret-0123456789abcdefghijkl';
const NEW = 'new-server-secret-0123456789abcdefghijkl';
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('secret box', () => {
  it('seals with a version prefix and never shows the plain text', () => {
    const box = createSecretBox({ current: 'v1', secrets: { v1: OLD } });
    const sealed = box.seal(SEED, 'user-1');
    expect(sealed.startsWith('v1:')).toBe(true);
    expect(sealed).not.toContain(SEED);
    expect(box.seal(SEED, 'user-1')).not.toBe(sealed);
    expect(box.open(sealed, 'user-1')).toBe(SEED);
  });

  it('refuses a value moved to another context or tampered with', () => {
    const box = createSecretBox({ current: 'v1', secrets: { v1: OLD } });
    const sealed = box.seal(SEED, 'user-1');
    expect(() => box.open(sealed, 'user-2')).toThrow(SecretBoxError);
    const last = sealed.at(-1) === 'A' ? 'B' : 'A';
    expect(() => box.open(`${sealed.slice(0, -1)}${last}`, 'user-1')).toThrow(SecretBoxError);
    expect(() => box.open(SEED, 'user-1')).toThrow(SecretBoxError);
  });

  it('opens values sealed under an older key after rotation and marks them for resealing', () => {
    const before = createSecretBox({ current: 'v1', secrets: { v1: OLD } });
    const after = createSecretBox({ current: 'v2', secrets: { v1: OLD, v2: NEW } });
    const sealed = before.seal(SEED, 'user-1');
    expect(after.open(sealed, 'user-1')).toBe(SEED);
    expect(after.isCurrent(sealed)).toBe(false);
    expect(after.isCurrent(after.seal(SEED, 'user-1'))).toBe(true);
    expect(() => createSecretBox({ current: 'v2', secrets: { v2: NEW } }).open(sealed, 'user-1')).toThrow(
      SecretBoxError,
    );
  });
});
