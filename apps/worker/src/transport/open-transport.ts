import type { LowLatencyDeps } from './low-latency.js';
import { SerialTransport } from './serial.transport.js';
import { TcpTransport } from './tcp.transport.js';
import { TransportError, type Transport } from './transport.js';

export type TransportTarget = { kind: 'serial'; path: string } | { kind: 'tcp'; host: string; port: number };

/** `tcp://host:port` names a network serial bridge; anything else is a device path. */
export function parseTransportTarget(text: string): TransportTarget {
  if (!/^tcp:\/\//i.test(text)) {
    if (text.trim() === '') throw new TransportError('transport.bad_target', 'no port given');
    return { kind: 'serial', path: text };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TransportError('transport.bad_target', `not a tcp://host:port address: ${text}`);
  }
  const port = Number(url.port);
  if (url.hostname === '' || !Number.isInteger(port) || port < 1 || port > 65535 || (url.pathname !== '' && url.pathname !== '/'))
    throw new TransportError('transport.bad_target', `not a tcp://host:port address: ${text}`);
  // URL keeps IPv6 literals in brackets; net.connect wants them bare.
  return { kind: 'tcp', host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

export interface CreateTransportOptions {
  baudRate: number;
  log?: (note: string) => void;
  lowLatency?: boolean;
  lowLatencyDeps?: LowLatencyDeps;
  directIo?: boolean;
}

/** Builds the transport for a target; call `open()` on it. */
export function createTransport(target: TransportTarget, options: CreateTransportOptions): Transport {
  switch (target.kind) {
    case 'serial':
      return new SerialTransport({
        path: target.path,
        baudRate: options.baudRate,
        ...(options.log ? { log: options.log } : {}),
        ...(options.lowLatency !== undefined ? { lowLatency: options.lowLatency } : {}),
        ...(options.lowLatencyDeps ? { lowLatencyDeps: options.lowLatencyDeps } : {}),
        ...(options.directIo !== undefined ? { directIo: options.directIo } : {}),
      });
    case 'tcp':
      return new TcpTransport({ host: target.host, port: target.port, ...(options.log ? { log: options.log } : {}) });
  }
}
