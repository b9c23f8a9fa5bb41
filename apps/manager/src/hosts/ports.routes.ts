// Detected ports for admins: list, adopt as a new printer, assign to an
// existing one (printer.manage †, so step-up; changes audited).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DetectedPort, PrinterProfile } from '@farm/contracts';
import { Uuid, errors } from '../http/schemas.js';
import { PrinterView } from '../printers/printers.routes.js';
import type { PortsService } from './ports.service.js';

const DevicePathRef = Type.String({ minLength: 1, maxLength: 255 });
const PrinterName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,63}$' });

const ListedPort = Type.Object(
  { hostId: Type.String(), hostName: Type.String(), reportedAt: Type.Integer(), port: DetectedPort },
  { additionalProperties: false },
);

const AdoptBody = Type.Object(
  {
    hostId: Uuid,
    path: DevicePathRef,
    name: PrinterName,
    groupId: Type.Optional(Uuid),
    preset: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    profile: Type.Optional(PrinterProfile),
    confirmAmbiguous: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const AssignBody = Type.Object({ hostId: Uuid, path: DevicePathRef, printerId: Uuid }, { additionalProperties: false });

const One = Type.Object({ printer: PrinterView }, { additionalProperties: false });

export function portsRoutes({ ports }: { ports: PortsService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/ports',
      {
        config: { requires: ['printer.manage'] },
        schema: {
          operationId: 'ports.list',
          tags: ['ports'],
          querystring: Type.Object({ all: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ ports: Type.Array(ListedPort) }, { additionalProperties: false }),
            ...errors(),
          },
        },
      },
      async (request) => ({ ports: await ports.list(request.principal, { all: request.query.all === true }) }),
    );

    app.post(
      '/api/ports/adopt',
      {
        config: { requires: ['printer.manage'], stepUp: true },
        schema: {
          operationId: 'ports.adopt',
          tags: ['ports'],
          body: AdoptBody,
          response: { 201: One, ...errors(404, 409) },
        },
      },
      async (request, reply) => {
        const printer = await ports.adopt(request.principal, request.body);
        request.auditNote.target = printer.id;
        return reply.status(201).send({ printer });
      },
    );

    app.post(
      '/api/ports/assign',
      {
        config: { requires: ['printer.manage'], stepUp: true },
        schema: {
          operationId: 'ports.assign',
          tags: ['ports'],
          body: AssignBody,
          response: { 200: One, ...errors(404, 409) },
        },
      },
      async (request) => {
        request.auditNote.target = request.body.printerId;
        return { printer: await ports.assign(request.principal, request.body) };
      },
    );
  };
}
