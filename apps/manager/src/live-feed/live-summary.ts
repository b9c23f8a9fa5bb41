// The live part of a printer as listings and the dashboard snapshot show it:
// a flat summary of what the worker last reported, with `offline` whenever
// the heartbeat is gone.
import { Type, type Static, type TSchema } from 'typebox';
import { HeaterTemperature, JobProgress, PrinterStatus } from '@farm/contracts';
import type { LiveView } from '../live/live-state.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const LiveSummary = Type.Object(
  {
    status: PrinterStatus,
    /** True while the worker's heartbeat is present. */
    online: Type.Boolean(),
    /** When the worker last wrote its state (ms since the epoch); null if it never did. */
    updatedAt: Nullable(Type.Integer({ minimum: 0 })),
    firmware: Nullable(Type.Object({ name: Type.String(), advancedOk: Type.Boolean() }, { additionalProperties: false })),
    heaters: Type.Array(HeaterTemperature),
    job: Nullable(JobProgress),
    error: Nullable(Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type LiveSummary = Static<typeof LiveSummary>;

export function liveSummaryOf(view: LiveView): LiveSummary {
  const state = view.state;
  // A heartbeat without a state document: the worker runs but has not reported a port yet.
  const status = state?.status ?? (view.online ? 'disconnected' : 'offline');
  return {
    status: view.online ? status : 'offline',
    online: view.online,
    updatedAt: state?.updatedAt ?? null,
    firmware: state?.firmware ?? null,
    heaters: state?.heaters ?? [],
    job: state?.job ?? null,
    error: state?.error ?? null,
  };
}
