// Preloaded into every child the agent starts (`node --import tsx --import
// <this file> …`): the agent gives the child a stdin pipe it never writes to,
// and the kernel closes that pipe when the agent exits for any reason,
// SIGKILL included. The child then gets SIGTERM from itself, so its own
// shutdown runs (a port worker closes its serial port, a virtual printer
// stops socat) and no orphan keeps a printer's port open.
import { fstatSync } from 'node:fs';

function stdinIsPipe(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

if (stdinIsPipe()) {
  let stopping = false;
  // Once only: a second SIGTERM could cut the child's own graceful shutdown short.
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.kill(process.pid, 'SIGTERM');
  };
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  process.stdin.on('error', stop);
  process.stdin.on('data', () => undefined);
  process.stdin.resume();
  // Watching the pipe must not keep an otherwise finished child alive.
  (process.stdin as { unref?: () => void }).unref?.();
}
