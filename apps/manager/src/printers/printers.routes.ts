// Printers: group-scoped reads; create, edit and retire for admins (printer.manage †, so step-up).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { PRINTER_PRESETS, PrinterProfile } from '@farm/contracts';
import { DateTime, IdParams, Uuid, errors } from '../http/schemas.js';
import type { PrintersService } from './printers.service.js';
import type { PrinterRecord } from './printers.repository.js';
import type { LiveStateReader } from '../live/live-state.js';
import { LiveSummary, liveSummaryOf } from '../live-feed/live-summary.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number) => Nullable(Type.String({ minLength: 1, maxLength: max }));
const UsbId = Nullable(Type.String({ pattern: '^[0-9a-fA-F]{4}$' }));
/** An absolute device path (/dev/ttyACM0, a virtual printer's pty link under the data folder) or a network serial bridge. */
const DevicePath = Nullable(Type.String({ maxLength: 300, pattern: '^(/[^\\u0000-\\u001f\\u007f]+|tcp://[A-Za-z0-9.:\\[\\]-]+)$' }));
/** Printable names without control characters or path separators. */
const PrinterName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,63}$' });

const Identity = Type.Object(
  {
    hostId: Nullable(Uuid),
    usbSerial: Text(128),
    vendorId: UsbId,
    productId: UsbId,
    portPath: Text(200),
    devicePath: DevicePath,
  },
  { additionalProperties: false },
);
const IdentityInput = Type.Partial(Identity, { additionalProperties: false });

export const PrinterView = Type.Object(
  {
    id: Type.String(),
    groupId: Type.String(),
    name: Type.String(),
    enabled: Type.Boolean(),
    identity: Identity,
    profile: PrinterProfile,
    retiredAt: Nullable(DateTime),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { additionalProperties: false },
);

const CreateBody = Type.Object(
  {
    name: PrinterName,
    groupId: Type.Optional(Uuid),
    enabled: Type.Optional(Type.Boolean()),
    identity: Type.Optional(IdentityInput),
    profile: PrinterProfile,
  },
  { additionalProperties: false },
);

const UpdateBody = Type.Object(
  {
    name: Type.Optional(PrinterName),
    groupId: Type.Optional(Uuid),
    enabled: Type.Optional(Type.Boolean()),
    identity: Type.Optional(IdentityInput),
    profile: Type.Optional(PrinterProfile),
  },
  { additionalProperties: false, minProperties: 1 },
);

const One = Type.Object({ printer: PrinterView }, { additionalProperties: false });

/** A printer as the read routes list it: the record plus what its worker last reported. */
export const ListedPrinter = Type.Object({ ...PrinterView.properties, live: LiveSummary }, { additionalProperties: false });

export function printersRoutes({
  printers,
  liveState,
}: {
  printers: PrintersService;
  liveState: Pick<LiveStateReader, 'read'>;
}): FastifyPluginAsyncTypebox {
  const noReport = (printerId: string) => ({ printerId, online: false, state: null, heartbeat: null });
  /** One Redis round trip for the whole listing. */
  async function withLive(records: readonly PrinterRecord[]) {
    const views = await liveState.read(records.map((r) => r.id));
    return records.map((record, i) => ({ ...record, live: liveSummaryOf(views[i] ?? noReport(record.id)) }));
  }

  return async (app) => {
    app.get(
      '/api/printers',
      {
        config: { requires: ['printer.read'] },
        schema: {
          operationId: 'printers.list',
          tags: ['printers'],
          response: { 200: Type.Object({ printers: Type.Array(ListedPrinter) }), ...errors() },
        },
      },
      async (request) => ({ printers: await withLive(await printers.list(request.principal)) }),
    );

    app.get(
      '/api/printer-presets',
      {
        // Read-only data for the create form; printer.manage would force a step-up just to look.
        config: { requires: ['printer.read'] },
        schema: {
          operationId: 'printers.presets',
          tags: ['printers'],
          response: {
            200: Type.Object({
              presets: Type.Array(
                Type.Object(
                  { id: Type.String(), label: Type.String(), profile: PrinterProfile },
                  { additionalProperties: false },
                ),
              ),
            }),
            ...errors(),
          },
        },
      },
      async () => ({ presets: [...PRINTER_PRESETS] }),
    );

    app.get(
      '/api/printers/:id',
      {
        config: { requires: ['printer.read'] },
        schema: {
          operationId: 'printers.get',
          tags: ['printers'],
          params: IdParams,
          response: { 200: Type.Object({ printer: ListedPrinter }, { additionalProperties: false }), ...errors(404) },
        },
      },
      async (request) => {
        const record = await printers.get(request.principal, request.params.id);
        const [view] = await liveState.read([record.id]);
        return { printer: { ...record, live: liveSummaryOf(view ?? noReport(record.id)) } };
      },
    );

    app.post(
      '/api/printers',
      {
        config: { requires: ['printer.manage'], stepUp: true },
        schema: {
          operationId: 'printers.create',
          tags: ['printers'],
          body: CreateBody,
          response: { 201: One, ...errors(404, 409) },
        },
      },
      async (request, reply) => {
        const printer = await printers.create(request.principal, request.body);
        request.auditNote.target = printer.id;
        return reply.status(201).send({ printer });
      },
    );

    app.patch(
      '/api/printers/:id',
      {
        config: { requires: ['printer.manage'], stepUp: true },
        schema: {
          operationId: 'printers.update',
          tags: ['printers'],
          params: IdParams,
          body: UpdateBody,
          response: { 200: One, ...errors(404, 409) },
        },
      },
      async (request) => {
        request.auditNote.target = request.params.id;
        return { printer: await printers.update(request.principal, request.params.id, request.body) };
      },
    );

    app.post(
      '/api/printers/:id/retire',
      {
        config: { requires: ['printer.manage'], stepUp: true },
        schema: {
          operationId: 'printers.retire',
          tags: ['printers'],
          params: IdParams,
          response: { 200: One, ...errors(404) },
        },
      },
      async (request) => {
        request.auditNote.target = request.params.id;
        return { printer: await printers.retire(request.principal, request.params.id) };
      },
    );
  };
}
