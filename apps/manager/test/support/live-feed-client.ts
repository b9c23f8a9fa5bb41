// A dashboard's side of the live feed over a real WebSocket, for the manager's
// live-feed tests: a socket that records every message so a test can wait for
// one, and what a dashboard does to open it (ticket, Origin, session cookie).
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { ORIGIN, call, type Harness, type Session } from './harness.js';

export type Message = Record<string, unknown> & { type: string };
/** How long a test waits for a message before it fails. */
export const GUARD_MS = 8_000;

/** A dashboard socket that records every message, so tests can wait for one or check what came before it. */
export class Feed {
  readonly messages: Message[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #cursor = 0;
  #wake: (() => void) | null = null;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.messages.push(JSON.parse(data.toString('utf8')) as Message);
      this.#wake?.();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** The next message (after the previous match) that satisfies the predicate. */
  async next(match: (m: Message) => boolean, what = 'message'): Promise<Message> {
    const deadline = Date.now() + GUARD_MS;
    for (;;) {
      const i = this.messages.findIndex((m, index) => index >= this.#cursor && match(m));
      if (i >= 0) {
        this.#cursor = i + 1;
        return this.messages[i]!;
      }
      if (Date.now() > deadline) throw new Error(`no ${what}; got ${JSON.stringify(this.messages.slice(this.#cursor))}`);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 200);
      });
    }
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  close(): void {
    this.ws.close();
  }
}

export const about = (printerId: string) => (m: Message) => JSON.stringify(m).includes(printerId);
/** Everything after the snapshot. */
export const events = (feed: Feed) => feed.messages.filter((m) => m.type !== 'snapshot');

/** Asks for a ticket as `session` and opens the feed on the app's listening port. */
export async function openFeed(h: Harness, session: Session): Promise<Feed> {
  const ticket = (await call(h, session, { method: 'POST', url: '/api/live/ticket' })).json<{ ticket: string }>().ticket;
  const port = (h.app.server.address() as AddressInfo).port;
  return new Feed(new WebSocket(`ws://127.0.0.1:${port}/api/live?ticket=${ticket}`, { origin: ORIGIN, headers: { cookie: session.cookie } }));
}
