// What a worker reports about its printer: live state, heartbeat,
// temperatures, webcam frame metadata, the ports a host sees.
import { Type, type Static } from 'typebox';

export const PrinterId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
/** Marlin's heater names: T0…T7 hotends, B bed, C chamber. */
export const HeaterId = Type.String({ pattern: '^(T[0-7]|B|C)$' });

export const PrinterStatus = Type.Union([
  /** No worker heartbeat: the worker, its host agent or the host is gone. */
  Type.Literal('offline'),
  /** The worker runs but the serial port is closed (never connected, unplugged, or disconnected on request). */
  Type.Literal('disconnected'),
  Type.Literal('connecting'),
  Type.Literal('idle'),
  Type.Literal('printing'),
  Type.Literal('paused'),
  Type.Literal('cancelling'),
  Type.Literal('error'),
  /** The firmware halted (M112, kill()); needs an operator. */
  Type.Literal('halted'),
]);
export type PrinterStatus = Static<typeof PrinterStatus>;

export const HeaterTemperature = Type.Object(
  {
    heater: HeaterId,
    actualC: Type.Number(),
    targetC: Type.Number({ minimum: 0 }),
    /** Heater power as reported (`@:`), 0–1. */
    power: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
export type HeaterTemperature = Static<typeof HeaterTemperature>;

export const TemperatureSample = Type.Object(
  { printerId: PrinterId, at: Type.Integer({ minimum: 0 }), heaters: Type.Array(HeaterTemperature, { maxItems: 16 }) },
  { additionalProperties: false },
);
export type TemperatureSample = Static<typeof TemperatureSample>;

export const JobProgress = Type.Object(
  {
    jobId: Type.String({ maxLength: 64 }),
    fraction: Type.Number({ minimum: 0, maximum: 1 }),
    linesSent: Type.Integer({ minimum: 0 }),
    elapsedS: Type.Number({ minimum: 0 }),
    remainingS: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type JobProgress = Static<typeof JobProgress>;

const Count = Type.Integer({ minimum: 0 });
export const LinkStats = Type.Object(
  {
    linesSent: Count,
    /** Lines sent again because the firmware asked (`Resend:`) or a timeout forced it. */
    resends: Count,
    /** Checksum / line-number errors the firmware reported. */
    lineErrors: Count,
    /** Communication timeouts (no reply within the configured time). */
    timeouts: Count,
    /** Times the port was (re)opened. */
    connects: Count,
    /** Lines per second streamed over the last few seconds (0 when idle). */
    linesPerSecond: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type LinkStats = Static<typeof LinkStats>;

export const PrinterLiveState = Type.Object(
  {
    printerId: PrinterId,
    hostId: Type.String({ maxLength: 64 }),
    status: PrinterStatus,
    updatedAt: Type.Integer({ minimum: 0 }),
    firmware: Type.Optional(Type.Object({ name: Type.String({ maxLength: 200 }), advancedOk: Type.Boolean() }, { additionalProperties: false })),
    heaters: Type.Array(HeaterTemperature, { maxItems: 16 }),
    job: Type.Optional(JobProgress),
    error: Type.Optional(Type.Object({ code: Type.String({ maxLength: 64 }), message: Type.String({ maxLength: 500 }) }, { additionalProperties: false })),
    /** Counters since the worker started (for metrics): they only grow while the worker lives. */
    stats: Type.Optional(LinkStats),
  },
  { additionalProperties: false },
);
export type PrinterLiveState = Static<typeof PrinterLiveState>;

export const WorkerHeartbeat = Type.Object(
  { printerId: PrinterId, hostId: Type.String({ maxLength: 64 }), pid: Type.Integer({ minimum: 1 }), at: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
export type WorkerHeartbeat = Static<typeof WorkerHeartbeat>;

export const SnapshotMeta = Type.Object(
  {
    printerId: PrinterId,
    at: Type.Integer({ minimum: 0 }),
    mime: Type.Union([Type.Literal('image/jpeg'), Type.Literal('image/png'), Type.Literal('image/webp')]),
    bytes: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type SnapshotMeta = Static<typeof SnapshotMeta>;

/** A serial port as a host agent sees it; the identity fields the manager stores for adoption. */
export const DetectedPort = Type.Object(
  {
    path: Type.String({ maxLength: 255 }),
    byId: Type.Array(Type.String({ maxLength: 255 }), { maxItems: 8 }),
    byPath: Type.Array(Type.String({ maxLength: 255 }), { maxItems: 8 }),
    vendorId: Type.Optional(Type.String({ pattern: '^[0-9a-f]{4}$' })),
    productId: Type.Optional(Type.String({ pattern: '^[0-9a-f]{4}$' })),
    serialNumber: Type.Optional(Type.String({ maxLength: 128 })),
    physicalPath: Type.Optional(Type.String({ maxLength: 255 })),
    virtual: Type.Boolean(),
    /** What the agent decided: a known printer, a known printer on a new path, new, or ambiguous. */
    match: Type.Union([
      Type.Object({ kind: Type.Literal('known'), printerId: PrinterId }, { additionalProperties: false }),
      Type.Object({ kind: Type.Literal('moved'), printerId: PrinterId, previousPath: Type.String({ maxLength: 255 }) }, { additionalProperties: false }),
      Type.Object({ kind: Type.Literal('new') }, { additionalProperties: false }),
      Type.Object(
        { kind: Type.Literal('ambiguous'), candidates: Type.Array(PrinterId, { maxItems: 64 }), reason: Type.String({ maxLength: 64 }) },
        { additionalProperties: false },
      ),
    ]),
  },
  { additionalProperties: false },
);
export type DetectedPort = Static<typeof DetectedPort>;

export const HostPorts = Type.Object(
  { hostId: Type.String({ maxLength: 64 }), at: Type.Integer({ minimum: 0 }), ports: Type.Array(DetectedPort, { maxItems: 256 }) },
  { additionalProperties: false },
);
export type HostPorts = Static<typeof HostPorts>;

/** What a host agent runs now, for the dashboard and the worker-restart metric. */
export const HostStatus = Type.Object(
  {
    hostId: Type.String({ maxLength: 64 }),
    at: Type.Integer({ minimum: 0 }),
    workers: Type.Array(
      Type.Object(
        {
          printerId: PrinterId,
          state: Type.Union([Type.Literal('running'), Type.Literal('backoff'), Type.Literal('stopping')]),
          pid: Type.Optional(Type.Integer({ minimum: 1 })),
          /** Restarts after an unexpected exit since the agent started. */
          restarts: Type.Integer({ minimum: 0 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 512 },
    ),
  },
  { additionalProperties: false },
);
export type HostStatus = Static<typeof HostStatus>;
