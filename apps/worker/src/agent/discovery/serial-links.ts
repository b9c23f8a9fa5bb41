// Reads /dev/serial/by-id and /dev/serial/by-path. `SerialPort.list()` does
// not report these names, yet they are what make a port identifiable: by-id
// carries the USB serial number, by-path the physical socket.
import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';

export type SerialLinks = ReadonlyMap<string, { readonly byId: readonly string[]; readonly byPath: readonly string[] }>;

export async function readSerialLinks(root = '/dev/serial'): Promise<SerialLinks> {
  const links = new Map<string, { byId: string[]; byPath: string[] }>();
  for (const [dir, field] of [
    ['by-id', 'byId'],
    ['by-path', 'byPath'],
  ] as const) {
    for (const name of await namesIn(join(root, dir))) {
      const target = await realpath(join(root, dir, name)).catch(() => undefined);
      if (target === undefined) continue; // a dangling link: the device just went away
      const entry = links.get(target) ?? { byId: [], byPath: [] };
      entry[field].push(name);
      links.set(target, entry);
    }
  }
  for (const entry of links.values()) {
    entry.byId.sort();
    entry.byPath.sort();
  }
  return links;
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    // No udev, or no USB serial device plugged in: the folder does not exist.
    return [];
  }
}
