// Polls a readiness probe until it succeeds, the process dies, or time runs out.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedProcess } from './managed-process.js';

export async function waitUntilReady(
  proc: ManagedProcess,
  probe: () => Promise<void>,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    options.signal.throwIfAborted();
    if (!proc.isRunning()) {
      const exit = await proc.exited;
      throw new Error(`${proc.name} exited during start (code ${exit.code ?? '-'}, signal ${exit.signal ?? '-'})`);
    }
    try {
      await probe();
      return;
    } catch (err) {
      lastError = err;
    }
    await sleep(100, undefined, { signal: options.signal });
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`${proc.name} did not become ready within ${options.timeoutMs / 1000} s (${reason})`);
}
