// Printers: group-scoped reads, admin create/edit/retire with name and group checks.
import type { PrinterProfile } from '@farm/contracts';
import type { Clock } from '../clock.js';
import { authorize, groupScopeOf } from '../auth/authorize.js';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors/app-error.js';
import type { PrinterIdentity, PrinterRecord, PrintersRepository, PrinterWrite } from './printers.repository.js';

export interface CreatePrinterInput {
  name: string;
  groupId?: string | undefined;
  enabled?: boolean | undefined;
  identity?: Partial<PrinterIdentity> | undefined;
  profile: PrinterProfile;
}

export type UpdatePrinterInput = Partial<Omit<CreatePrinterInput, 'groupId'>> & { groupId?: string | undefined };

export interface PrintersServiceDeps {
  printers: PrintersRepository;
  clock: Clock;
}

export type PrintersService = ReturnType<typeof createPrintersService>;

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

export function createPrintersService({ printers, clock }: PrintersServiceDeps) {
  async function visible(principal: Principal | null, id: string, permission: 'printer.read' | 'printer.manage') {
    const printer = await printers.findById(id);
    if (!printer) throw new AppError('not_found');
    authorize(principal, permission, { groupId: printer.groupId });
    return printer;
  }

  async function checkGroup(groupId: string | undefined): Promise<void> {
    if (groupId !== undefined && !(await printers.groupExists(groupId)))
      throw new AppError('validation_failed', { message: 'No such printer group.' });
  }

  async function nameClash<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION)
        throw new AppError('conflict', { message: 'A printer with this name exists.' });
      // identity.hostId must name a host (printers.host_id references hosts).
      const { code, constraint } = error as { code?: unknown; constraint?: unknown };
      if (code === FOREIGN_KEY_VIOLATION && constraint === 'printers_host_id_fkey')
        throw new AppError('validation_failed', { message: 'No such host.' });
      throw error;
    }
  }

  return {
    async list(principal: Principal | null): Promise<PrinterRecord[]> {
      if (!principal) throw new AppError('unauthenticated');
      const scope = groupScopeOf(principal);
      switch (scope.kind) {
        case 'all':
          return printers.list(null);
        case 'groups':
          return printers.list([...scope.groupIds]);
      }
    },

    get: (principal: Principal | null, id: string) => visible(principal, id, 'printer.read'),

    async create(principal: Principal | null, input: CreatePrinterInput): Promise<PrinterRecord> {
      const groupId = input.groupId ?? (await printers.defaultGroupId());
      await checkGroup(groupId);
      authorize(principal, 'printer.manage', { groupId });
      return nameClash(() => printers.insert({ ...input, groupId }));
    },

    async update(principal: Principal | null, id: string, input: UpdatePrinterInput): Promise<PrinterRecord> {
      const current = await visible(principal, id, 'printer.manage');
      if (current.retiredAt) throw new AppError('conflict', { message: 'The printer is retired.' });
      await checkGroup(input.groupId);
      if (input.groupId !== undefined) authorize(principal, 'printer.manage', { groupId: input.groupId });
      const write: PrinterWrite = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.groupId !== undefined ? { groupId: input.groupId } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.identity !== undefined ? { identity: input.identity } : {}),
        ...(input.profile !== undefined ? { profile: input.profile } : {}),
      };
      const updated = await nameClash(() => printers.update(id, write, clock.now()));
      if (!updated) throw new AppError('not_found');
      return updated;
    },

    /** Idempotent: retiring a retired printer keeps its first retirement time. */
    async retire(principal: Principal | null, id: string): Promise<PrinterRecord> {
      const current = await visible(principal, id, 'printer.manage');
      if (current.retiredAt) return current;
      const retired = await printers.retire(id, clock.now());
      if (!retired) throw new AppError('not_found');
      return retired;
    },
  };
}
