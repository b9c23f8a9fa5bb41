import { describe, expect, it } from 'vitest';
import type { LiveEvent, Permission } from '@farm/contracts';
import { mayReceive, type Viewer } from './event-routing.js';
import { parseClientMessage } from './client-messages.js';

const groupOf = (id: string) => ({ pa: 'ga', pb: 'gb' })[id];
const viewer = (permissions: Permission[], groups: string[] | 'all'): Viewer => ({
  permissions: new Set(permissions),
  groups: groups === 'all' ? { kind: 'all' } : { kind: 'groups', groupIds: new Set(groups) },
});

const temperature = (printerId: string): LiveEvent => ({ type: 'printer.temperature', at: 1, sample: { printerId, at: 1, heaters: [] } });
const snapshot = (printerId: string): LiveEvent => ({ type: 'printer.snapshot', at: 1, meta: { printerId, at: 1, mime: 'image/jpeg', bytes: 10 } });
const portLost: LiveEvent = { type: 'port.lost', at: 1, hostId: 'h', path: '/dev/ttyACM0' };

describe('mayReceive', () => {
  it('delivers a printer event inside the viewer’s groups only', () => {
    const a = viewer(['printer.read'], ['ga']);
    expect(mayReceive(a, temperature('pa'), groupOf)).toBe(true);
    expect(mayReceive(a, temperature('pb'), groupOf)).toBe(false);
  });

  it('delivers nothing about a printer it cannot place in a group', () => {
    expect(mayReceive(viewer(['printer.read'], 'all'), temperature('unknown'), groupOf)).toBe(false);
  });

  it('needs webcam.view for snapshot notices and printer.manage for ports', () => {
    expect(mayReceive(viewer(['printer.read'], ['ga']), snapshot('pa'), groupOf)).toBe(false);
    expect(mayReceive(viewer(['printer.read', 'webcam.view'], ['ga']), snapshot('pa'), groupOf)).toBe(true);
    expect(mayReceive(viewer(['printer.read'], 'all'), portLost, groupOf)).toBe(false);
    expect(mayReceive(viewer(['printer.read', 'printer.manage'], 'all'), portLost, groupOf)).toBe(true);
  });

  it('needs terminal.read for serial log lines', () => {
    const line: LiveEvent = { type: 'printer.log', at: 1, printerId: 'pa', direction: 'sent', line: 'G28' };
    expect(mayReceive(viewer(['printer.read'], ['ga']), line, groupOf)).toBe(false);
    expect(mayReceive(viewer(['printer.read', 'terminal.read'], ['ga']), line, groupOf)).toBe(true);
  });
});

describe('parseClientMessage', () => {
  it('accepts the documented requests', () => {
    expect(parseClientMessage('{"type":"log.subscribe","printerId":"p-1"}')).toEqual({ ok: true, message: { type: 'log.subscribe', printerId: 'p-1' } });
    expect(parseClientMessage('{"type":"temperature.interval","intervalMs":5000}').ok).toBe(true);
  });

  it.each([
    'nope',
    '{"type":"log.subscribe","printerId":"p1","__proto__":{"x":1}}',
    '{"type":"log.subscribe","printerId":"p1","constructor":{"prototype":{"x":1}}}',
    '{"type":"log.subscribe","printerId":"../p"}',
    '{"type":"temperature.interval","intervalMs":10}',
    '{"type":"terminal","line":"M104 S300"}',
    '[]',
  ])('refuses %s', (text) => {
    expect(parseClientMessage(text)).toEqual({ ok: false });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
