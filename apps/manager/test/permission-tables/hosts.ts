// Pinned route declarations of the hosts area (see permission-matrix.int.test.ts).
import type { Permission } from '@farm/contracts';

export const ROUTES: Record<string, readonly Permission[] | 'public' | 'agent'> = {
  'GET /api/hosts': ['printer.manage'],
  'POST /api/hosts': ['printer.manage'],
  'POST /api/hosts/:id/rotate-token': ['printer.manage'],
  'POST /api/hosts/:id/revoke': ['printer.manage'],
  'GET /api/agent/state': 'agent',
  'PUT /api/agent/ports': 'agent',
  'GET /api/ports': ['printer.manage'],
  'POST /api/ports/adopt': ['printer.manage'],
  'POST /api/ports/assign': ['printer.manage'],
};
