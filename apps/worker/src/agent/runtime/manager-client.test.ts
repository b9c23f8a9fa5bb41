import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PRINTER_PRESETS, type AgentState } from '@farm/contracts';
import { ManagerClient } from './manager-client.js';

const TOKEN = `fh_0123abcd_${'B'.repeat(43)}`;
const STATE: AgentState = {
  hostId: 'host-1',
  hostName: 'Rack A',
  gateOpen: true,
  controlKey: 'cd'.repeat(32),
  printers: [{ id: 'p1', name: 'MK3', enabled: true, identity: { usbSerial: 'S1' }, profile: PRINTER_PRESETS[0]!.profile }],
  cameraAllowedSubnets: [],
};

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server | undefined;

async function manager(handler: Handler): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('ManagerClient', () => {
  it('fetches the agent state with the host token and checks it against the contract', async () => {
    const seen: string[] = [];
    const url = await manager((req, _body, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      json(res, 200, STATE);
    });
    const result = await new ManagerClient({ baseUrl: url, hostToken: TOKEN }).fetchState();
    expect(result).toEqual({ kind: 'ok', state: STATE });
    expect(seen).toEqual([`GET /api/agent/state Bearer ${TOKEN}`]);
  });

  it('reports a revoked token as unauthorized', async () => {
    const url = await manager((_req, _body, res) => json(res, 401, { error: 'unauthorized' }));
    const client = new ManagerClient({ baseUrl: url, hostToken: TOKEN });
    expect(await client.fetchState()).toEqual({ kind: 'unauthorized', status: 401 });
    expect(await client.reportPorts({ ports: [] })).toEqual({ kind: 'unauthorized', status: 401 });
  });

  it('treats server errors, non-JSON and off-contract answers as unavailable', async () => {
    const answers: Array<(res: ServerResponse) => void> = [
      (res) => json(res, 503, { error: 'starting' }),
      (res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>proxy login</html>');
      },
      (res) => json(res, 200, { ...STATE, gateOpen: 'yes' }),
      (res) => json(res, 200, { ...STATE, printers: [{ ...STATE.printers[0], id: 'bad id:*' }] }),
    ];
    const url = await manager((_req, _body, res) => answers.shift()!(res));
    const client = new ManagerClient({ baseUrl: url, hostToken: TOKEN });
    expect(await client.fetchState()).toEqual({ kind: 'unavailable', reason: 'the manager answered 503' });
    expect(await client.fetchState()).toEqual({ kind: 'unavailable', reason: 'the agent state is not JSON' });
    const offContract = await client.fetchState();
    expect(offContract.kind).toBe('unavailable');
    expect(offContract.kind === 'unavailable' && offContract.reason).toContain('/gateOpen');
    expect((await client.fetchState()).kind).toBe('unavailable');
  });

  it('treats a refused connection and a silent manager as unavailable', async () => {
    const url = await manager(() => undefined); // never answers
    const slow = new ManagerClient({ baseUrl: url, hostToken: TOKEN, timeoutMs: 200 });
    expect(await slow.fetchState()).toEqual({ kind: 'unavailable', reason: 'the manager did not answer in time' });
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const refused = await new ManagerClient({ baseUrl: url, hostToken: TOKEN }).fetchState();
    expect(refused).toEqual({ kind: 'unavailable', reason: 'ECONNREFUSED' });
  });

  it('puts the port report as JSON and accepts 204', async () => {
    const received: unknown[] = [];
    const url = await manager((req, body, res) => {
      received.push({ method: req.method, url: req.url, type: req.headers['content-type'], body: JSON.parse(body) as unknown });
      res.writeHead(204);
      res.end();
    });
    const report = { ports: [{ path: '/dev/ttyACM0', byId: [], byPath: [], virtual: false, match: { kind: 'new' as const } }] };
    expect(await new ManagerClient({ baseUrl: url, hostToken: TOKEN }).reportPorts(report)).toEqual({ kind: 'ok' });
    expect(received).toEqual([{ method: 'PUT', url: '/api/agent/ports', type: 'application/json', body: report }]);
  });
});
