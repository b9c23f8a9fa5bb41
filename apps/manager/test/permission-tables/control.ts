// Pinned route declarations of the control area (see permission-matrix.int.test.ts).
import type { Permission } from '@farm/contracts';

export const ROUTES: Record<string, readonly Permission[] | 'public'> = {
  'POST /api/printers/:id/connection': ['printer.connect'],
  'POST /api/printers/:id/control': ['printer.control'],
  // Restricted lines additionally need terminal.send_restricted (†, step-up), checked per line.
  'POST /api/printers/:id/terminal': ['terminal.send'],
  'POST /api/printers/:id/emergency-stop': ['printer.estop'],
  'POST /api/emergency-stop': ['printer.estop'],
  'GET /api/printers/:id/temperatures': ['printer.read'],
};
