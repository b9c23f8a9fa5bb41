import type { FirmwareInfoOptions, HaltCause, Position, ReplyStyle, TemperatureContext, Temperatures } from './reply-style.js';

/**
 * Stock Marlin bugfix-2.1.x on a RAMPS board, as recorded in
 * marlin-real-replies.md:
 *
 *   ok T:25.00 /0.00 B:25.00 /0.00 @:0 B@:0
 *    T:39.50 /200.00 B:25.00 /0.00 @:127 B@:0 W:?
 *   X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0
 *   echo:busy: processing
 *   Error:Printer halted. kill() called!
 */
const STEPS_PER_MM = { X: 80, Y: 80, Z: 4000 };

// Stock capability report (35 lines); EMERGENCY_PARSER and HOST_ACTION_COMMANDS follow the options.
const CAPABILITIES: [string, number][] = [
  ['SERIAL_XON_XOFF', 0], ['BINARY_FILE_TRANSFER', 0], ['EEPROM', 0], ['VOLUMETRIC', 1], ['AUTOREPORT_POS', 0],
  ['AUTOREPORT_TEMP', 1], ['PROGRESS', 0], ['PRINT_JOB', 1], ['AUTOLEVEL', 0], ['RUNOUT', 0], ['Z_PROBE', 0],
  ['LEVELING_DATA', 0], ['BUILD_PERCENT', 0], ['SOFTWARE_POWER', 0], ['TOGGLE_LIGHTS', 0], ['CASE_LIGHT_BRIGHTNESS', 0],
  ['EMERGENCY_PARSER', 0], ['HOST_ACTION_COMMANDS', 0], ['PROMPT_SUPPORT', 0], ['SDCARD', 1], ['REPEAT', 0],
  ['SD_WRITE', 1], ['AUTOREPORT_SD_STATUS', 0], ['LONG_FILENAME', 0], ['LFN_WRITE', 0], ['CUSTOM_FIRMWARE_UPLOAD', 0],
  ['EXTENDED_M20', 0], ['THERMAL_PROTECTION', 1], ['MOTION_MODES', 0], ['ARCS', 1], ['BABYSTEPPING', 0],
  ['CHAMBER_TEMPERATURE', 0], ['COOLER_TEMPERATURE', 0], ['MEATPACK', 0], ['CONFIG_EXPORT', 0],
];

function two(x: number): string {
  return x.toFixed(2);
}

export const marlinReplies: ReplyStyle = {
  supportsAdvancedOk: true,
  sendsBusy: true,
  heaterWaitReports: true,
  banner: () => [
    'start',
    'Marlin bugfix-2.1.x',
    'echo: Last Updated: 2023-01-07 | Author: (none, default config)',
    'echo: Compiled: Nov 24 2026',
    'echo: Free Memory: 5589  PlannerBufferBytes: 1136',
    'echo:Hardcoded Default Settings Loaded',
    'echo:; Linear Units:',
    'echo:  G21 ; (mm)',
    'echo:; Steps per unit:',
    'echo:  M92 X80.00 Y80.00 Z4000.00 E500.00',
    'echo:; Maximum feedrates (units/s):',
    'echo:  M203 X300.00 Y300.00 Z5.00 E25.00',
    'echo:; PID settings:',
    'echo:  M301 P22.20 I1.08 D114.00',
  ],
  temperatures(t: Temperatures, context: TemperatureContext): string {
    const core = `T:${two(t.hotend.temp)} /${two(t.hotend.target)} B:${two(t.bed.temp)} /${two(t.bed.target)} @:${t.hotend.pwm} B@:${t.bed.pwm}`;
    switch (context.kind) {
      case 'm105':
        return `ok ${core}`;
      case 'auto':
        return ` ${core}`;
      case 'wait':
        return ` ${core} W:${context.residencyS === undefined ? '?' : Math.ceil(context.residencyS)}`;
    }
  },
  firmwareInfo(options: FirmwareInfoOptions) {
    const caps = CAPABILITIES.map(([name, on]) => {
      const value = name === 'EMERGENCY_PARSER' ? options.emergencyParser : name === 'HOST_ACTION_COMMANDS' ? options.hostActions : on === 1;
      return `Cap:${name}:${value ? 1 : 0}`;
    });
    return {
      lines: [
        'FIRMWARE_NAME:Marlin bugfix-2.1.x (Nov 24 2026 02:05:21) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:3D Printer EXTRUDER_COUNT:1 UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff',
        ...caps,
      ],
      okIncluded: false,
    };
  },
  position: (p: Position) => [
    `X:${two(p.X)} Y:${two(p.Y)} Z:${two(p.Z)} E:${two(p.E)} Count X:${Math.round(p.X * STEPS_PER_MM.X)} Y:${Math.round(p.Y * STEPS_PER_MM.Y)} Z:${Math.round(p.Z * STEPS_PER_MM.Z)}`,
  ],
  unknownCommand: (command: string) => [`echo:Unknown command: "${command}"`],
  busy: (reason) => `echo:busy: ${reason}`,
  halted(cause: HaltCause): string[] {
    switch (cause) {
      case 'thermal-runaway':
        return ['Error:Thermal Runaway, system stopped! Heater_ID: 0', 'Error:Printer halted. kill() called!'];
      case 'm112':
      case 'halt':
        return ['Error:Printer halted. kill() called!'];
    }
  },
  whileHalted: () => [],
  runout: () => ['//action:filament_runout T0', '//action:pause filament_runout 0'],
};
