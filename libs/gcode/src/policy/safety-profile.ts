/**
 * The safety part of a printer profile: heater caps, firmware flavour and the
 * per-printer command lists. Edited only by an admin with re-authentication;
 * the policy engine only reads it. Treat a profile object as immutable: the
 * engine compiles it once per object, so an edit must produce a new object.
 */
export type FirmwareFlavour = 'marlin' | 'prusa' | 'reprapfirmware' | 'klipper' | 'other';

/** A heater the profile knows. Hotends are addressed by tool index. */
export type HeaterRef = { kind: 'hotend'; tool: number } | { kind: 'bed' } | { kind: 'chamber' };

export interface SafetyProfile {
  firmware: FirmwareFlavour;
  heaters: {
    /**
     * `toolCount` tools (T0…T<n-1>), each capped at `maxC` unless `perToolMaxC`
     * gives its own cap. A multi-material printer with one shared nozzle lists
     * every filament slot as a tool so `T3` lines stay known.
     */
    hotend: { toolCount: number; maxC: number; perToolMaxC?: Record<number, number> };
    bed?: { maxC: number };
    chamber?: { maxC: number };
  };
  /** Klipper heater names beyond the defaults (`extruder`, `extruder<n>`, `heater_bed`), e.g. `{ chamber: { kind: 'chamber' } }`. */
  klipperHeaters?: Record<string, HeaterRef>;
  /** RepRapFirmware heater numbers (the `H` parameter), e.g. `{ 0: { kind: 'bed' }, 1: { kind: 'hotend', tool: 0 } }`. */
  rrfHeaters?: Record<number, HeaterRef>;
  /** Commands refused for everyone on this printer. Default: `M0`, `M1`. */
  blockedCommands?: readonly string[];
  /** Commands an operator may send from the terminal. Default: `DEFAULT_OPERATOR_ALLOWLIST`. */
  operatorAllowlist?: readonly string[];
  /** Normally blocked commands (raw pins, SD printing, shell) an admin enabled for this printer because a real need exists. */
  adminAllow?: readonly string[];
  /** Klipper macros defined in this printer's config (e.g. `PRINT_START`); undeclared macros are refused in files. */
  knownMacros?: readonly string[];
}

export const DEFAULT_BLOCKED_COMMANDS: readonly string[] = ['M0', 'M1'];

/** Day-to-day terminal commands for operators. `T` stands for every tool select `T<n>`. */
export const DEFAULT_OPERATOR_ALLOWLIST: readonly string[] = [
  // motion and homing
  'G0', 'G1', 'G2', 'G3', 'G4', 'G28', 'G29', 'G90', 'G91', 'G92', 'G20', 'G21', 'M82', 'M83', 'M400', 'T',
  // temperatures (always within the caps) and fans
  'M104', 'M109', 'M140', 'M190', 'M141', 'M191', 'M106', 'M107', 'M116',
  'SET_HEATER_TEMPERATURE', 'TURN_OFF_HEATERS', 'TEMPERATURE_WAIT', 'SET_FAN_SPEED',
  // reads and reports
  'M105', 'M114', 'M115', 'M119', 'M27', 'M503', 'M20', 'M31', 'M155', 'GET_POSITION', 'QUERY_ENDSTOPS', 'STATUS',
  // stops, resets, messages, prompts
  'M108', 'M410', 'M112', 'M999', 'FIRMWARE_RESTART', 'M117', 'M118', 'M300', 'M876', 'RESPOND',
  // print-time overrides, filament handling, steppers and power (idle only)
  'M220', 'M221', 'M600', 'M701', 'M702', 'M17', 'M18', 'M84', 'M80', 'M81', 'PAUSE', 'RESUME', 'CANCEL_PRINT',
];

/** Common Klipper macro names a profile UI can offer when the admin declares `knownMacros`. */
export const COMMON_KLIPPER_MACROS: readonly string[] = ['PRINT_START', 'START_PRINT', 'PRINT_END', 'END_PRINT', 'TIMELAPSE_TAKE_FRAME'];
