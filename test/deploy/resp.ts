// Sends Redis commands over a raw socket and returns the first line of each
// reply: enough to see +OK, +PONG, -NOAUTH or -WRONGPASS without a client
// library's own handshake getting in the way.
import { connect } from 'node:net';

export function rawExchange(port: number, commands: readonly (readonly string[])[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.once('connect', () => {
      for (const parts of commands) {
        socket.write(`*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`);
      }
    });
    socket.on('data', (chunk: string) => {
      received += chunk;
      const lines = received.split('\r\n').filter((line) => /^[+-]/.test(line));
      if (lines.length < commands.length) return;
      socket.end();
      resolve(lines.slice(0, commands.length));
    });
  });
}
