import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { SerialPort } from 'serialport';

/** A minimal host for integration tests: writes lines, collects reply lines, waits for them. */
export class LineHost {
  readonly lines: string[] = [];
  private partial = '';
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly writeRaw: (text: string) => void,
    private readonly closeRaw: () => Promise<void>,
  ) {}

  static async serial(path: string): Promise<LineHost> {
    const port = new SerialPort({ path, baudRate: 250_000, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    return LineHost.fromPort(port);
  }

  static fromPort(port: SerialPort): LineHost {
    const host = new LineHost(
      (text) => port.write(text),
      () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
    );
    port.on('data', (chunk: Buffer) => host.receive(chunk));
    port.on('error', () => undefined);
    return host;
  }

  static async tcp(address: string): Promise<LineHost> {
    const url = new URL(address);
    const socket: Socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const host = new LineHost(
      (text) => socket.write(text),
      () => new Promise<void>((resolve) => socket.end(() => resolve())),
    );
    socket.on('data', (chunk: Buffer) => host.receive(chunk));
    return host;
  }

  write(text: string): void {
    this.writeRaw(text);
  }

  async waitFor(predicate: (lines: string[]) => boolean, timeoutMs = 10_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.lines)) {
      if (Date.now() > deadline) throw new Error(`timed out; last lines: ${JSON.stringify(this.lines.slice(-8))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.lines;
  }

  /** Sends the numbered line and waits for its ok (ping-pong), handling one resend. */
  async sendAndWaitOk(framed: string): Promise<void> {
    const before = this.lines.length;
    this.write(`${framed}\n`);
    await this.waitFor((lines) => lines.slice(before).some((l) => l.startsWith('ok')));
  }

  close(): Promise<void> {
    return this.closeRaw();
  }

  private receive(chunk: Buffer): void {
    const parts = (this.partial + chunk.toString('latin1')).split('\n');
    this.partial = parts.pop() ?? '';
    for (const part of parts) this.lines.push(part.replace(/\r$/, ''));
    const waiters = this.waiters.splice(0);
    for (const wake of waiters) wake();
  }
}

/** A host port that also tells when the device went away (close or error event). */
export class SerialPortProbe {
  private constructor(
    readonly host: LineHost,
    readonly closed: Promise<void>,
  ) {}

  static async open(path: string): Promise<SerialPortProbe> {
    const port = new SerialPort({ path, baudRate: 250_000, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    const closed = new Promise<void>((resolve) => {
      port.once('close', () => resolve());
      port.once('error', () => resolve());
    });
    const host = LineHost.fromPort(port);
    return new SerialPortProbe(host, closed);
  }
}
