// serialport's Linux binding, with reads and writes done on the event loop's
// thread. The stock binding sends every read and every write through libuv's
// thread pool, and an idle port tries a read before it polls, so each `ok`
// costs two or three thread hand-offs. The descriptor is non-blocking, so the
// same system calls return at once on this thread; the binding's own poller
// still says when the device is readable or writable. Opening, settings,
// locking and closing stay the stock binding's. bench/README.md has the
// figures ("Direct I/O").
import { readSync, writeSync } from 'node:fs';
import { BindingsError, LinuxBinding, type LinuxBindingInterface, type LinuxOpenOptions, type LinuxPortBinding } from '@serialport/bindings-cpp';

type Poller = LinuxPortBinding['poller'];

const RETRY = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);
// As the stock binding: these mean the device went away.
const GONE = new Set(['EBADF', 'ENXIO', 'EIO', 'UNKNOWN']);

export const DirectIoBinding: LinuxBindingInterface = {
  list: () => LinuxBinding.list(),
  async open(options: LinuxOpenOptions) {
    const port = await LinuxBinding.open(options);
    port.read = (buffer: Buffer, offset: number, length: number) => readNow(port, buffer, offset, length);
    port.write = (buffer: Buffer) => writeNow(port, buffer);
    return port;
  },
};

async function readNow(port: LinuxPortBinding, buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    const fd = openFd(port);
    try {
      const bytesRead = readSync(fd, buffer, offset, length, null);
      if (bytesRead > 0) return { buffer, bytesRead };
    } catch (error) {
      if (!RETRY.has((error as NodeJS.ErrnoException).code ?? '')) throw asDisconnect(error);
    }
    // Nothing there yet (or a zero-length read): sleep until the poller says so.
    await ready(port.poller, 'readable');
  }
}

async function writeNow(port: LinuxPortBinding, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const fd = openFd(port);
    try {
      offset += writeSync(fd, buffer, offset, buffer.length - offset);
      continue;
    } catch (error) {
      if (!RETRY.has((error as NodeJS.ErrnoException).code ?? '')) throw asDisconnect(error);
    }
    // The kernel's output buffer is full (a stalled or flow-controlled device).
    await ready(port.poller, 'writable');
  }
}

function openFd(port: LinuxPortBinding): number {
  if (!port.isOpen || port.fd === null) throw new BindingsError('Port is not open', { canceled: true });
  return port.fd;
}

function ready(poller: Poller, event: 'readable' | 'writable'): Promise<void> {
  return new Promise((resolve, reject) => poller.once(event, (error) => (error ? reject(error) : resolve())));
}

function asDisconnect(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (GONE.has(code)) (error as { disconnect?: boolean }).disconnect = true;
  return error;
}
