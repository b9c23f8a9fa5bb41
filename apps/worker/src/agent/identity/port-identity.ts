// How a host agent tells printers apart. A port is what the agent sees now;
// a known printer is what the manager stored when an admin adopted one.

export type SeenPort = {
  /** The device node, e.g. /dev/ttyUSB0 or, for a virtual printer, a pseudo-terminal. */
  readonly path: string;
  /** Names in /dev/serial/by-id and /dev/serial/by-path that point at this node. */
  readonly byId: readonly string[];
  readonly byPath: readonly string[];
  /** USB ids, lower-case hex, 4 digits. */
  readonly vendorId?: string;
  readonly productId?: string;
  readonly serialNumber?: string;
  /** Where on the host's USB tree the device sits (the by-path name): stable per socket, not per board. */
  readonly physicalPath?: string;
  readonly virtual: boolean;
};

export type KnownPrinter = {
  readonly printerId: string;
  readonly vendorId?: string;
  readonly productId?: string;
  readonly serialNumber?: string;
  readonly physicalPath?: string;
  readonly devicePath?: string;
};

export type PortIdentity =
  | { readonly basis: 'serial'; readonly vendorId?: string; readonly productId?: string; readonly serialNumber: string }
  | { readonly basis: 'physical-path'; readonly vendorId?: string; readonly productId?: string; readonly physicalPath: string }
  | { readonly basis: 'device-path'; readonly path: string };

export type AmbiguityReason =
  /** Boards without a unique serial number: one of these printers may have moved here, or a twin was plugged in. */
  | 'no-unique-serial'
  /** Several boards report the same serial number right now. */
  | 'duplicate-serial'
  /** Two ports match the same printer, or one port matches two printer records. */
  | 'conflict';

export type PortMatch =
  | { readonly kind: 'known'; readonly port: SeenPort; readonly identity: PortIdentity; readonly printerId: string }
  | { readonly kind: 'moved'; readonly port: SeenPort; readonly identity: PortIdentity; readonly printerId: string; readonly previousPath: string }
  | { readonly kind: 'new'; readonly port: SeenPort; readonly identity: PortIdentity }
  | { readonly kind: 'ambiguous'; readonly port: SeenPort; readonly identity: PortIdentity; readonly candidates: readonly string[]; readonly reason: AmbiguityReason };
