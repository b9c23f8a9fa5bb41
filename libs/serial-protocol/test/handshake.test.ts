import { describe, expect, it } from 'vitest';
import { EngineHarness, MARLIN_M115, framed } from './engine-harness.js';

describe('connect handshake', () => {
  it('waits for the firmware to boot, then hellos with M110 N0 and identifies with M115', () => {
    const h = new EngineHarness({ bootWaitMs: 2000, bootQuietMs: 300 });
    h.send({ type: 'opened' });
    expect(h.written()).toEqual([]);
    h.advance(100);
    h.receive('start', 'Marlin bugfix-2.1.x', 'echo: Last Updated: 2023-01-07 | Author: (none, default config)');
    h.advance(200);
    expect(h.written()).toEqual([]);
    h.advance(150);
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.receive('ok');
    expect(h.written()).toEqual([framed(1, 'M115')]);
    h.receive(...MARLIN_M115, 'Cap:ADVANCED_OK:1', 'ok');
    const info = h.eventsOf('firmware.info')[0];
    expect(info?.firmware.name).toMatch(/^Marlin bugfix-2.1.x/);
    expect(info?.firmware.flavor).toBe('marlin');
    expect(info?.firmware.capabilities).toMatchObject({ AUTOREPORT_TEMP: true, EMERGENCY_PARSER: false, ADVANCED_OK: true });
    expect(info?.flow).toBe('window');
    expect(h.written()).toEqual([framed(2, 'M155 S2')]);
    expect(h.eventsOf('connection.state').map((e) => e.phase)).toEqual(['booting', 'hello', 'identifying', 'ready']);
  });

  it('sends the hello after the boot window when a board that does not reset stays silent', () => {
    const h = new EngineHarness({ bootWaitMs: 2000 });
    h.send({ type: 'opened' });
    h.advance(1999);
    expect(h.written()).toEqual([]);
    h.advance(1);
    expect(h.written()).toEqual(['N0 M110 N0*125']);
  });

  it('retries the hello and gives up after the configured attempts', () => {
    const h = new EngineHarness({ helloTimeoutMs: 1000, helloAttempts: 3 });
    h.send({ type: 'opened' });
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.advance(1000);
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.advance(1000);
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.advance(1000);
    expect(h.state.phase).toBe('closed');
    expect(h.closed).toMatch(/no answer/);
  });

  it('tolerates bootloader garbage before the hello is answered', () => {
    const h = new EngineHarness();
    h.send({ type: 'opened' });
    h.written();
    h.receiveRaw('\x00\xff\xfe\x80garbage\r\n', '\x00ok\n');
    expect(h.written()).toEqual([framed(1, 'M115')]);
  });

  it('polls temperatures with M105 when the firmware does not auto-report', () => {
    const h = new EngineHarness({ temperaturePollMs: 5000 });
    h.send({ type: 'opened' });
    h.receive('ok');
    h.receive('FIRMWARE_NAME: RepRapFirmware for Duet 3 MB6HC FIRMWARE_VERSION: 3.5.1 ELECTRONICS: Duet 3 MB6HC v1.01', 'ok');
    expect(h.state.firmware?.flavor).toBe('reprapfirmware');
    expect(h.state.flow).toBe('pingpong');
    h.written();
    h.advance(5000);
    expect(h.written()).toEqual([framed(2, 'M105')]);
    h.receive('ok T:22.9 /0.0 B:23.1 /0.0 T0:22.9 /0.0');
    expect(h.eventsOf('temperature').at(-1)?.report.heaters).toEqual({ T0: { actual: 22.9, target: 0 }, B: { actual: 23.1, target: 0 } });
  });

  it('reads Klipper firmware fields from the ok line itself', () => {
    const h = new EngineHarness();
    h.send({ type: 'opened' });
    h.receive('ok');
    h.receive('ok FIRMWARE_NAME:Klipper FIRMWARE_VERSION:v0.12.0-85');
    expect(h.state.phase).toBe('ready');
    expect(h.state.firmware?.flavor).toBe('klipper');
    expect(h.state.firmware?.fields.FIRMWARE_VERSION).toBe('v0.12.0-85');
  });

  it('sends M154 for position auto-report when offered and configured', () => {
    const h = new EngineHarness({ positionAutoreportSeconds: 5, flowControl: 'window' });
    h.send({ type: 'opened' });
    h.receive('ok');
    h.written();
    h.receive('FIRMWARE_NAME:Marlin 2.1.2', 'Cap:AUTOREPORT_TEMP:1', 'Cap:AUTOREPORT_POS:1', 'ok');
    expect(h.written()).toEqual([framed(2, 'M155 S2'), framed(3, 'M154 S5')]);
  });
});

describe('reopening', () => {
  it('ignores a second `opened` while connected and handshakes again after the port closed', () => {
    const h = new EngineHarness();
    h.send({ type: 'opened' });
    h.receive('ok');
    h.receive('FIRMWARE_NAME:Marlin 2.1.2', 'ok');
    h.written();
    h.send({ type: 'opened' });
    expect(h.state.phase).toBe('ready');
    expect(h.written()).toEqual([]);
    h.send({ type: 'closed', reason: 'unplugged' });
    h.send({ type: 'opened' });
    expect(h.written()).toEqual(['N0 M110 N0*125']);
  });
});

describe('a firmware that boots only when it hears the host', () => {
  it('says hello again after its `start` banner, without reporting an error', () => {
    const h = new EngineHarness({ bootWaitMs: 1000, bootQuietMs: 200 });
    h.send({ type: 'opened' });
    h.advance(1000);
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.receive('start', 'echo: External Reset', 'Marlin bugfix-2.1.x');
    h.advance(200);
    expect(h.written()).toEqual(['N0 M110 N0*125']);
    h.receive('ok');
    h.receive('FIRMWARE_NAME:Marlin 2.1.2', 'ok');
    expect(h.state.phase).toBe('ready');
    expect(h.eventsOf('error')).toEqual([]);
  });
});
