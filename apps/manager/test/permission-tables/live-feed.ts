// Pinned route declarations of the live-feed area (see permission-matrix.int.test.ts).
import type { Permission } from '@farm/contracts';

export const ROUTES: Record<string, readonly Permission[] | 'public'> = {
  // Both are session-only (config.sessionOnly): a browser dashboard, never an API key.
  'POST /api/live/ticket': ['printer.read'],
  'GET /api/live': ['printer.read'],
};
