// Ports declared in AGENT_PORTS_FILE (virtual printers, network serial
// bridges, test pseudo-terminals): a JSON array re-read on every scan, so
// editing the file plugs and unplugs "printers". A declared device path
// counts only while it exists (a dead pseudo-terminal's link is gone);
// tcp:// addresses always count.
import { readFile, stat } from 'node:fs/promises';
import { Type, type Static } from 'typebox';
import Value from 'typebox/value';
import type { VirtualPortConfig } from '../discovery/merge-ports.js';

export const DeclaredPort = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: 255 }),
    serialNumber: Type.Optional(Type.String({ maxLength: 128 })),
    vendorId: Type.Optional(Type.String({ pattern: '^(0x)?[0-9a-fA-F]{1,4}$' })),
    productId: Type.Optional(Type.String({ pattern: '^(0x)?[0-9a-fA-F]{1,4}$' })),
    physicalPath: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);
export const DeclaredPorts = Type.Array(DeclaredPort, { maxItems: 256 });
export type DeclaredPort = Static<typeof DeclaredPort>;

export class DeclaredPortsError extends Error {
  override readonly name = 'DeclaredPortsError';
}

/** Parses the file's text; throws DeclaredPortsError naming the first problem. */
export function parseDeclaredPorts(text: string): DeclaredPort[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DeclaredPortsError('not JSON');
  }
  if (!Value.Check(DeclaredPorts, raw)) {
    const first = Value.Errors(DeclaredPorts, raw)[0];
    throw new DeclaredPortsError(`expected [{path, serialNumber?, vendorId?, productId?, physicalPath?}]${first ? ` (at ${first.instancePath || '/'}: ${first.message})` : ''}`);
  }
  return raw;
}

/** The declared ports; a missing file declares none. */
export async function readDeclaredPorts(file: string): Promise<DeclaredPort[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return parseDeclaredPorts(text);
}

export async function presentPorts(ports: readonly VirtualPortConfig[]): Promise<VirtualPortConfig[]> {
  const present = await Promise.all(ports.map(async (p) => p.path.startsWith('tcp://') || (await stat(p.path).then(() => true, () => false))));
  return ports.filter((_, i) => present[i] === true);
}
