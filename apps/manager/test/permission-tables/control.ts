// Pinned route declarations of the control area (see permission-matrix.int.test.ts).
import type { Permission } from '@farm/contracts';

export const ROUTES: Record<string, readonly Permission[] | 'public'> = {};
