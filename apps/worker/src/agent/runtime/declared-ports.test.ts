import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeclaredPortsError, parseDeclaredPorts, presentPorts, readDeclaredPorts } from './declared-ports.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'farm-declared-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('declared ports', () => {
  it('parses the file format and rejects anything else', () => {
    expect(parseDeclaredPorts('[{"path":"/dev/pts/7","serialNumber":"S1","vendorId":"0x1A86","productId":"7523","physicalPath":"usb-0:1"}]')).toEqual([
      { path: '/dev/pts/7', serialNumber: 'S1', vendorId: '0x1A86', productId: '7523', physicalPath: 'usb-0:1' },
    ]);
    expect(() => parseDeclaredPorts('[{"path":"/dev/pts/7",')).toThrow(DeclaredPortsError);
    expect(() => parseDeclaredPorts('{"path":"/dev/pts/7"}')).toThrow(DeclaredPortsError);
    expect(() => parseDeclaredPorts('[{"path":"/dev/pts/7","baud":115200}]')).toThrow(/baud|additional/i);
  });

  it('reads a missing file as no ports', async () => {
    expect(await readDeclaredPorts(join(dir, 'missing.json'))).toEqual([]);
    await writeFile(join(dir, 'ports.json'), '[{"path":"tcp://10.0.0.5:2323"}]');
    expect(await readDeclaredPorts(join(dir, 'ports.json'))).toEqual([{ path: 'tcp://10.0.0.5:2323' }]);
  });

  it('counts a declared device only while it exists; network bridges always', async () => {
    await writeFile(join(dir, 'tty0'), '');
    await symlink(join(dir, 'gone'), join(dir, 'dangling'));
    const present = await presentPorts([{ path: join(dir, 'tty0') }, { path: join(dir, 'dangling') }, { path: join(dir, 'nothing') }, { path: 'tcp://10.0.0.5:2323' }]);
    expect(present.map((p) => p.path)).toEqual([join(dir, 'tty0'), 'tcp://10.0.0.5:2323']);
  });
});
