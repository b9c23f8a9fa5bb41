// A local HTTP server for outbound tests: each path answers one behaviour
// (an image, a redirect, a huge body, a stall).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The start of a JFIF file: enough for magic-byte sniffing, followed by filler and EOI. */
export const TINY_JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
  Buffer.alloc(64, 0x20),
  Buffer.from([0xff, 0xd9]),
]);

export type TestServer = { readonly base: string; readonly port: number; readonly hits: string[]; close(): Promise<void> };

export async function startImageServer(): Promise<TestServer> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    switch (req.url) {
      case '/snapshot':
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end(TINY_JPEG);
        return;
      case '/lying-html':
        // Claims to be a JPEG but is a page.
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end('<html><body>login</body></html>');
        return;
      case '/redirect':
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      case '/missing':
        res.writeHead(404).end('nope');
        return;
      case '/huge-declared':
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(50 * 1024 * 1024) });
        res.write(TINY_JPEG);
        return; // never finishes; the client must give up on the header alone
      case '/huge-streamed': {
        // No length header: the cap must be enforced while the body streams.
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.write(TINY_JPEG);
        const chunk = Buffer.alloc(64 * 1024, 0x41);
        let sent = 0;
        const pump = (): void => {
          while (sent < 400 && res.write(chunk)) sent++;
          if (sent < 400) res.once('drain', pump);
          else res.end();
        };
        pump();
        return;
      }
      case '/stall':
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.write(TINY_JPEG.subarray(0, 4));
        return; // never ends
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
