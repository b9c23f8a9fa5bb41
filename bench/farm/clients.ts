// The dashboard clients: one in the bench process (it also tells the bench
// each printer's state) and the rest in the clients process. Both record
// event latencies; the bench merges them at the end.
import { join } from 'node:path';
import type { FromClients, ToClients } from './clients-process.js';
import { LatencyRecorder, openLiveSocket, recordEvent, type LiveMessage } from './live-clients.js';
import type { ManagerApi } from './manager-api.js';
import type { BenchProcess, ProcessSet } from './processes.js';

export interface DashboardClients {
  /** The clients process (undefined with a single client). */
  readonly pid: number | undefined;
  setPhase(phase: string | undefined): void;
  /** Every client's latencies, merged, and how many sockets closed unexpectedly. */
  report(): Promise<{ recorder: LatencyRecorder; unexpectedCloses: number }>;
}

async function ticket(api: ManagerApi): Promise<string> {
  const res = await api.call<{ ticket: string }>('POST', '/api/live/ticket', {});
  if (res.status !== 200) throw new Error(`live ticket: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.ticket;
}

export async function startDashboardClients(
  processes: ProcessSet,
  api: ManagerApi,
  options: { count: number; repoRoot: string; follow: (message: LiveMessage) => void },
): Promise<DashboardClients> {
  const target = { url: api.url, origin: api.origin, cookie: api.cookie };
  const local = new LatencyRecorder();
  let localCloses = 0;
  let closing = false;
  const ws = await openLiveSocket(
    target,
    await ticket(api),
    (text, at) => {
      recordEvent(local, text, at);
      options.follow(JSON.parse(text) as LiveMessage);
    },
    () => {
      if (!closing) localCloses++;
    },
  );

  const others = options.count - 1;
  let child: BenchProcess | undefined;
  const replies: ((message: FromClients) => void)[] = [];
  if (others > 0) {
    child = processes.start({
      name: 'dashboard clients',
      file: process.execPath,
      args: ['--import', 'tsx', join(options.repoRoot, 'bench/farm/clients-process.ts')],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      cwd: options.repoRoot,
      ipc: true,
    });
    child.child.on('message', (message: FromClients) => replies.shift()?.(message));
    const tickets: string[] = [];
    for (let i = 0; i < others; i++) tickets.push(await ticket(api));
    const answer = await ask(child, replies, { type: 'start', target, tickets });
    if (answer.type !== 'ready') throw new Error(`dashboard clients: ${answer.type === 'failed' ? answer.message : answer.type}`);
  }

  return {
    pid: child?.pid,
    setPhase(phase) {
      local.phase = phase;
      child?.child.send({ type: 'phase', phase } satisfies ToClients);
    },
    async report() {
      closing = true;
      ws.close();
      let unexpectedCloses = localCloses;
      if (child) {
        const answer = await ask(child, replies, { type: 'report' });
        if (answer.type === 'report') {
          local.merge(answer.samples);
          unexpectedCloses += answer.unexpectedCloses;
        }
        await child.stop();
      }
      return { recorder: local, unexpectedCloses };
    },
  };
}

function ask(child: BenchProcess, replies: ((message: FromClients) => void)[], message: ToClients): Promise<FromClients> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dashboard clients did not answer ${message.type}\n${child.tail()}`)), 120_000);
    replies.push((answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
    child.child.send(message);
  });
}
