import { describe, expect, it } from 'vitest';
import type { ManagedProcess, ProcessExit } from '../../scripts/launcher/managed-process.js';
import { exitCodeFor } from '../../scripts/launcher/outcome.js';
import { ProcessSet } from '../../scripts/launcher/process-set.js';

// A stand-in child whose stop finishes only when the test says so.
function fakeProcess(name: string, events: string[]): ManagedProcess & { finish(): void } {
  let running = true;
  let resolveExit: (exit: ProcessExit) => void = () => undefined;
  const exited = new Promise<ProcessExit>((resolve) => (resolveExit = resolve));
  const finish = (): void => {
    running = false;
    events.push(`${name} exited`);
    resolveExit({ code: 0, signal: null });
  };
  return {
    name,
    pid: 0,
    exited,
    isRunning: () => running,
    stop: () => {
      events.push(`${name} asked to stop`);
      return exited;
    },
    killNow: () => events.push(`${name} killed`),
    finish,
  };
}

describe('ProcessSet', () => {
  it('stops the apps first, then Redis, then Postgres: the reverse of start order', () => {
    const set = new ProcessSet();
    for (const name of ['postgres', 'redis', 'manager', 'agent']) set.add(fakeProcess(name, []));
    expect(set.stopOrder()).toEqual(['agent', 'manager', 'redis', 'postgres']);
  });

  it('waits for each child to exit before asking the next one to stop', async () => {
    const events: string[] = [];
    const postgres = fakeProcess('postgres', events);
    const manager = fakeProcess('manager', events);
    const set = new ProcessSet();
    set.add(postgres);
    set.add(manager);
    const stopping = set.stopAll(() => undefined);
    await Promise.resolve();
    expect(events).toEqual(['manager asked to stop']);
    manager.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['manager asked to stop', 'manager exited', 'postgres asked to stop']);
    postgres.finish();
    await stopping;
  });

  it('skips children that already exited', async () => {
    const events: string[] = [];
    const manager = fakeProcess('manager', events);
    manager.finish();
    const set = new ProcessSet();
    set.add(manager);
    await set.stopAll(() => undefined);
    expect(events).toEqual(['manager exited']);
  });

  it('reports the first child that exits on its own', async () => {
    const set = new ProcessSet();
    const redis = fakeProcess('redis', []);
    set.add(fakeProcess('postgres', []));
    set.add(redis);
    redis.finish();
    await expect(set.firstExit()).resolves.toEqual({ name: 'redis', exit: { code: 0, signal: null } });
  });
});

describe('exit status', () => {
  it('is 0 when asked to stop and everything stopped', () => {
    expect(exitCodeFor({ kind: 'stopped', signal: 'SIGINT' })).toBe(0);
  });

  it("passes on a crashed child's code, and is never 0 when a child ended on its own", () => {
    expect(exitCodeFor({ kind: 'child-exited', name: 'manager', exit: { code: 3, signal: null } })).toBe(3);
    expect(exitCodeFor({ kind: 'child-exited', name: 'manager', exit: { code: 0, signal: null } })).toBe(1);
    expect(exitCodeFor({ kind: 'child-exited', name: 'redis', exit: { code: null, signal: 'SIGKILL' } })).toBe(1);
  });

  it("is the failure's own code when the start failed", () => {
    expect(exitCodeFor({ kind: 'failed', exitCode: 69 })).toBe(69);
  });
});
