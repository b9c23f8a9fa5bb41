// The manager's side of the live feed: one Redis subscriber for the whole
// process, fanned out to every dashboard socket through the permission and
// group filter, plus the periodic work (session re-checks, the offline sweep,
// camera-watch refreshes). Each manager runs its own hub; nothing here is
// published back to Redis except the camera-watch marker the worker reads.
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { WebSocket } from 'ws';
import Value from 'typebox/value';
import { LiveEvent, type LiveKeys, type Permission } from '@farm/contracts';
import type { AuthService } from '../auth/auth.service.js';
import { hasPermission, inGroupScope } from '../auth/authorize.js';
import type { UserPrincipal } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { LiveStateReader } from '../live/live-state.js';
import type { PrintersService } from '../printers/printers.service.js';
import { parseClientMessage, type ClientMessage } from './client-messages.js';
import { mayReceive, printerIdOf } from './event-routing.js';
import { CLOSE_SESSION_ENDED, FeedClient } from './feed-client.js';
import { liveSummaryOf } from './live-summary.js';
import { createPrinterGroups } from './printer-groups.js';

export type FeedTimings = {
  /** How often each socket's session is checked again. */
  sessionRecheckMs: number;
  /** How often heartbeats are swept for printers that went offline. */
  offlineSweepMs: number;
  /** How often a watched camera's marker is refreshed (it expires after `cameraWatchTtlSeconds`). */
  cameraRefreshMs: number;
  cameraWatchTtlSeconds: number;
  /** Default (and fastest) temperature update interval per client and printer. */
  temperatureIntervalMs: number;
};

export const DEFAULT_FEED_TIMINGS: FeedTimings = {
  sessionRecheckMs: 10_000,
  offlineSweepMs: 2_000,
  cameraRefreshMs: 10_000,
  cameraWatchTtlSeconds: 30,
  temperatureIntervalMs: 1_000,
};

export interface FeedHubDeps {
  redis: Redis;
  keys: LiveKeys;
  liveState: Pick<LiveStateReader, 'read'>;
  printers: Pick<PrintersService, 'list'>;
  auth: Pick<AuthService, 'principalForSession'>;
  clock: Clock;
  log: FastifyBaseLogger;
  timings?: Partial<FeedTimings>;
}

type ErrorCode = 'bad_message' | 'not_found' | 'forbidden';

export type FeedHub = ReturnType<typeof createFeedHub>;

export function createFeedHub(deps: FeedHubDeps) {
  const { redis, keys, log } = deps;
  const timings: FeedTimings = { ...DEFAULT_FEED_TIMINGS, ...deps.timings };
  const clients = new Set<FeedClient>();
  const groups = createPrinterGroups(() => deps.printers.list({ kind: 'system' }));
  /** printerId → local clients reading its serial log; the log channel is subscribed while non-empty. */
  const logListeners = new Map<string, Set<FeedClient>>();
  /** printerId → local clients watching its camera. */
  const cameraWatchers = new Map<string, Set<FeedClient>>();
  /** Printers whose heartbeat was present at the last sweep. */
  const online = new Set<string>();
  const logChannels = new Map<string, string>();
  let subscriber: Redis | null = null;
  let timers: NodeJS.Timeout[] = [];
  // Events are handled one after another, so a group reload never reorders them.
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const at = () => deps.clock.now().getTime();
  const json = (value: unknown) => JSON.stringify(value);

  function parseEvent(text: string): LiveEvent | null {
    try {
      const value: unknown = JSON.parse(text);
      // Redis is not trusted: only contract-shaped events are relayed, re-serialised.
      return Value.Check(LiveEvent, value) ? value : null;
    } catch {
      return null;
    }
  }

  function enqueue(work: () => Promise<void>): void {
    chain = chain.then(work).catch((error: unknown) => log.warn({ err: error }, 'live feed: event dropped'));
  }

  async function relay(event: LiveEvent): Promise<void> {
    // Serial log lines travel on their own per-printer channels, only to listeners.
    if (event.type === 'printer.log') return;
    const printerId = printerIdOf(event);
    if (printerId !== null && !(await groups.knows(printerId))) return;
    const text = json(event);
    for (const client of clients) {
      if (!mayReceive(client.principal, event, groups.groupOf)) continue;
      if (event.type === 'printer.temperature' && printerId !== null) client.sendTemperature(printerId, text);
      else client.send(text);
    }
  }

  function relayLog(printerId: string, event: LiveEvent): void {
    if (event.type !== 'printer.log' || event.printerId !== printerId) return;
    const listeners = logListeners.get(printerId);
    if (!listeners) return;
    const text = json(event);
    for (const client of listeners) if (mayReceive(client.principal, event, groups.groupOf)) client.send(text);
  }

  function onMessage(channel: string, text: string): void {
    const event = parseEvent(text);
    if (!event) return;
    if (channel === keys.events) {
      enqueue(() => relay(event));
      return;
    }
    const printerId = logChannels.get(channel);
    if (printerId !== undefined) relayLog(printerId, event);
  }

  // --- per-client requests -------------------------------------------------

  function replyError(client: FeedClient, code: ErrorCode, message: string, request?: ClientMessage): void {
    client.send(json({ type: 'error', code, message, ...(request ? { request } : {}) }));
  }

  /** Group first, so a refusal never confirms that a printer outside the user's groups exists. */
  async function access(client: FeedClient, printerId: string, permission: Permission): Promise<ErrorCode | null> {
    if (!(await groups.knows(printerId)) || !inGroupScope(client.principal.groups, groups.groupOf(printerId))) return 'not_found';
    return hasPermission(client.principal, permission) ? null : 'forbidden';
  }

  async function addLogListener(client: FeedClient, printerId: string): Promise<void> {
    client.logs.add(printerId);
    let listeners = logListeners.get(printerId);
    if (!listeners) {
      listeners = new Set();
      logListeners.set(printerId, listeners);
      const channel = keys.printerLog(printerId);
      logChannels.set(channel, printerId);
      await subscriber?.subscribe(channel);
    }
    listeners.add(client);
  }

  async function removeLogListener(client: FeedClient, printerId: string): Promise<void> {
    client.logs.delete(printerId);
    const listeners = logListeners.get(printerId);
    if (!listeners) return;
    listeners.delete(client);
    if (listeners.size > 0) return;
    logListeners.delete(printerId);
    const channel = keys.printerLog(printerId);
    logChannels.delete(channel);
    if (subscriber && !stopped) await subscriber.unsubscribe(channel);
  }

  async function markWatched(printerIds: readonly string[]): Promise<void> {
    if (printerIds.length === 0) return;
    const pipeline = redis.pipeline();
    for (const id of printerIds) pipeline.set(keys.snapshotWatchers(id), '1', 'EX', timings.cameraWatchTtlSeconds);
    await pipeline.exec();
  }

  async function addCameraWatcher(client: FeedClient, printerId: string): Promise<void> {
    client.cameras.add(printerId);
    let watchers = cameraWatchers.get(printerId);
    if (!watchers) {
      watchers = new Set();
      cameraWatchers.set(printerId, watchers);
    }
    watchers.add(client);
    await markWatched([printerId]);
  }

  function removeCameraWatcher(client: FeedClient, printerId: string): void {
    // The marker is left to expire: another manager's clients may still be watching.
    client.cameras.delete(printerId);
    const watchers = cameraWatchers.get(printerId);
    watchers?.delete(client);
    if (watchers?.size === 0) cameraWatchers.delete(printerId);
  }

  async function handleRequest(client: FeedClient, message: ClientMessage): Promise<void> {
    const ack = () => client.send(json({ type: 'ack', request: message }));
    switch (message.type) {
      case 'log.subscribe': {
        const refused = await access(client, message.printerId, 'terminal.read');
        if (refused) return replyError(client, refused, refused === 'not_found' ? 'No such printer.' : 'Reading the serial log needs terminal.read.', message);
        if (!client.open) return;
        await addLogListener(client, message.printerId);
        return ack();
      }
      case 'log.unsubscribe':
        await removeLogListener(client, message.printerId);
        return ack();
      case 'camera.watch': {
        const refused = await access(client, message.printerId, 'webcam.view');
        if (refused) return replyError(client, refused, refused === 'not_found' ? 'No such printer.' : 'Watching the camera needs webcam.view.', message);
        if (!client.open) return;
        await addCameraWatcher(client, message.printerId);
        return ack();
      }
      case 'camera.unwatch':
        removeCameraWatcher(client, message.printerId);
        return ack();
      case 'temperature.interval':
        client.temperatureIntervalMs = Math.max(message.intervalMs, timings.temperatureIntervalMs);
        return ack();
    }
  }

  function onClientMessage(client: FeedClient, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (!client.admitMessage()) return;
    const parsed = isBinary ? { ok: false as const } : parseClientMessage(Buffer.isBuffer(data) ? data.toString('utf8') : '');
    if (!parsed.ok) return replyError(client, 'bad_message', 'The message does not match the expected shape.');
    handleRequest(client, parsed.message).catch((error: unknown) => {
      log.warn({ err: error }, 'live feed: client request failed');
      replyError(client, 'bad_message', 'The request could not be handled.', parsed.message);
    });
  }

  function detach(client: FeedClient): void {
    if (!clients.delete(client)) return;
    for (const printerId of [...client.logs])
      removeLogListener(client, printerId).catch((error: unknown) => log.warn({ err: error }, 'live feed: unsubscribe failed'));
    for (const printerId of [...client.cameras]) removeCameraWatcher(client, printerId);
    client.dispose();
  }

  async function snapshotFor(principal: UserPrincipal): Promise<string> {
    const printers = await deps.printers.list(principal);
    const views = await deps.liveState.read(printers.map((p) => p.id));
    return json({
      type: 'snapshot',
      at: at(),
      printers: printers.map((p, i) => ({
        id: p.id,
        name: p.name,
        groupId: p.groupId,
        live: liveSummaryOf(views[i] ?? { printerId: p.id, online: false, state: null, heartbeat: null }),
      })),
    });
  }

  // --- periodic work -------------------------------------------------------

  let recheckRunning = false;
  let recheckAgain = false;

  async function recheckSessions(): Promise<void> {
    if (recheckRunning) {
      recheckAgain = true;
      return;
    }
    recheckRunning = true;
    try {
      do {
        recheckAgain = false;
        await Promise.all([...clients].map(recheck));
      } while (recheckAgain);
    } finally {
      recheckRunning = false;
    }
  }

  async function recheck(client: FeedClient): Promise<void> {
    // Watching is not activity: an unattended dashboard's session still idles out (SECURITY.md: idle 30 min).
    const principal = await deps.auth.principalForSession(client.sessionCookie, { touch: false });
    if (!principal || !hasPermission(principal, 'printer.read')) {
      client.close(CLOSE_SESSION_ENDED, 'session ended');
      return;
    }
    client.principal = principal;
    // Rights may have narrowed without the session ending: drop what is no longer allowed.
    for (const printerId of [...client.logs])
      if ((await access(client, printerId, 'terminal.read')) !== null) await removeLogListener(client, printerId);
    for (const printerId of [...client.cameras])
      if ((await access(client, printerId, 'webcam.view')) !== null) removeCameraWatcher(client, printerId);
  }

  let sweeping: Promise<void> | null = null;
  let sweepAgain: Promise<void> | null = null;

  async function sweepOnce(): Promise<void> {
    await groups.fresh();
    const views = await deps.liveState.read(groups.printerIds());
    for (const view of views) {
      if (view.online) online.add(view.printerId);
      else if (online.delete(view.printerId)) {
        const event: LiveEvent = { type: 'printer.offline', at: at(), printerId: view.printerId };
        enqueue(() => relay(event));
      }
    }
  }

  /** Resolves after a sweep that started after the call (one runs at a time; callers during a run share the next). */
  function sweepOffline(): Promise<void> {
    if (!sweeping) {
      sweeping = sweepOnce().finally(() => {
        sweeping = null;
      });
      return sweeping;
    }
    sweepAgain ??= sweeping
      .catch(() => undefined)
      .then(() => {
        sweepAgain = null;
        return sweepOffline();
      });
    return sweepAgain;
  }

  function every(ms: number, work: () => Promise<void>, what: string): void {
    const timer = setInterval(() => {
      work().catch((error: unknown) => log.warn({ err: error }, `live feed: ${what} failed`));
    }, ms);
    timer.unref();
    timers.push(timer);
  }

  return {
    timings,

    async start(): Promise<void> {
      // Its own connection that queues while Redis is away: a manager must boot
      // (and answer /api/health with 503) while Redis is down, and ioredis
      // re-subscribes by itself once Redis is back.
      subscriber = redis.duplicate({ enableOfflineQueue: true, lazyConnect: false, maxRetriesPerRequest: null });
      subscriber.on('error', (error: unknown) => log.warn({ err: error }, 'live feed: Redis subscriber error'));
      subscriber.on('message', onMessage);
      subscriber.subscribe(keys.events).catch((error: unknown) => log.warn({ err: error }, 'live feed: subscribing to events failed'));
      every(timings.sessionRecheckMs, recheckSessions, 'session re-check');
      every(timings.offlineSweepMs, sweepOffline, 'offline sweep');
      every(timings.cameraRefreshMs, () => markWatched([...cameraWatchers.keys()]), 'camera refresh');
    },

    /** Says goodbye (1001) to every socket; the hub keeps running until stop(). */
    closeClients(): void {
      for (const client of [...clients]) {
        client.close(1001, 'server closing');
        detach(client);
      }
    },

    async stop(): Promise<void> {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      timers = [];
      this.closeClients();
      const sub = subscriber;
      subscriber = null;
      if (sub?.status === 'ready') await sub.quit().catch(() => sub.disconnect());
      else sub?.disconnect();
    },

    /** Takes over an accepted socket: snapshot first, then changes. */
    attach(socket: WebSocket, principal: UserPrincipal, sessionCookie: string): void {
      const client = new FeedClient(socket, principal, sessionCookie, timings.temperatureIntervalMs);
      clients.add(client);
      socket.on('message', (data, isBinary) => onClientMessage(client, data, isBinary));
      socket.on('close', () => detach(client));
      snapshotFor(principal).then(
        (text) => client.sendSnapshot(text),
        (error: unknown) => {
          log.warn({ err: error }, 'live feed: snapshot failed');
          client.close(1011, 'snapshot failed');
        },
      );
    },

    recheckSessions,
    sweepOffline,
    /** Printers were created, moved or retired: reload groups before the next event. */
    invalidatePrinters: () => groups.invalidate(),
    get clientCount() {
      return clients.size;
    },
  };
}
