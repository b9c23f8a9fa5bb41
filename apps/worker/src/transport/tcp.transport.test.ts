import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpTransport } from './tcp.transport.js';
import type { TransportEvent } from './transport.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function bridge(): Promise<{ port: number; peer: Promise<Socket> }> {
  let accept: (socket: Socket) => void = () => {};
  const peer = new Promise<Socket>((resolve) => (accept = resolve));
  server = createServer((socket) => accept(socket));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, peer };
}

function recorder(transport: TcpTransport) {
  const events: TransportEvent[] = [];
  transport.subscribe((event) => events.push(event));
  const next = (type: TransportEvent['type']) =>
    new Promise<TransportEvent>((resolve) => {
      const off = transport.subscribe((event) => {
        if (event.type === type) {
          off();
          resolve(event);
        }
      });
    });
  return { events, next };
}

describe('TcpTransport', () => {
  it('carries bytes both ways with a network serial bridge', async () => {
    const { port, peer } = await bridge();
    const transport = new TcpTransport({ host: '127.0.0.1', port });
    const { next } = recorder(transport);
    await transport.open();
    const socket = await peer;
    const received = new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(chunk.toString())));
    transport.write(new TextEncoder().encode('N1 M105*38\n'));
    expect(await received).toBe('N1 M105*38\n');
    const data = next('data');
    socket.write('ok T:20.0 /0.0\n');
    const event = await data;
    expect(event.type === 'data' && new TextDecoder().decode(event.bytes)).toBe('ok T:20.0 /0.0\n');
    await transport.close();
    socket.destroy();
  });

  it('reports a reset by the bridge as vanished, not closed', async () => {
    const { port, peer } = await bridge();
    const transport = new TcpTransport({ host: '127.0.0.1', port });
    const { events, next } = recorder(transport);
    await transport.open();
    const vanished = next('vanished');
    (await peer).destroy();
    await vanished;
    expect(transport.state).toBe('vanished');
    expect(events.some((event) => event.type === 'closed')).toBe(false);
  });

  it('reports our own close as closed, once', async () => {
    const { port, peer } = await bridge();
    const transport = new TcpTransport({ host: '127.0.0.1', port });
    const { events } = recorder(transport);
    await transport.open();
    await peer;
    await transport.close();
    await transport.close();
    expect(events.map((event) => event.type)).toEqual(['open', 'closed']);
  });

  it('fails to open with a typed error when nothing listens', async () => {
    const { port } = await bridge();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const transport = new TcpTransport({ host: '127.0.0.1', port });
    await expect(transport.open()).rejects.toMatchObject({ code: 'transport.open_failed' });
  });
});
