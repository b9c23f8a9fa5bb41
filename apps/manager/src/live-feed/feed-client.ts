// One dashboard socket: who is behind it, what it listens to, and the pacing
// of what it is sent. The hub decides what reaches which client; the client
// decides when and whether its socket can take it.
import type { WebSocket } from 'ws';
import type { UserPrincipal } from '../auth/principal.js';
import { sendDecision, throttleDecision } from './pacing.js';

/** Close codes the dashboard acts on. */
export const CLOSE_SESSION_ENDED = 4401;
export const CLOSE_TOO_CHATTY = 4429;

/** Messages a client may send per window before it is closed (a dashboard opening a grid of cameras stays well below). */
export const MESSAGE_BURST = 120;
export const MESSAGE_WINDOW_MS = 10_000;
/** Events held while the snapshot is prepared; more than this and the client starts over. */
const MAX_HELD = 2_000;

type Throttle = { lastSentMs: number | undefined; pending: string | null; timer: NodeJS.Timeout | null };

export class FeedClient {
  principal: UserPrincipal;
  readonly logs = new Set<string>();
  readonly cameras = new Set<string>();
  temperatureIntervalMs: number;
  #held: string[] | null = [];
  readonly #throttles = new Map<string, Throttle>();
  #messages = 0;
  #windowStart = performance.now();

  constructor(
    readonly socket: WebSocket,
    principal: UserPrincipal,
    /** The session cookie the socket was opened with, to re-check the session. */
    readonly sessionCookie: string,
    defaultTemperatureIntervalMs: number,
  ) {
    this.principal = principal;
    this.temperatureIntervalMs = defaultTemperatureIntervalMs;
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** Sends the snapshot, then whatever arrived while it was being read. */
  sendSnapshot(text: string): void {
    const held = this.#held ?? [];
    this.#held = null;
    this.#write(text, false);
    for (const message of held) this.#write(message, false);
  }

  send(text: string): void {
    if (this.#held) {
      if (this.#held.length >= MAX_HELD) this.socket.terminate();
      else this.#held.push(text);
      return;
    }
    this.#write(text, false);
  }

  /** Temperature samples: throttled per printer and dropped first under back-pressure. */
  sendTemperature(printerId: string, text: string): void {
    if (this.#held) return; // The snapshot carries current temperatures.
    let throttle = this.#throttles.get(printerId);
    if (!throttle) {
      throttle = { lastSentMs: undefined, pending: null, timer: null };
      this.#throttles.set(printerId, throttle);
    }
    const now = performance.now();
    const decision = throttleDecision(now, throttle.lastSentMs, this.temperatureIntervalMs, throttle.pending !== null);
    switch (decision.kind) {
      case 'now':
        throttle.lastSentMs = now;
        this.#write(text, true);
        return;
      case 'pending':
        throttle.pending = text;
        return;
      case 'later': {
        throttle.pending = text;
        const t = throttle;
        t.timer = setTimeout(() => {
          t.timer = null;
          const latest = t.pending;
          t.pending = null;
          t.lastSentMs = performance.now();
          if (latest !== null && this.open) this.#write(latest, true);
        }, decision.inMs);
        return;
      }
    }
  }

  /** Counts an incoming message; false when the client exceeded its rate and was closed. */
  admitMessage(): boolean {
    const now = performance.now();
    if (now - this.#windowStart > MESSAGE_WINDOW_MS) {
      this.#windowStart = now;
      this.#messages = 0;
    }
    this.#messages += 1;
    if (this.#messages <= MESSAGE_BURST) return true;
    this.close(CLOSE_TOO_CHATTY, 'too many messages');
    return false;
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) this.socket.close(code, reason);
  }

  /** Stops timers; called once the socket is gone. */
  dispose(): void {
    for (const t of this.#throttles.values()) if (t.timer) clearTimeout(t.timer);
    this.#throttles.clear();
    this.#held = null;
  }

  #write(text: string, droppable: boolean): void {
    if (!this.open) return;
    switch (sendDecision(this.socket.bufferedAmount, droppable)) {
      case 'send':
        this.socket.send(text);
        return;
      case 'drop':
        return;
      case 'close':
        // A close frame would queue behind megabytes; drop the connection instead.
        this.socket.terminate();
        return;
    }
  }
}
