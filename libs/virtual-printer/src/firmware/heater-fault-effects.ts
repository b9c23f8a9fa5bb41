// What an injected heater fault does to the simulated machine, and when:
// at once, or once its heater is heated or has reached its target.
import type { HeaterFaultSpec } from '../faults/heater-faults.js';
import type { HeaterFault } from './heater.js';
import type { Machine } from './machine.js';

export function armHeaterFault(fault: HeaterFaultSpec, machine: Machine): void {
  const heater = machine[fault.heater];
  switch (fault.trigger.at) {
    case 'power-on':
    case 'line':
      strikeHeaterFault(fault, machine);
      return;
    case 'heat':
      heater.whenHeated(() => strikeHeaterFault(fault, machine));
      return;
    case 'reached':
      heater.whenReached(() => strikeHeaterFault(fault, machine));
      return;
  }
}

// The spec's fault names and what each does to the heater model.
const HEATER_EFFECT = {
  'heater-stuck-on': 'stuck-on',
  'heater-failed': 'failed',
  'sensor-frozen': 'frozen',
  overshoot: 'overshoot',
} as const satisfies Record<Exclude<HeaterFaultSpec['kind'], 'reports-stop'>, HeaterFault>;

export function strikeHeaterFault(fault: HeaterFaultSpec, machine: Machine): void {
  if (fault.kind === 'reports-stop') {
    machine.temperatureReports = false;
    return;
  }
  machine[fault.heater].inject(HEATER_EFFECT[fault.kind]);
}
