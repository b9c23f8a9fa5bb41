// Starting points for common printers. The caps here are suggestions shown in
// the form: the admin still submits them explicitly with the profile.
import type { PrinterProfile } from './printer-profile.js';

export interface PrinterPreset {
  id: string;
  label: string;
  profile: PrinterProfile;
}

const PARK = 'G91\nG1 Z10 F600\nG90\nG1 X0 Y200 F6000';

export const PRINTER_PRESETS: readonly PrinterPreset[] = [
  {
    id: 'prusa-mk3s',
    label: 'Prusa i3 MK3S/MK3S+',
    profile: {
      model: 'Prusa i3 MK3S',
      bed: { kind: 'rectangular', widthMm: 250, depthMm: 210, origin: 'front-left' },
      heightMm: 210,
      nozzleDiameterMm: 0.4,
      heaters: { hotendsMaxC: [300], bedMaxC: 120 },
      firmware: 'prusa',
      baudRate: 115200,
      flowControl: 'auto',
      receiveBufferBytes: 128,
      scripts: { pause: `M601`, resume: 'M602', cancel: 'M104 S0\nM140 S0\nM107\nM84' },
      tags: [],
    },
  },
  {
    id: 'creality-ender-3',
    label: 'Creality Ender-3 family',
    profile: {
      model: 'Creality Ender-3',
      bed: { kind: 'rectangular', widthMm: 220, depthMm: 220, origin: 'front-left' },
      heightMm: 250,
      nozzleDiameterMm: 0.4,
      // The stock PTFE-lined hotend should stay at or below 260 °C.
      heaters: { hotendsMaxC: [260], bedMaxC: 100 },
      firmware: 'marlin',
      baudRate: 115200,
      flowControl: 'pingpong',
      receiveBufferBytes: 128,
      scripts: { pause: PARK, cancel: 'M104 S0\nM140 S0\nM107\nM84' },
      tags: [],
    },
  },
  {
    id: 'klipper-pty',
    label: 'Klipper (pseudo-terminal)',
    profile: {
      model: 'Klipper printer',
      bed: { kind: 'rectangular', widthMm: 235, depthMm: 235, origin: 'front-left' },
      heightMm: 250,
      nozzleDiameterMm: 0.4,
      heaters: { hotendsMaxC: [280], bedMaxC: 110 },
      firmware: 'klipper',
      baudRate: 250000,
      flowControl: 'window',
      receiveBufferBytes: 4096,
      scripts: { pause: 'PAUSE', resume: 'RESUME', cancel: 'CANCEL_PRINT' },
      tags: [],
    },
  },
  {
    id: 'reprapfirmware',
    label: 'RepRapFirmware board (Duet)',
    profile: {
      model: 'RepRapFirmware printer',
      bed: { kind: 'rectangular', widthMm: 300, depthMm: 300, origin: 'front-left' },
      heightMm: 300,
      nozzleDiameterMm: 0.4,
      heaters: { hotendsMaxC: [285], bedMaxC: 120 },
      firmware: 'rrf',
      baudRate: 115200,
      flowControl: 'auto',
      receiveBufferBytes: 256,
      scripts: { pause: 'M25', resume: 'M24', cancel: 'M0' },
      tags: [],
    },
  },
];
