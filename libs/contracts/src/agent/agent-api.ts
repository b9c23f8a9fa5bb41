// The host agent's HTTP API on the manager. An agent authenticates with its
// host token (`Authorization: Bearer fh_…`, created by an admin and shown
// once); it learns which printers it drives and reports the ports it sees.
import { Type, type Static } from 'typebox';
import { PrinterProfile } from '../printers/printer-profile.js';
import { DetectedPort, PrinterId } from '../live/printer-live.js';

/** Host tokens look like `fh_<8 hex prefix>_<43 base64url>`; the prefix is stored in clear to find the row. */
export const HOST_TOKEN_PATTERN = '^fh_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$';
/** How often an agent asks for its state; printers adopted or edited reach it within this. */
export const AGENT_POLL_INTERVAL_MS = 3_000;

/** The identity an admin adopted a port with; the agent matches ports against it. */
export const AgentPrinterIdentity = Type.Object(
  {
    usbSerial: Type.Optional(Type.String({ maxLength: 128 })),
    vendorId: Type.Optional(Type.String({ pattern: '^[0-9a-f]{4}$' })),
    productId: Type.Optional(Type.String({ pattern: '^[0-9a-f]{4}$' })),
    /** Physical USB port path (by-path), when the device has no unique serial. */
    portPath: Type.Optional(Type.String({ maxLength: 255 })),
    /** The device path last seen (e.g. /dev/ttyACM0, or a virtual printer's pty). */
    devicePath: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);
export type AgentPrinterIdentity = Static<typeof AgentPrinterIdentity>;

export const AgentPrinter = Type.Object(
  {
    id: PrinterId,
    name: Type.String({ maxLength: 64 }),
    enabled: Type.Boolean(),
    identity: AgentPrinterIdentity,
    profile: PrinterProfile,
  },
  { additionalProperties: false },
);
export type AgentPrinter = Static<typeof AgentPrinter>;

/** `GET /api/agent/state`: everything the agent needs, polled every AGENT_POLL_INTERVAL_MS. */
export const AgentState = Type.Object(
  {
    hostId: Type.String({ maxLength: 64 }),
    hostName: Type.String({ maxLength: 64 }),
    /** False until the farm's first admin exists: no serial port may be opened before. */
    gateOpen: Type.Boolean(),
    /** 64 hex digits: this host's control key (`hostControlKey`), for verifying signed controls. */
    controlKey: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    /** Adopted, not retired printers of this host. */
    printers: Type.Array(AgentPrinter, { maxItems: 512 }),
    /** Subnets (CIDR) an admin allowed webcam snapshot URLs to reach despite the outbound policy. */
    cameraAllowedSubnets: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 }),
  },
  { additionalProperties: false },
);
export type AgentState = Static<typeof AgentState>;

/** `PUT /api/agent/ports`: every serial port the agent sees now, with its match decision. */
export const AgentPortsReport = Type.Object(
  { ports: Type.Array(DetectedPort, { maxItems: 256 }) },
  { additionalProperties: false },
);
export type AgentPortsReport = Static<typeof AgentPortsReport>;
