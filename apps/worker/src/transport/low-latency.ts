import { execFile } from 'node:child_process';
import { access, realpath, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * Asks the kernel to hand us received bytes at once. An FTDI bridge holds a
 * 3-byte `ok` for up to its 16 ms latency timer, which alone caps ping-pong
 * streaming at ~50 lines/s (serial-protocol.md §3.2). Two knobs, both
 * best-effort (they need privileges and only exist for real UARTs):
 * - FTDI: `/sys/bus/usb-serial/devices/<tty>/latency_timer` = 1;
 * - any UART: the `ASYNC_LOW_LATENCY` flag, set with Debian's `setserial`
 *   (run with an argument array, never a shell).
 * Every outcome becomes a note for the log; nothing here throws.
 */
export interface LowLatencyDeps {
  realpath(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
  writeFile(path: string, text: string): Promise<void>;
  /** Full path of an executable on PATH, or undefined. */
  which(command: string): Promise<string | undefined>;
  run(file: string, args: readonly string[]): Promise<void>;
}

export interface LowLatencyResult {
  /** The device node after following symlinks such as /dev/serial/by-id/…. */
  device: string;
  notes: string[];
}

export async function requestLowLatency(path: string, deps: LowLatencyDeps = nodeLowLatencyDeps): Promise<LowLatencyResult> {
  const device = await deps.realpath(path).catch(() => path);
  const notes: string[] = [];
  if (device.startsWith('/dev/pts/') || device === '/dev/ptmx') {
    notes.push(`${device} is a pseudo-terminal: no latency timer to tune`);
    return { device, notes };
  }
  const tty = basename(device);

  const timer = `/sys/bus/usb-serial/devices/${tty}/latency_timer`;
  if (await deps.exists(timer)) {
    try {
      await deps.writeFile(timer, '1');
      notes.push(`latency_timer of ${tty} set to 1 ms`);
    } catch (error) {
      notes.push(`could not set latency_timer of ${tty}: ${messageOf(error)}`);
    }
  } else {
    notes.push(`${tty} has no FTDI latency_timer`);
  }

  const setserial = await deps.which('setserial');
  if (setserial === undefined) {
    notes.push('setserial is not installed: ASYNC_LOW_LATENCY not requested');
  } else {
    try {
      await deps.run(setserial, [device, 'low_latency']);
      notes.push(`ASYNC_LOW_LATENCY set on ${device}`);
    } catch (error) {
      notes.push(`setserial ${device} low_latency failed: ${messageOf(error)}`);
    }
  }
  return { device, notes };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
}

export const nodeLowLatencyDeps: LowLatencyDeps = {
  realpath: (path) => realpath(path),
  exists: (path) =>
    access(path).then(
      () => true,
      () => false,
    ),
  writeFile: (path, text) => writeFile(path, text),
  // Fixed system folders rather than PATH: a privileged helper should not be
  // looked up somewhere a user could plant one.
  async which(command) {
    for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
      const candidate = join(dir, command);
      if (await nodeLowLatencyDeps.exists(candidate)) return candidate;
    }
    return undefined;
  },
  run: (file, args) =>
    new Promise((resolve, reject) => {
      execFile(file, [...args], { timeout: 5000 }, (error, _stdout, stderr) => {
        if (error) reject(new Error(stderr.trim() || error.message));
        else resolve();
      });
    }),
};
