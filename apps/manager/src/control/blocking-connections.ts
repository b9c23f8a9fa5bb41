// Connections for blocking reads (XREAD BLOCK would stall every other command
// queued on the app's shared connection), reused between requests.
import type { Redis } from 'ioredis';

export interface BlockingConnections {
  /** Runs `use` with a connection of its own; the connection is reused afterwards. */
  with<T>(use: (connection: Redis) => Promise<T>): Promise<T>;
  close(): void;
}

export function createBlockingConnections(base: Redis, maxIdle = 8): BlockingConnections {
  const idle: Redis[] = [];
  const open = new Set<Redis>();
  let closed = false;

  function acquire(): Redis {
    const reused = idle.pop();
    if (reused) return reused;
    const connection = base.duplicate();
    // Errors surface on the command that failed; the event only keeps the process alive.
    connection.on('error', () => undefined);
    open.add(connection);
    return connection;
  }

  function release(connection: Redis, healthy: boolean): void {
    if (closed || !healthy || idle.length >= maxIdle) {
      open.delete(connection);
      connection.disconnect();
    } else {
      idle.push(connection);
    }
  }

  return {
    async with(use) {
      if (closed) throw new Error('closed');
      const connection = acquire();
      let healthy = false;
      try {
        const result = await use(connection);
        healthy = true;
        return result;
      } finally {
        release(connection, healthy);
      }
    },
    close() {
      closed = true;
      for (const connection of open) connection.disconnect();
      open.clear();
      idle.length = 0;
    },
  };
}
