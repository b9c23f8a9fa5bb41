import { describe, expect, it } from 'vitest';
import { commandedTargets } from './commanded-targets.js';

describe('commandedTargets', () => {
  it.each([
    ['M104 S210', [{ heater: 'T0', targetC: 210 }]],
    ['M109 T1 R200', [{ heater: 'T1', targetC: 200 }]],
    ['M140 S60', [{ heater: 'B', targetC: 60 }]],
    ['M190 S4e1', [{ heater: 'B', targetC: 40 }]],
    ['M141 S45', [{ heater: 'C', targetC: 45 }]],
    ['M104 S0', [{ heater: 'T0', targetC: 0 }]],
    ['M104', []],
    ['G1 X10 S200', []],
    ['M105', []],
  ])('%s', (command, expected) => {
    expect(commandedTargets(command)).toEqual(expected);
  });
});
