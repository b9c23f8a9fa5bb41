import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import type { LinkCallbacks, LinkEndpoint } from './link-endpoint.js';
import type { PtyPair } from './pty-pair.js';
import { openPtyPair } from './pty-pair.js';

/**
 * The printer behind a socat pseudo-terminal pair: the host opens `hostPath`,
 * the printer holds the other end through `serialport`. Dropping the link
 * stops socat, so the host's device disappears like an unplugged USB cable;
 * it is recreated at the same path afterwards.
 */
export async function openPtyEndpoint(hostPath: string | undefined, callbacks: LinkCallbacks): Promise<LinkEndpoint> {
  const dir = await mkdtemp(join(tmpdir(), 'vp-'));
  const address = hostPath ?? join(dir, 'host');
  const printerPath = join(dir, 'printer');
  let pair: PtyPair | undefined;
  let port: SerialPort | undefined;
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const attach = async (): Promise<void> => {
    const current = await openPtyPair({ a: address, b: printerPath });
    pair = current;
    const serial = new SerialPort({ path: current.b, baudRate: 250_000, autoOpen: false });
    await new Promise<void>((resolve, reject) => serial.open((error) => (error ? reject(error) : resolve())));
    port = serial;
    serial.on('data', (chunk: Buffer) => callbacks.data(chunk));
    serial.on('error', () => undefined);
    void current.exited.then(() => {
      if (pair !== current) return;
      detachPort();
      pair = undefined;
      if (!closed) callbacks.closed();
    });
  };

  const detachPort = (): void => {
    const serial = port;
    port = undefined;
    if (serial?.isOpen) serial.close(() => undefined);
  };

  const detach = async (): Promise<void> => {
    detachPort();
    const current = pair;
    pair = undefined;
    await current?.close();
  };

  await attach();

  return {
    address,
    write(data: Buffer): void {
      if (port?.isOpen) port.write(data);
    },
    drop(reconnectAfterMs: number): void {
      void detach().then(() => {
        if (closed) return;
        callbacks.closed();
        reconnectTimer = setTimeout(() => {
          if (!closed) attach().catch(() => callbacks.closed());
        }, reconnectAfterMs);
      });
    },
    async close(): Promise<void> {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      await detach();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
