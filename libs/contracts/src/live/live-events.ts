// Events a worker or host agent publishes on the events channel; the manager
// relays them to dashboards filtered by permission and printer group.
import { Type, type Static } from 'typebox';
import { DetectedPort, PrinterId, PrinterLiveState, SnapshotMeta, TemperatureSample } from './printer-live.js';

const At = Type.Integer({ minimum: 0 });

export const LiveEvent = Type.Union([
  Type.Object({ type: Type.Literal('printer.state'), at: At, state: PrinterLiveState }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('printer.temperature'), at: At, sample: TemperatureSample }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('printer.offline'), at: At, printerId: PrinterId }, { additionalProperties: false }),
  /** A serial log line; `direction` says who wrote it. Always rendered as text (M117/M118 may carry markup). */
  Type.Object(
    {
      type: Type.Literal('printer.log'),
      at: At,
      printerId: PrinterId,
      direction: Type.Union([Type.Literal('sent'), Type.Literal('received')]),
      line: Type.String({ maxLength: 1024 }),
    },
    { additionalProperties: false },
  ),
  /** The worker's heater watchdog (or the firmware) stopped the printer. */
  Type.Object(
    {
      type: Type.Literal('printer.alarm'),
      at: At,
      printerId: PrinterId,
      reason: Type.String({ maxLength: 64 }),
      heater: Type.Optional(Type.String({ maxLength: 8 })),
      actualC: Type.Optional(Type.Number()),
      targetC: Type.Optional(Type.Number()),
      limitC: Type.Optional(Type.Number()),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('printer.snapshot'), at: At, meta: SnapshotMeta }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('port.detected'), at: At, hostId: Type.String({ maxLength: 64 }), port: DetectedPort }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('port.lost'), at: At, hostId: Type.String({ maxLength: 64 }), path: Type.String({ maxLength: 255 }) }, { additionalProperties: false }),
]);
export type LiveEvent = Static<typeof LiveEvent>;
export type LiveEventType = LiveEvent['type'];
