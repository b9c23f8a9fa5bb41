import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it('refuses common passwords whatever their case', () => {
    expect(passwordProblem('password1234')).toMatch(/common/);
    expect(passwordProblem('QWERTYUIOP123')).toMatch(/common/);
  });

  it('refuses short, repetitive and username-containing passwords', () => {
    expect(passwordProblem('abc12345')).toMatch(/shorter/);
    expect(passwordProblem('aaaaaaaaaaaaaaa')).not.toBeNull();
    expect(passwordProblem('rosalind-printer-77', 'Rosalind')).toMatch(/username/);
  });

  it('accepts a long passphrase, including one far past 72 bytes', () => {
    expect(passwordProblem('correct horse battery staple 42')).toBeNull();
    expect(passwordProblem('ein langer Satz über Drucker und Filament '.repeat(5))).toBeNull();
  });
});
