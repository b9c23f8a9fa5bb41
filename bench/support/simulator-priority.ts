// The virtual printers stand in for hardware, which never waits for the
// host's CPU. On a 2-core machine shared with 32 hosts the simulator would,
// and its late replies would count as the hosts' underrun; raising its
// priority keeps the benchmark measuring the hosts. Needs CAP_SYS_NICE (root);
// without it the run goes on and the report says so.
import { setPriority } from 'node:os';

const SIMULATOR_NICE = -15;

/** Returns a note for the report when the priority could not be raised. */
export function raiseSimulatorPriority(pid: number): string | undefined {
  try {
    setPriority(pid, SIMULATOR_NICE);
    return undefined;
  } catch (error) {
    return `the simulator's priority could not be raised (${(error as NodeJS.ErrnoException).code ?? 'error'}): it competed with the hosts for the CPU`;
  }
}
