// Why the launcher stopped before the farm came up. Each code maps to one exit
// status (sysexits.h numbers), so scripts and CI can tell a missing tool from a
// service that refused to start.
export type LauncherErrorCode =
  'REDIS_SERVER_MISSING' | 'POSTGRES_BINARIES_MISSING' | 'DATA_DIR_UNUSABLE' | 'SERVICE_START_FAILED';

const exitCodes: Record<LauncherErrorCode, number> = {
  REDIS_SERVER_MISSING: 69, // EX_UNAVAILABLE: a required program is not installed
  POSTGRES_BINARIES_MISSING: 69,
  DATA_DIR_UNUSABLE: 73, // EX_CANTCREAT
  SERVICE_START_FAILED: 70, // EX_SOFTWARE
};

export class LauncherError extends Error {
  readonly code: LauncherErrorCode;

  constructor(code: LauncherErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LauncherError';
    this.code = code;
  }

  get exitCode(): number {
    return exitCodes[this.code];
  }
}
