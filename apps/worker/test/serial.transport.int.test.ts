import { openPtyPair, type PtyPair } from '@farm/virtual-printer';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { SerialTransport } from '../src/transport/serial.transport.js';
import type { TransportEvent } from '../src/transport/transport.js';

// A real pseudo-terminal pair (socat): the transport opens one end, the test
// plays the printer on the other.
let pair: PtyPair | undefined;
let peer: SerialPort | undefined;

afterEach(async () => {
  if (peer?.isOpen) await new Promise<void>((resolve) => peer!.close(() => resolve()));
  peer = undefined;
  await pair?.close();
  pair = undefined;
});

async function openPeer(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 250000, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  return port;
}

function waitFor(transport: SerialTransport, type: TransportEvent['type']): Promise<TransportEvent> {
  return new Promise((resolve) => {
    const off = transport.subscribe((event) => {
      if (event.type === type) {
        off();
        resolve(event);
      }
    });
  });
}

/** Bytes 0..n-1 of a repeating pattern that shows any loss, doubling or reordering. */
function pattern(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed + (i >> 8)) & 0xff;
  return out;
}

async function collect(subscribe: (onChunk: (chunk: Buffer) => void) => () => void, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  await new Promise<void>((resolve) => {
    const off = subscribe((chunk) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= bytes) {
        off();
        resolve();
      }
    });
  });
  return Buffer.concat(chunks);
}

// Direct I/O (the default on Linux: reads and writes on the event loop's thread) and serialport's stock thread-pool I/O.
describe.each([
  { io: 'direct I/O', directIo: true },
  { io: 'thread-pool I/O', directIo: false },
])('SerialTransport over a pseudo-terminal, $io', ({ directIo }) => {
  it('carries bytes both ways and notes that a pty needs no latency tuning', async () => {
    pair = await openPtyPair();
    peer = await openPeer(pair.b);
    const notes: string[] = [];
    const transport = new SerialTransport({ path: pair.a, baudRate: 250000, directIo, log: (note) => notes.push(note) });
    await transport.open();
    expect(notes.join('\n')).toMatch(/pseudo-terminal/);

    const heard = new Promise<string>((resolve) => peer!.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    transport.write(new TextEncoder().encode('N0 M110 N0*125\n'));
    expect(await heard).toBe('N0 M110 N0*125\n');

    const data = waitFor(transport, 'data');
    peer.write('ok\n');
    const event = await data;
    expect(event.type === 'data' && Buffer.from(event.bytes).toString()).toBe('ok\n');
    await transport.close();
    expect(transport.state).toBe('closed');
  });

  it('moves 256 KB each way whole and in order, more than the kernel buffers hold at once', async () => {
    pair = await openPtyPair();
    peer = await openPeer(pair.b);
    const transport = new SerialTransport({ path: pair.a, baudRate: 250000, directIo });
    await transport.open();
    const size = 256 * 1024;
    const out = pattern(size, 1);
    // The printer side stops reading: the kernel buffers fill and the host's writes must wait, not drop.
    peer.pause();
    // In pieces the size of framed lines, as the engine writes them.
    for (let at = 0; at < size; at += 40) transport.write(out.subarray(at, Math.min(size, at + 40)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const atPeer = collect((onChunk) => {
      peer!.on('data', onChunk);
      peer!.resume();
      return () => peer!.off('data', onChunk);
    }, size);
    expect((await atPeer).equals(out)).toBe(true);

    const back = pattern(size, 7);
    const atHost = collect(
      (onChunk) => transport.subscribe((event) => event.type === 'data' && onChunk(Buffer.from(event.bytes))),
      size,
    );
    peer.write(back);
    expect((await atHost).equals(back)).toBe(true);
    await transport.close();
  });

  it('reports the pty pair going away as vanished', async () => {
    pair = await openPtyPair();
    const transport = new SerialTransport({ path: pair.a, baudRate: 115200, directIo });
    await transport.open();
    const vanished = waitFor(transport, 'vanished');
    await pair.close();
    pair = undefined;
    await vanished;
    expect(transport.state).toBe('vanished');
  });
});

describe('SerialTransport over a pseudo-terminal', () => {
  it('refuses a second host on a port that is already open', async () => {
    pair = await openPtyPair();
    const first = new SerialTransport({ path: pair.a, baudRate: 115200 });
    await first.open();
    const second = new SerialTransport({ path: pair.a, baudRate: 115200 });
    await expect(second.open()).rejects.toMatchObject({ code: 'transport.busy' });
    await first.close();
  });

  it('says when the device does not exist', async () => {
    const transport = new SerialTransport({ path: '/dev/does-not-exist-farm', baudRate: 115200 });
    await expect(transport.open()).rejects.toMatchObject({ code: 'transport.not_found' });
  });
});
