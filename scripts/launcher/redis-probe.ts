// One AUTH + PING round trip over a raw socket: Redis is ready when PING answers
// PONG (while it loads its append-only file it answers -LOADING instead).
import { connect } from 'node:net';

export function pingRedis(options: { port: number; password: string; timeoutMs?: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: options.port });
    let received = '';
    const fail = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(options.timeoutMs ?? 2_000, () => fail(new Error('no answer from Redis')));
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.write(command('AUTH', options.password) + command('PING'));
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const lines = received.split('\r\n');
      if (lines.length < 3) return; // two replies, each ending in CRLF
      socket.end();
      if (lines[0] === '+OK' && lines[1] === '+PONG') resolve();
      else reject(new Error(`Redis answered ${JSON.stringify(lines.slice(0, 2))}`));
    });
  });
}

function command(...parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`;
}
