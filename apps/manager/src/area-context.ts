// What each feature area of the manager gets to build its services and
// routes: the app's shared resources, created once in buildApp.
import type { Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { Database } from '@farm/db';
import type { ManagerConfig } from './config/index.js';
import type { Clock } from './clock.js';
import type { Services } from './services.js';
import type { LiveStateReader } from './live/live-state.js';

export interface AreaContext {
  readonly config: ManagerConfig;
  readonly db: Kysely<Database>;
  /** The app's command connection. An area that subscribes duplicates it and closes the copy in onClose. */
  readonly redis: Redis;
  readonly clock: Clock;
  readonly services: Services;
  readonly liveState: LiveStateReader;
}
