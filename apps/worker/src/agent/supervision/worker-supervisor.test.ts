import { describe, expect, it } from 'vitest';
import type { SupervisorAction } from './supervision.js';
import { WorkerSupervisor } from './worker-supervisor.js';
import { processSpawner } from './worker-process.js';

// Tiny real workers: one that crashes at once, one that runs until told to stop.
const crashing = processSpawner({ file: process.execPath, args: ['-e', 'process.exit(3)', '{printerId}', '{spec}'] });
const steady = processSpawner({ file: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)', '{printerId}', '{spec}'] });

const w = (...ids: string[]) => ids.map((printerId) => ({ printerId, spec: `/dev/${printerId}` }));

describe('WorkerSupervisor with real child processes', () => {
  it('restarts a crashing worker with growing back-off until stopped', async () => {
    const actions: SupervisorAction[] = [];
    const exits: Array<number | null> = [];
    let supervisor: WorkerSupervisor | undefined = undefined;
    const fourSpawns = new Promise<void>((resolve) => {
      supervisor = new WorkerSupervisor({
        spawnWorker: crashing,
        policy: { baseMs: 5, maxMs: 20, stableMs: 60_000 },
        onAction: (a) => {
          actions.push(a);
          if (actions.filter((x) => x.type === 'spawn').length === 4) resolve();
        },
        onExit: (_id, code) => exits.push(code),
      });
      supervisor.setWorkers(w('p1'));
      supervisor.openGate();
    });
    await fourSpawns;
    await supervisor!.stop();
    const delays = actions.flatMap((a) => (a.type === 'restart-scheduled' ? [a.delayMs] : []));
    expect(delays.slice(0, 3)).toEqual([5, 10, 20]);
    expect(exits.slice(0, 3)).toEqual([3, 3, 3]);
    expect(supervisor!.running()).toEqual([]);
  });

  it('spawns nothing until the gate opens', async () => {
    const actions: SupervisorAction[] = [];
    const supervisor = new WorkerSupervisor({ spawnWorker: steady, onAction: (a) => actions.push(a) });
    supervisor.setWorkers(w('p1', 'p2'));
    expect(supervisor.running()).toEqual([]);
    supervisor.openGate();
    expect(supervisor.running().sort()).toEqual(['p1', 'p2']);
    await supervisor.stop();
    expect(actions.filter((a) => a.type === 'spawn')).toHaveLength(2);
  });

  it('stops the worker of an unplugged printer with SIGTERM and keeps the others', async () => {
    const signals: Array<[string, NodeJS.Signals | null]> = [];
    let unplugged: () => void = () => undefined;
    const exited = new Promise<void>((resolve) => {
      unplugged = resolve;
    });
    const supervisor = new WorkerSupervisor({
      spawnWorker: steady,
      onExit: (id, _code, signal) => {
        signals.push([id, signal]);
        unplugged();
      },
    });
    supervisor.openGate();
    supervisor.setWorkers(w('p1', 'p2'));
    supervisor.setWorkers(w('p2'));
    await exited;
    expect(signals).toEqual([['p1', 'SIGTERM']]);
    expect(supervisor.running()).toEqual(['p2']);
    await supervisor.stop();
  });

  it('treats a worker command that cannot start as a crash', async () => {
    const actions: SupervisorAction[] = [];
    let supervisor: WorkerSupervisor | undefined = undefined;
    const restarted = new Promise<void>((resolve) => {
      supervisor = new WorkerSupervisor({
        spawnWorker: processSpawner({ file: '/nonexistent/worker', args: [] }),
        policy: { baseMs: 5, maxMs: 5, stableMs: 60_000 },
        onAction: (a) => {
          actions.push(a);
          if (a.type === 'restart-scheduled') resolve();
        },
      });
      supervisor.openGate();
      supervisor.setWorkers(w('p1'));
    });
    await restarted;
    await supervisor!.stop();
    expect(actions[0]).toEqual({ type: 'spawn', printerId: 'p1', spec: '/dev/p1' });
  });
});
