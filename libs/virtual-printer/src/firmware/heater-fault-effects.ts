// What an injected heater fault does to the simulated machine, and when:
// at once, or once its heater is heated or has reached its target.
import type { HeaterFaultSpec } from '../faults/heater-faults.js';
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

export function strikeHeaterFault(fault: HeaterFaultSpec, machine: Machine): void {
  const heater = machine[fault.heater];
  switch (fault.kind) {
    case 'heater-stuck-on':
      heater.inject('stuck-on');
      return;
    case 'heater-failed':
      heater.inject('failed');
      return;
    case 'sensor-frozen':
      heater.inject('frozen');
      return;
    case 'overshoot':
      heater.inject('overshoot');
      return;
    case 'reports-stop':
      machine.temperatureReports = false;
      return;
  }
}
