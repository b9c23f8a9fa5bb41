// Password rules: long enough, not on the common-passwords list (the
// zxcvbn-ts common dictionary), not the username. No composition rules.
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../errors/app-error.js';

export const MIN_PASSWORD_LENGTH = 12;
/** Generous cap so a hash request cannot be a denial of service; never truncates. */
export const MAX_PASSWORD_LENGTH = 1024;

let common: ReadonlySet<string> | undefined;
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/** Returns a reason, or null when the password is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `is shorter than ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `is longer than ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'is on the list of common passwords';
  if (username && lower.includes(username.toLowerCase())) return 'contains the username';
  if (new Set(password).size < 4) return 'is too repetitive';
  return null;
}

export function assertPasswordAcceptable(password: string, username?: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new AppError('weak_password', { message: `Choose another password: it ${problem}.` });
}
