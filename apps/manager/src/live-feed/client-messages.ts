// What a dashboard may send over the live socket. Anything else, including
// oversized, non-JSON or prototype-polluting input, is answered with an
// error message and otherwise ignored.
import { Type, type Static } from 'typebox';
import Value from 'typebox/value';
import { PrinterId } from '@farm/contracts';

/** A client may slow its temperature updates down, never speed them up beyond the default. */
export const MIN_TEMPERATURE_INTERVAL_MS = 1000;
export const MAX_TEMPERATURE_INTERVAL_MS = 60_000;

const ForPrinter = <T extends string>(type: T) =>
  Type.Object({ type: Type.Literal(type), printerId: PrinterId }, { additionalProperties: false });

export const ClientMessage = Type.Union([
  ForPrinter('log.subscribe'),
  ForPrinter('log.unsubscribe'),
  ForPrinter('camera.watch'),
  ForPrinter('camera.unwatch'),
  Type.Object(
    {
      type: Type.Literal('temperature.interval'),
      intervalMs: Type.Integer({ minimum: MIN_TEMPERATURE_INTERVAL_MS, maximum: MAX_TEMPERATURE_INTERVAL_MS }),
    },
    { additionalProperties: false },
  ),
]);
export type ClientMessage = Static<typeof ClientMessage>;

export type ParsedMessage = { ok: true; message: ClientMessage } | { ok: false };

export function parseClientMessage(data: string): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false };
  }
  return Value.Check(ClientMessage, value) ? { ok: true, message: value } : { ok: false };
}
