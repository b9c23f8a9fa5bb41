import { createLineGuard, type SafetyProfile } from '@farm/gcode';
import type { JobResult, LinkConfig, LinkEvent } from '@farm/serial-protocol';
import { PortWorker, type PortWorkerEvent } from '../../../apps/worker/src/port/port-worker.js';

/** The printer profile the e2e prints run under: 5 tools (the corpus has MMU files), a bed and a chamber (K1 Max files heat it). */
export const E2E_PROFILE: SafetyProfile = {
  firmware: 'marlin',
  heaters: { hotend: { toolCount: 5, maxC: 300 }, bed: { maxC: 120 }, chamber: { maxC: 60 } },
  knownMacros: ['START_PRINT', 'END_PRINT'],
};

export const fileGuard = createLineGuard(E2E_PROFILE, { actor: 'file', printerIdle: false, firmwareFlashAllowed: false });

/**
 * Link settings for a fast test printer: short boot wait and timeouts
 * (the virtual printer runs 1000× faster than a real one), so a lost `ok`
 * costs a fraction of a second instead of the 30 s a real link allows.
 */
export function testLink(overrides: Partial<Omit<LinkConfig, 'guard'>>): Partial<Omit<LinkConfig, 'guard'>> {
  return { bootWaitMs: 100, communicationTimeoutMs: 400, resendDrainMs: 20, ...overrides };
}

export interface HostRun {
  worker: PortWorker;
  events: PortWorkerEvent[];
}

/** Opens the port worker on `address` and waits for the handshake; keeps every event except the serial log. */
export async function connect(address: string, link: Partial<Omit<LinkConfig, 'guard'>>, keepSerialLog = false): Promise<HostRun> {
  const events: PortWorkerEvent[] = [];
  const worker = await PortWorker.open({ port: address, baudRate: 250000, guard: fileGuard, link }, (event) => {
    if (keepSerialLog || event.type !== 'serial.log') events.push(event);
  });
  await worker.waitReady(15_000);
  return { worker, events };
}

export function countersOf(events: readonly PortWorkerEvent[]): Extract<LinkEvent, { type: 'counters' }>['counters'] | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type === 'counters') return event.counters;
  }
  return undefined;
}

export function describeResult(result: JobResult): string {
  return JSON.stringify(result);
}
