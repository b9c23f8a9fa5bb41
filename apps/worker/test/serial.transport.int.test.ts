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

describe('SerialTransport over a pseudo-terminal', () => {
  it('carries bytes both ways and notes that a pty needs no latency tuning', async () => {
    pair = await openPtyPair();
    peer = await openPeer(pair.b);
    const notes: string[] = [];
    const transport = new SerialTransport({ path: pair.a, baudRate: 250000, log: (note) => notes.push(note) });
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

  it('reports the pty pair going away as vanished', async () => {
    pair = await openPtyPair();
    const transport = new SerialTransport({ path: pair.a, baudRate: 115200 });
    await transport.open();
    const vanished = waitFor(transport, 'vanished');
    await pair.close();
    pair = undefined;
    await vanished;
    expect(transport.state).toBe('vanished');
  });

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
