// What one scrape reports, gathered in four cheap reads: printers and hosts
// from Postgres, then one MGET for every printer's state + heartbeat and one
// for every host's status + ports report. Label values come from Postgres
// (printer ids and names) or from schema-checked enums (status, heater), so
// nothing a Redis writer puts there can grow the label space.
import type { Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import Value from 'typebox/value';
import { HostStatus, type HeaterTemperature, type LinkStats, type LiveKeys, type PrinterStatus } from '@farm/contracts';
import type { Database } from '@farm/db';
import type { LiveStateReader } from '../live/live-state.js';

export type PrinterReading = {
  readonly id: string;
  readonly name: string;
  readonly status: PrinterStatus;
  /** Live figures only while the worker's heartbeat is there: a dead worker's last values would mislead. */
  readonly heaters: readonly HeaterTemperature[];
  readonly stats: LinkStats | null;
  /** Worker restarts the printer's host agent reports; null when that host is silent. */
  readonly workerRestarts: number | null;
};

export type FarmReadings = {
  readonly printers: readonly PrinterReading[];
  readonly hostsKnown: number;
  readonly hostsOnline: number;
};

function parseHostStatus(text: string | null | undefined, hostId: string): HostStatus | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return Value.Check(HostStatus, value) && value.hostId === hostId ? value : null;
  } catch {
    return null;
  }
}

export function createFarmReadings(deps: { db: Kysely<Database>; redis: Redis; liveState: LiveStateReader; keys: LiveKeys }) {
  const { db, redis, liveState, keys } = deps;

  async function hostReadings(hostIds: readonly string[]) {
    if (hostIds.length === 0) return new Map<string, { online: boolean; status: HostStatus | null }>();
    const values = await redis.mget(hostIds.flatMap((id) => [keys.hostStatus(id), keys.hostPorts(id)]));
    return new Map(
      hostIds.map((id, i) => {
        const statusText = values[2 * i];
        const portsText = values[2 * i + 1];
        // Either report is written only by a running agent, and both expire when it stops.
        const online = (statusText ?? null) !== null || (portsText ?? null) !== null;
        return [id, { online, status: parseHostStatus(statusText, id) }] as const;
      }),
    );
  }

  return async function read(): Promise<FarmReadings> {
    const [printers, hosts] = await Promise.all([
      db
        .selectFrom('printers')
        .select(['id', 'name', 'host_id'])
        .where('retired_at', 'is', null)
        .orderBy('name')
        .execute(),
      db.selectFrom('hosts').select('id').where('revoked_at', 'is', null).execute(),
    ]);
    const [views, byHost] = await Promise.all([
      liveState.read(printers.map((p) => p.id)),
      hostReadings(hosts.map((h) => h.id)),
    ]);
    const readings = printers.map((printer, i): PrinterReading => {
      const view = views[i];
      const state = view?.online ? view.state : null;
      // A worker with a heartbeat but no state document yet runs without an open port.
      const status: PrinterStatus = state?.status ?? (view?.online ? 'disconnected' : 'offline');
      const hostStatus = printer.host_id ? byHost.get(printer.host_id)?.status : null;
      const worker = hostStatus?.workers.find((w) => w.printerId === printer.id);
      return {
        id: printer.id,
        name: printer.name,
        status,
        heaters: state?.heaters ?? [],
        stats: state?.stats ?? null,
        workerRestarts: hostStatus ? (worker?.restarts ?? 0) : null,
      };
    });
    let hostsOnline = 0;
    for (const host of byHost.values()) if (host.online) hostsOnline++;
    return { printers: readings, hostsKnown: hosts.length, hostsOnline };
  };
}

export type ReadFarm = ReturnType<typeof createFarmReadings>;
