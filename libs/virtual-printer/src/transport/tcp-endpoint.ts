import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { LinkCallbacks, LinkEndpoint } from './link-endpoint.js';

/**
 * The printer behind a network serial bridge (ser2net, ESP3D): a TCP server
 * that serves one host at a time; a second connection is refused while one
 * is open, as ser2net does by default.
 */
export async function openTcpEndpoint(port: number, host: string, callbacks: LinkCallbacks): Promise<LinkEndpoint> {
  let current: Socket | undefined;
  let refuseUntil = 0;
  const server = createServer((socket) => {
    if (current || Date.now() < refuseUntil) {
      socket.destroy();
      return;
    }
    current = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => callbacks.data(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (current !== socket) return;
      current = undefined;
      callbacks.closed();
    });
    callbacks.opened();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  return {
    address: `tcp://${host}:${bound.port}`,
    write(data: Buffer): void {
      if (current && !current.destroyed) current.write(data);
    },
    drop(reconnectAfterMs: number): void {
      refuseUntil = Date.now() + reconnectAfterMs;
      current?.destroy();
    },
    async close(): Promise<void> {
      current?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
