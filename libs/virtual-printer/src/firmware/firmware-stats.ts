import type { FaultKind } from '../faults/fault-spec.js';
import type { PrinterCounters, UnderrunStats } from './recorder.js';

/** A printer's summary; also the JSON a child-process printer prints on exit. */
export interface FirmwareStats {
  state: 'waiting-for-host' | 'booting' | 'running' | 'halted';
  counters: PrinterCounters;
  underrun: UnderrunStats;
  faults: Record<FaultKind, number>;
  lastLineNumber: number;
  plannerBlocksExecuted: number;
}
