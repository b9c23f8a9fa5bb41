// How a launcher run ended, and the exit status that reports it. Pure.
import type { ProcessExit } from './managed-process.js';

export type LaunchOutcome =
  | { kind: 'stopped'; signal: NodeJS.Signals }
  | { kind: 'child-exited'; name: string; exit: ProcessExit }
  | { kind: 'failed'; exitCode: number };

export function exitCodeFor(outcome: LaunchOutcome): number {
  switch (outcome.kind) {
    case 'stopped':
      return 0; // asked to stop, and everything stopped cleanly
    case 'child-exited':
      // A child that ends on its own ends the farm; never report that as success.
      return outcome.exit.code !== null && outcome.exit.code !== 0 ? outcome.exit.code : 1;
    case 'failed':
      return outcome.exitCode;
  }
}

export function describeOutcome(outcome: LaunchOutcome): string {
  switch (outcome.kind) {
    case 'stopped':
      return `stopping (${outcome.signal})`;
    case 'child-exited': {
      const how = outcome.exit.signal ? `signal ${outcome.exit.signal}` : `code ${outcome.exit.code ?? '-'}`;
      return `${outcome.name} exited (${how}); stopping the rest`;
    }
    case 'failed':
      return 'start failed; stopping what was started';
  }
}
