// USB attach/detach events from `usb` 2.18, used only as a hint to rescan
// the serial ports soon. Guarded: where /sys/bus/usb is missing (containers,
// some CI) or the native module fails to load, the agent polls instead.
import { existsSync } from 'node:fs';

type UsbEmitter = {
  on(event: 'attach' | 'detach', listener: () => void): unknown;
  removeListener(event: 'attach' | 'detach', listener: () => void): unknown;
};

export type HotplugWatch = { readonly mode: 'usb' | 'polling'; readonly reason?: string; close(): void };

export type HotplugDeps = {
  readonly sysBusUsb?: string;
  readonly load?: () => Promise<{ usb: UsbEmitter }>;
};

const loadUsb = async (): Promise<{ usb: UsbEmitter }> => (await import('usb')) as unknown as { usb: UsbEmitter };

export async function watchUsbHotplug(onChange: () => void, deps: HotplugDeps = {}): Promise<HotplugWatch> {
  const polling = (reason: string): HotplugWatch => ({ mode: 'polling', reason, close: () => undefined });
  if (!existsSync(deps.sysBusUsb ?? '/sys/bus/usb')) return polling('no /sys/bus/usb on this host');
  let usb: UsbEmitter;
  try {
    ({ usb } = await (deps.load ?? loadUsb)());
    usb.on('attach', onChange);
    usb.on('detach', onChange);
  } catch {
    return polling('the usb module could not start');
  }
  return {
    mode: 'usb',
    close: () => {
      usb.removeListener('attach', onChange);
      usb.removeListener('detach', onChange);
    },
  };
}
