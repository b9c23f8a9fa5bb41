// Waits until the manager answers HTTP before the host agent starts, so the
// agent's first calls find it (the agent retries anyway; this keeps its log
// free of connection errors while the manager migrates on a first start).
import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedProcess } from './managed-process.js';

export type ManagerReadiness = 'answering' | 'exited' | 'timed-out';

export async function waitForManager(
  proc: ManagedProcess,
  url: string,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<ManagerReadiness> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    options.signal.throwIfAborted();
    // An exit is the launcher's to report (with the manager's own exit code), not a start failure here.
    if (!proc.isRunning()) return 'exited';
    if (await answers(`${url}/api/health`)) return 'answering';
    await sleep(200, undefined, { signal: options.signal });
  }
  return 'timed-out';
}

/** Any HTTP answer counts: health may say 503 while Redis reconnects, yet the agent can talk. */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}
