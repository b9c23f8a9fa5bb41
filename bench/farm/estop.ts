// One emergency-stop sample: the API call, then the moment the printer's
// emergency parser took M112 off the wire (the virtual printer's clock is
// this machine's). Afterwards the printer is power-cycled and reconnected
// through the API, and the sample waits until it is back where it was
// (idle, or printing again), so every sample starts from the same place.
import type { ManagerApi } from './manager-api.js';
import type { FarmTracker } from './tracker.js';
import type { VirtualPrinters } from './virtual-printers.js';

export interface StopSample {
  printer: number;
  /** API call to M112 received by the printer. */
  wireMs: number;
  /** API call to its 202 answer. */
  answerMs: number;
}

export async function sampleEmergencyStop(
  api: ManagerApi,
  printers: VirtualPrinters,
  tracker: FarmTracker,
  index: number,
  printerId: string,
  backTo: 'idle' | 'printing',
): Promise<StopSample> {
  const received = printers.nextHalt(index, 10_000);
  void received.catch(() => undefined); // awaited below
  const calledAt = Date.now();
  const answer = await api.call('POST', `/api/printers/${printerId}/emergency-stop`, {});
  const answerMs = Date.now() - calledAt;
  if (answer.status !== 202) throw new Error(`emergency stop of ${printerId}: ${answer.status} ${JSON.stringify(answer.body)}`);
  const event = await received;
  if (event.cause !== 'm112') throw new Error(`printer ${index} halted for another reason: ${event.cause}`);
  await tracker.waitFor(printerId, ['halted'], 10_000);
  printers.reset(index);
  const connected = await api.call('POST', `/api/printers/${printerId}/connection`, { action: 'connect' });
  if (connected.status !== 200) throw new Error(`reconnecting ${printerId}: ${connected.status} ${JSON.stringify(connected.body)}`);
  await tracker.waitFor(printerId, [backTo], 60_000);
  return { printer: index, wireMs: event.at - calledAt, answerMs };
}
