// Every Redis key and channel of the live farm, in one place. The prefix is
// the deployment's (config `redisPrefix`, ending in ':'; tests get their own).

/** The heartbeat key expires this long after the worker last refreshed it; then the printer shows offline. */
export const HEARTBEAT_TTL_SECONDS = 10;
/** Temperature history: 2 hours at 1 Hz. Trim with `XADD … MAXLEN ~ 7200`. */
export const TEMPERATURE_HISTORY_MAXLEN = 7200;
/** The latest webcam frame expires when the camera stops delivering. */
export const SNAPSHOT_TTL_SECONDS = 60;
/** Control requests and their results are consumed within seconds; keep a short tail for diagnosis. */
export const CONTROL_STREAM_MAXLEN = 1000;
/** Field name of the one JSON value in each stream entry. */
export const STREAM_FIELD = 'msg';
/** A WebSocket ticket is good for this long after it was issued, once. */
export const LIVE_TICKET_TTL_SECONDS = 30;
/** Detected ports a host reported expire when the host stops reporting. */
export const HOST_PORTS_TTL_SECONDS = 30;

export class RedisKeyError extends Error {
  readonly code = 'redis-key-invalid' as const;
}

// Ids become part of key names: anything beyond this could reach into another
// key space (':' separators, glob characters in SCAN patterns).
const ID = /^[A-Za-z0-9_-]{1,64}$/;

function id(value: string): string {
  if (!ID.test(value)) throw new RedisKeyError('not a valid id for a Redis key');
  return value;
}

export type LiveKeys = ReturnType<typeof liveKeys>;

export function liveKeys(prefix: string) {
  return {
    /** String: JSON `PrinterLiveState`, written by the worker on every change. */
    printerState: (printerId: string) => `${prefix}printer:${id(printerId)}:state`,
    /** String: JSON `WorkerHeartbeat`, `SET … EX HEARTBEAT_TTL_SECONDS`. */
    heartbeat: (printerId: string) => `${prefix}printer:${id(printerId)}:heartbeat`,
    /** Stream of JSON `TemperatureSample`, MAXLEN ~ TEMPERATURE_HISTORY_MAXLEN. */
    temperatureHistory: (printerId: string) => `${prefix}printer:${id(printerId)}:temperatures`,
    /** Stream of JSON `SignedControl`, consumed by that printer's worker only. */
    controlStream: (printerId: string) => `${prefix}printer:${id(printerId)}:control`,
    /** Stream of JSON `ControlResult`, read by the manager that sent the request. */
    controlResults: (printerId: string) => `${prefix}printer:${id(printerId)}:control-results`,
    /** Binary string: the latest frame, `SET … EX SNAPSHOT_TTL_SECONDS`. */
    snapshot: (printerId: string) => `${prefix}printer:${id(printerId)}:snapshot`,
    /** String: JSON `SnapshotMeta` for the frame above, same expiry. */
    snapshotMeta: (printerId: string) => `${prefix}printer:${id(printerId)}:snapshot-meta`,
    /** Integer: how many dashboards watch this printer's camera (the worker snaps faster while > 0). */
    snapshotWatchers: (printerId: string) => `${prefix}printer:${id(printerId)}:snapshot-watchers`,
    /** String: JSON `HostPorts`, the ports a host agent sees, with a heartbeat-like expiry. */
    hostPorts: (hostId: string) => `${prefix}host:${id(hostId)}:ports`,
    /**
     * Pub/sub channel of JSON `LiveEvent` of type `printer.log` for one printer:
     * the serial log is busy, so it has its own channel that a manager
     * subscribes to only while someone watches that printer's terminal.
     */
    printerLog: (printerId: string) => `${prefix}printer:${id(printerId)}:log`,
    /** String: JSON `LiveTicket`, single use, `SET … EX LIVE_TICKET_TTL_SECONDS`; the key holds the ticket's SHA-256, never the ticket. */
    liveTicket: (ticketHash: string) => `${prefix}live-ticket:${id(ticketHash)}`,
    /** String: JSON `HostStatus` (the agent's workers and their restarts), `SET … EX HOST_PORTS_TTL_SECONDS`. */
    hostStatus: (hostId: string) => `${prefix}host:${id(hostId)}:status`,
    /** Pub/sub channel of JSON `LiveEvent`, relayed to dashboards. */
    events: `${prefix}events`,
    /**
     * Pub/sub channel of JSON `SignedControl` with an `emergency-stop` command.
     * Separate from the control streams so it is never queued behind anything;
     * every worker subscribes to it.
     */
    emergencyStop: `${prefix}emergency-stop`,
  } as const;
}
