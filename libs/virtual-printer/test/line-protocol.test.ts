import { frameLine } from '@farm/gcode';
import { describe, expect, it } from 'vitest';
import { SimHarness } from './sim-harness.js';

const booted = (config: ConstructorParameters<typeof SimHarness>[0] = {}): SimHarness => {
  const h = new SimHarness({ bootMs: 0, latencyMs: 1, ...config });
  h.drain();
  return h;
};

describe('line numbers and checksums', () => {
  it('answers a bad checksum with the recorded error, Resend and ok', () => {
    const h = booted();
    h.sendFramed(1, 'G1 X10 F6000');
    h.run(50);
    h.send('N2 G1 X20 F6000*7\n');
    h.run(50);
    expect(h.lines()).toEqual(['ok', 'Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok']);
  });

  it('reads the next line only after answering the one it is processing', () => {
    const h = booted();
    h.sendFramed(1, 'G1 X10 F6000');
    h.send('N2 G1 X20 F6000*7\n');
    h.run(100);
    expect(h.lines()).toEqual(['ok', 'Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok']);
  });

  it('flushes lines that waited behind a bad one; a tail still on the wire runs as an unnumbered command', () => {
    const h = booted({ baud: 250_000 });
    h.sendFramed(1, 'M104 S200');
    // A bad N2, then the good N2 right behind it, both waiting while M104 is processed.
    h.send(`N2 G1 X5*0\n${frameLine(2, 'G1 X5')}\n`);
    h.run(100);
    expect(h.lines()).toContain('Resend: 2');
    expect(h.executed()[0]).toBe('M104 S200');
    expect(h.executed()).not.toContain('G1 X5');
  });

  it('answers a skipped line number with the sequence error and asks from last+1', () => {
    const h = booted();
    h.sendFramed(1, 'G1 X10 F6000');
    h.run(50);
    h.drain();
    h.sendFramed(6, 'G1 X21');
    h.run(50);
    expect(h.drain()).toEqual(['Error:Line Number is not Last Line Number+1, Last Line: 1', 'Resend: 2', 'ok']);
  });

  it('can leave out the ok after a resend request, as older builds do', () => {
    const h = booted({ okAfterResend: false });
    h.send('N1 G1 X1*0\n');
    h.run(50);
    expect(h.drain()).toEqual(['Error:checksum mismatch, Last Line: 0', 'Resend: 1']);
  });

  it('rejects a numbered line without checksum', () => {
    const h = booted();
    h.send('N1 G28\n');
    h.run(50);
    expect(h.drain()).toEqual(['Error:No Checksum with line number, Last Line: 0', 'Resend: 1', 'ok']);
  });

  it('accepts unnumbered lines, and M110 sets the counter as soon as it is read', () => {
    const h = booted();
    h.sendFramed(0, 'M110 N41');
    h.send('G1 X22\n');
    h.sendFramed(42, 'G1 X23');
    h.run(100);
    expect(h.drain()).toEqual(['ok', 'ok', 'ok']);
    expect(h.executed()).toEqual(['M110 N41', 'G1 X22', 'G1 X23']);
  });

  it('rejects a duplicate of the last line instead of executing it twice', () => {
    const h = booted();
    h.sendFramed(1, 'G1 X1');
    h.sendFramed(1, 'G1 X1');
    h.run(100);
    expect(h.lines()).toContain('Resend: 2');
    expect(h.executed()).toEqual(['G1 X1']);
  });

  it('reports ADVANCED_OK fields when enabled', () => {
    const h = booted({ advancedOk: true });
    h.sendFramed(1, 'G1 X10 F6000');
    h.run(50);
    h.send('M114\n');
    h.run(50);
    const lines = h.drain();
    expect(lines[0]).toBe('ok N1 P15 B3');
    expect(lines).toContain('ok P15 B3');
  });

  it('Prusa rejects a checksum without a line number', () => {
    const h = booted({ flavor: 'prusa' });
    h.send('G28*18\n');
    h.run(50);
    expect(h.drain()[0]).toBe('Error:No Line Number with checksum, Last Line: 0');
  });

  it('RepRapFirmware drops a bad checksum silently and does not check the sequence', () => {
    const h = booted({ flavor: 'rrf' });
    h.send('N7 G1 X1*1\n');
    h.sendFramed(9, 'G1 X2');
    h.run(50);
    expect(h.drain()).toEqual(['ok']);
    expect(h.executed()).toEqual(['G1 X2']);
  });

  it('Klipper ignores numbers and checksums and acks its own M115 line', () => {
    const h = booted({ flavor: 'klipper' });
    h.send('N5 G1 X1*0\nM115\n');
    h.run(50);
    expect(h.drain()).toEqual(['ok', 'ok FIRMWARE_NAME:Klipper FIRMWARE_VERSION:v0.12.0-000-gvirtual']);
  });

  it('records executed commands as clean text in execution order', () => {
    const h = booted();
    h.sendFramed(1, 'M104 S200');
    h.run(20);
    h.send('N2 G1 X5*0\n');
    h.run(20);
    h.sendFramed(2, 'G1 X5');
    h.run(20);
    h.send('G1 Y2 ; comment\n');
    h.run(20);
    expect(h.executed()).toEqual(['M104 S200', 'G1 X5', 'G1 Y2']);
  });
});

describe('greeting', () => {
  it('stays silent until the host speaks, then boots (eating the first bytes) and greets', () => {
    const h = new SimHarness({ latencyMs: 1, bootMs: 300 });
    h.run(1000);
    expect(h.lines()).toEqual([]);
    h.sendFramed(0, 'M110 N0');
    h.run(1000);
    const lines = h.drain();
    expect(lines[0]).toBe('start');
    expect(lines).not.toContain('ok');
    h.sendFramed(0, 'M110 N0');
    h.run(50);
    expect(h.drain()).toEqual(['ok']);
  });

  it('lists capabilities after M115, the emergency parser as configured', () => {
    const h = booted({ emergencyParser: true });
    h.send('M115\n');
    h.run(50);
    const lines = h.drain();
    expect(lines[0]).toMatch(/^FIRMWARE_NAME:Marlin /);
    expect(lines).toContain('Cap:EMERGENCY_PARSER:1');
    expect(lines).toContain('Cap:AUTOREPORT_TEMP:1');
    expect(lines.at(-1)).toBe('ok');
  });
});
