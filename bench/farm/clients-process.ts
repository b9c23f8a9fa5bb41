/**
 * The bench's dashboard clients in a process of their own, so that parsing
 * thousands of frames a second never delays the bench process that times
 * the emergency stops. Driven over IPC by bench/farm/clients.ts:
 *   ← {type:'start', target, tickets}   → {type:'ready'}
 *   ← {type:'phase', phase}
 *   ← {type:'report'}                   → {type:'report', samples, unexpectedCloses}
 */
import type WebSocket from 'ws';
import { LatencyRecorder, openLiveSocket, recordEvent, type FeedTarget } from './live-clients.js';

export type ToClients = { type: 'start'; target: FeedTarget; tickets: string[] } | { type: 'phase'; phase: string | undefined } | { type: 'report' };
export type FromClients = { type: 'ready' } | { type: 'failed'; message: string } | { type: 'report'; samples: Record<string, number[]>; unexpectedCloses: number };

const recorder = new LatencyRecorder();
const sockets: WebSocket[] = [];
let unexpectedCloses = 0;
let closing = false;

function send(message: FromClients): void {
  process.send?.(message);
}

async function start(target: FeedTarget, tickets: string[]): Promise<void> {
  for (const ticket of tickets) {
    sockets.push(
      await openLiveSocket(target, ticket, (text, at) => recordEvent(recorder, text, at), () => {
        if (!closing) unexpectedCloses++;
      }),
    );
  }
}

process.on('message', (message: ToClients) => {
  switch (message.type) {
    case 'start':
      start(message.target, message.tickets).then(
        () => send({ type: 'ready' }),
        (error: unknown) => send({ type: 'failed', message: String(error) }),
      );
      return;
    case 'phase':
      recorder.phase = message.phase;
      return;
    case 'report':
      send({ type: 'report', samples: recorder.dump(), unexpectedCloses });
      return;
  }
});

// Stopped by SIGTERM (or its parent going away): close the sockets first.
process.once('SIGTERM', () => {
  closing = true;
  for (const ws of sockets) ws.close();
  setTimeout(() => process.exit(0), 200);
});
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
