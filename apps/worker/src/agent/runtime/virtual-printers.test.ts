import { describe, expect, it } from 'vitest';
import { parseCli } from '../../../../../libs/virtual-printer/src/cli/parse-args.js';
import { planVirtualPrinters, virtualPorts } from './virtual-printers.js';

describe('virtual printer plan', () => {
  it('gives each printer a stable link and serial number and its own behaviour', () => {
    const plans = planVirtualPrinters(['prusa', 'ender', 'klipper', 'prusa'], '/srv/data');
    expect(plans.map((p) => [p.name, p.link, p.serialNumber])).toEqual([
      ['prusa-1', '/srv/data/virtual-printers/prusa-1', 'VIRTUAL-PRUSA-1'],
      ['ender-1', '/srv/data/virtual-printers/ender-1', 'VIRTUAL-ENDER-1'],
      ['klipper-1', '/srv/data/virtual-printers/klipper-1', 'VIRTUAL-KLIPPER-1'],
      ['prusa-2', '/srv/data/virtual-printers/prusa-2', 'VIRTUAL-PRUSA-2'],
    ]);
    expect(virtualPorts(plans.slice(0, 1))).toEqual([{ path: '/srv/data/virtual-printers/prusa-1', serialNumber: 'VIRTUAL-PRUSA-1' }]);
  });

  it('passes arguments the virtual-printer CLI accepts, with the intended flavours', () => {
    const [prusa, ender, klipper] = planVirtualPrinters(['prusa', 'ender', 'klipper'], '/srv/data').map((p) => parseCli([...p.args]));
    const one = (plan: ReturnType<typeof parseCli> | undefined) => (plan === undefined || plan === 'help' ? undefined : plan.printers[0]);
    expect(one(prusa)).toMatchObject({ flavor: 'prusa', advancedOk: true, emergencyParser: true });
    expect(one(ender)).toMatchObject({ flavor: 'marlin', profile: 'avr' });
    expect(one(ender)?.advancedOk ?? false).toBe(false);
    expect(one(klipper)).toMatchObject({ flavor: 'klipper' });
  });
});
