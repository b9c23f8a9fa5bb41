// What a host agent tells a port worker process it spawns (as one JSON
// argument): which port, which printer profile. Secrets (the control key,
// Redis credentials) travel in the environment, never on the command line.
import { Type, type Static } from 'typebox';
import { PrinterProfile } from '../printers/printer-profile.js';
import { PrinterId } from '../live/printer-live.js';

export const PortWorkerSpec = Type.Object(
  {
    printerId: PrinterId,
    name: Type.String({ maxLength: 64 }),
    /** A device path (/dev/ttyACM0, a pty) or tcp://host:port for a network serial bridge. */
    port: Type.String({ minLength: 1, maxLength: 255 }),
    profile: PrinterProfile,
    /** CIDRs an admin allowed webcam snapshot URLs to reach. */
    cameraAllowedSubnets: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 }),
  },
  { additionalProperties: false },
);
export type PortWorkerSpec = Static<typeof PortWorkerSpec>;

/** Environment variables of a port worker process. */
export const PORT_WORKER_ENV = {
  redisUrl: 'REDIS_URL',
  redisPrefix: 'REDIS_PREFIX',
  hostId: 'FARM_HOST_ID',
  /** 64 hex digits: the host's control key (verifies signed controls). */
  controlKey: 'FARM_CONTROL_KEY',
  logLevel: 'LOG_LEVEL',
} as const;
