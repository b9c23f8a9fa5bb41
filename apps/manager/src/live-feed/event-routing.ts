// Who may receive which live event: pure rules over the event, the viewer's
// permissions and group scope, and the printer's group.
import type { LiveEvent, Permission } from '@farm/contracts';
import { inGroupScope } from '../auth/authorize.js';
import type { GroupScope } from '../auth/principal.js';

export type Viewer = { readonly permissions: ReadonlySet<Permission>; readonly groups: GroupScope };

/** The printer an event is about, or null for farm-level (port) events. */
export function printerIdOf(event: LiveEvent): string | null {
  switch (event.type) {
    case 'printer.state':
      return event.state.printerId;
    case 'printer.temperature':
      return event.sample.printerId;
    case 'printer.snapshot':
      return event.meta.printerId;
    case 'printer.offline':
    case 'printer.log':
    case 'printer.alarm':
      return event.printerId;
    case 'port.detected':
    case 'port.lost':
      return null;
  }
}

/** What a viewer needs, beyond group access, for each event type. */
export function permissionFor(type: LiveEvent['type']): Permission {
  switch (type) {
    case 'printer.state':
    case 'printer.temperature':
    case 'printer.offline':
    case 'printer.alarm':
      return 'printer.read';
    case 'printer.snapshot':
      return 'webcam.view';
    case 'printer.log':
      return 'terminal.read';
    case 'port.detected':
    case 'port.lost':
      return 'printer.manage';
  }
}

/**
 * Whether the viewer may receive the event. `groupOf` is the printer's group
 * (undefined when the printer is unknown, which is never delivered: an event
 * for a printer the manager cannot place in a group reaches nobody).
 */
export function mayReceive(viewer: Viewer, event: LiveEvent, groupOf: (printerId: string) => string | undefined): boolean {
  if (!viewer.permissions.has(permissionFor(event.type))) return false;
  const printerId = printerIdOf(event);
  if (printerId === null) return true;
  const groupId = groupOf(printerId);
  return groupId !== undefined && inGroupScope(viewer.groups, groupId);
}
