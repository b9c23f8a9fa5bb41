// What each port-runtime test starts and stops: the real runtime on a
// (virtual) printer, with a probe on its Redis side.
import type { ControlKey, PortWorkerSpec } from '@farm/contracts';
import type { VirtualPrinter } from '@farm/virtual-printer';
import type { PortRuntime, RuntimeTuning } from '../port-runtime.js';
import { FAST, LiveProbe, startRuntime, testSpec, type LogLines } from './runtime-harness.js';

export type Rig<P extends VirtualPrinter | undefined = VirtualPrinter | undefined> = {
  printer: P;
  runtime: PortRuntime;
  probe: LiveProbe;
  logs: LogLines;
};

/** The test run's Redis and the control key its workers share. */
export type RigPlace = { readonly redisUrl: string; readonly redisPrefix: string; readonly key: ControlKey };

export async function startRig<P extends VirtualPrinter | undefined>(
  place: RigPlace,
  printerId: string,
  printer: P,
  spec: PortWorkerSpec = testSpec(printerId, printer?.address ?? '/dev/null'),
  tuning: RuntimeTuning = FAST,
): Promise<Rig<P>> {
  const probe = await LiveProbe.start(place.redisUrl, place.redisPrefix, printerId, place.key);
  const { runtime, logs } = await startRuntime(spec, place.redisUrl, place.redisPrefix, place.key, tuning);
  return { printer, runtime, probe, logs };
}

export async function stopRig(r: Rig | undefined): Promise<void> {
  if (!r) return;
  await r.runtime.shutdown();
  await r.probe.close();
  await r.printer?.close();
}
