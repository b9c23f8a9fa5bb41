// Dashboard stand-ins: WebSocket clients of the live feed that note, for every
// state and temperature event, how long after the worker's `at` it arrived
// (same machine, same clock).
import WebSocket from 'ws';

export type EventKind = 'state' | 'temperature';
export type LiveMessage = { type: string; [key: string]: unknown };

/** Latencies in ms per measurement phase and event kind; nothing is kept while the phase is undefined. */
export class LatencyRecorder {
  phase: string | undefined;
  readonly #samples = new Map<string, number[]>();

  record(kind: EventKind, ms: number): void {
    if (this.phase === undefined) return;
    this.#list(`${this.phase}|${kind}`).push(ms);
  }

  samples(phase: string, kind: EventKind): number[] {
    return this.#samples.get(`${phase}|${kind}`) ?? [];
  }

  dump(): Record<string, number[]> {
    return Object.fromEntries(this.#samples);
  }

  /** Adds another recorder's samples (the clients process's). */
  merge(dump: Record<string, number[]>): void {
    for (const [key, values] of Object.entries(dump)) {
      const list = this.#list(key);
      // One by one: spreading hundreds of thousands of arguments overflows the stack.
      for (const value of values) list.push(value);
    }
  }

  #list(key: string): number[] {
    let list = this.#samples.get(key);
    if (!list) this.#samples.set(key, (list = []));
    return list;
  }
}

// The manager relays events as the worker wrote them: type first, then at.
const EVENT_HEAD = /^\{"type":"printer\.(state|temperature)","at":(\d+)/;

/** Records the latency of a state or temperature event; reads only the head of the text (the hot path). */
export function recordEvent(recorder: LatencyRecorder, text: string, receivedAt: number): void {
  const head = EVENT_HEAD.exec(text);
  if (head) recorder.record(head[1] as EventKind, receivedAt - Number(head[2]));
}

export interface FeedTarget {
  url: string;
  origin: string;
  cookie: string;
}

/** Opens the live feed with a ticket, same-origin with the session cookie; `onText` gets every frame and its receive time. */
export async function openLiveSocket(target: FeedTarget, ticket: string, onText: (text: string, receivedAt: number) => void, onClose: () => void): Promise<WebSocket> {
  const ws = new WebSocket(`${target.url.replace(/^http/, 'ws')}/api/live?ticket=${encodeURIComponent(ticket)}`, {
    headers: { origin: target.origin, cookie: target.cookie },
  });
  ws.on('message', (data: Buffer) => onText(data.toString(), Date.now()));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('error', () => undefined); // the close that follows is what counts
  ws.on('close', onClose);
  return ws;
}
