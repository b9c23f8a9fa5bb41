import { refuseCommand } from './commands.js';
import { failJob } from './job.js';
import type { Step } from './step.js';
import type { Origin } from './types.js';

/** A line the guard (or the firmware's line limit) refused: nothing of it reached the wire. */
export function refuse(step: Step, origin: Origin, code: string, reason: string): void {
  switch (origin.kind) {
    case 'file':
      failJob(step, code, `file line ${origin.line.lineNumber} refused: ${reason}`);
      return;
    case 'script':
      failJob(step, code, `${origin.script} script line refused: ${reason}`);
      return;
    case 'direct':
      refuseCommand(step, origin.id, code, reason);
      return;
    case 'system':
      step.error(code, `${origin.purpose} command refused: ${reason}`, false);
      return;
  }
}
