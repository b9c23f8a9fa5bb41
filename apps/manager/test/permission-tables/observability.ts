// Pinned route declarations of the observability area (see permission-matrix.int.test.ts).
import type { Permission } from '@farm/contracts';

export const ROUTES: Record<string, readonly Permission[] | 'public'> = {
  // Admins, or a scraper with the metrics token (route flag `metricsToken`).
  'GET /metrics': ['audit.read'],
  'GET /api/printers/:id/snapshot': ['webcam.view'],
  'GET /api/settings/camera-network': ['settings.read'],
  // SECURITY.md: the camera outbound allowlist is part of webcam.manage (†).
  'PUT /api/settings/camera-network': ['webcam.manage'],
};
