// The Redis permissions of the farm's own connections, shared by the local
// launcher and docker-compose.yml (a test keeps the two in step). Everything
// except the `dangerous` category (FLUSHALL, KEYS, CONFIG, DEBUG, SHUTDOWN,
// MONITOR, ACL, ...), with the two read-only commands BullMQ needs back: INFO
// (version and eviction-policy check) and CLIENT LIST (Queue.getWorkers).
import { createHash } from 'node:crypto';

export const appCommandRules: readonly string[] = ['~*', '&*', '+@all', '-@dangerous', '+info', '+client|list'];

/** An ACL password rule that stores only the SHA-256 of the password. */
export function passwordHashRule(password: string): string {
  return `#${createHash('sha256').update(password).digest('hex')}`;
}

/** ACL rules for a user: reset first so no default (such as `nopass`) survives. */
export function appUserRules(password: string): string[] {
  return ['reset', 'on', passwordHashRule(password), ...appCommandRules];
}
