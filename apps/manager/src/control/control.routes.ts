// Printer controls, terminal, emergency stop and temperature history over HTTP.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { ControlCommand, TEMPERATURE_HISTORY_MAXLEN, TemperatureSample, type LiveKeys } from '@farm/contracts';
import type { Redis } from 'ioredis';
import { IdParams, errors } from '../http/schemas.js';
import type { PrintersService } from '../printers/printers.service.js';
import type { ControlService, PanelCommand } from './control.service.js';
import { answeringPrinterErrors } from './printer-answer-error.js';
import { readTemperatureHistory } from './temperature-history.js';

const PANEL_KINDS: ReadonlySet<string> = new Set([
  'pause',
  'resume',
  'cancel',
  'home',
  'jog',
  'extrude',
  'set-temperature',
  'fan',
]);

/** The contract's command union, narrowed to what the control route accepts. */
const PanelBody = Type.Unsafe<PanelCommand>(
  Type.Union(
    (ControlCommand.anyOf as readonly TSchema[]).filter((member) => {
      const kind = (member as { properties?: { kind?: { const?: unknown } } }).properties?.kind?.const;
      return typeof kind === 'string' && PANEL_KINDS.has(kind);
    }),
  ),
);

const ConnectionBody = Type.Object(
  { action: Type.Union([Type.Literal('connect'), Type.Literal('disconnect')]) },
  { additionalProperties: false },
);

const TerminalBody = Type.Object(
  {
    // One line: a line break would make one request into two commands.
    line: Type.String({ minLength: 1, maxLength: 256, pattern: '^[^\\r\\n\\u0000]*$' }),
    /** Confirms "I inspected the printer" (needed to restart a halted printer, M999 / FIRMWARE_RESTART). */
    inspectionConfirmed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Answer = Type.Object({ output: Type.Array(Type.String()) }, { additionalProperties: false });
const StopAnswer = Type.Object(
  { printers: Type.Integer(), messages: Type.Integer(), receivers: Type.Integer() },
  { additionalProperties: false },
);

const TemperatureQuery = Type.Object(
  {
    since: Type.Optional(
      Type.Integer({ minimum: 0, description: 'ms since epoch, inclusive; without it, the newest samples' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: TEMPERATURE_HISTORY_MAXLEN, default: 600 }),
  },
  { additionalProperties: false },
);
const TemperatureAnswer = Type.Object(
  { samples: Type.Array(TemperatureSample), nextSince: Type.Union([Type.Integer(), Type.Null()]) },
  { additionalProperties: false },
);

export interface ControlRoutesDeps {
  control: ControlService;
  printers: PrintersService;
  redis: Redis;
  keys: LiveKeys;
}

export function controlRoutes({ control, printers, redis, keys }: ControlRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/printers/:id/connection',
      {
        config: { requires: ['printer.connect'], auditAction: 'printer.connection' },
        schema: {
          operationId: 'printers.connection',
          tags: ['control'],
          params: IdParams,
          body: ConnectionBody,
          response: { 200: Answer, ...errors(404, 409, 422, 502, 504) },
        },
      },
      async (request, reply) => {
        request.auditNote.action = `printer.${request.body.action}`;
        return answeringPrinterErrors(request, reply, async () => ({
          output: await control.connection(request.principal, request.params.id, request.body.action),
        }));
      },
    );

    app.post(
      '/api/printers/:id/control',
      {
        config: { requires: ['printer.control'], auditAction: 'printer.control' },
        schema: {
          operationId: 'printers.control',
          tags: ['control'],
          params: IdParams,
          body: PanelBody,
          response: { 200: Answer, ...errors(404, 409, 422, 502, 504) },
        },
      },
      async (request, reply) => {
        request.auditNote.action = `printer.${request.body.kind}`;
        return answeringPrinterErrors(request, reply, async () => ({
          output: await control.control(request.principal, request.params.id, request.body),
        }));
      },
    );

    app.post(
      '/api/printers/:id/terminal',
      {
        config: { requires: ['terminal.send'], auditAction: 'printer.terminal' },
        schema: {
          operationId: 'printers.terminal',
          tags: ['control'],
          params: IdParams,
          body: TerminalBody,
          response: { 200: Answer, ...errors(404, 409, 422, 502, 504) },
        },
      },
      async (request, reply) =>
        answeringPrinterErrors(request, reply, async () => ({
          output: await control.terminal(
            request.principal,
            request.params.id,
            request.body.line,
            request.body.inspectionConfirmed === true,
          ),
        })),
    );

    app.post(
      '/api/printers/:id/emergency-stop',
      {
        config: { requires: ['printer.estop'], rateLimitExempt: true, auditAction: 'printer.emergency-stop' },
        schema: {
          operationId: 'printers.emergencyStop',
          tags: ['control'],
          params: IdParams,
          response: { 202: StopAnswer, ...errors(404, 409) },
        },
      },
      async (request, reply) => reply.status(202).send(await control.stopOne(request.principal, request.params.id)),
    );

    app.post(
      '/api/emergency-stop',
      {
        config: { requires: ['printer.estop'], rateLimitExempt: true, auditAction: 'printers.emergency-stop-all' },
        schema: {
          operationId: 'printers.emergencyStopAll',
          tags: ['control'],
          response: { 202: StopAnswer, ...errors() },
        },
      },
      async (request, reply) => {
        request.auditNote.target = '*';
        return reply.status(202).send(await control.stopAll(request.principal));
      },
    );

    app.get(
      '/api/printers/:id/temperatures',
      {
        config: { requires: ['printer.read'] },
        schema: {
          operationId: 'printers.temperatures',
          tags: ['control'],
          params: IdParams,
          querystring: TemperatureQuery,
          response: { 200: TemperatureAnswer, ...errors(404) },
        },
      },
      async (request) => {
        // The printers service answers 404 outside the caller's groups.
        const printer = await printers.get(request.principal, request.params.id);
        return readTemperatureHistory(redis, keys, printer.id, request.query);
      },
    );
  };
}
