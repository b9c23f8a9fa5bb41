import type { CommandWords } from '../line/words.js';

/**
 * Risk classes of SECURITY.md "Physical safety". Every command maps to one;
 * what each class may do per actor is in `actor-rules.ts`.
 */
export type RiskClass =
  | 'temperature' // sets or waits for a heater target (always capped)
  | 'autotune' // heats on its own: PID / MPC / thermal-model tuning
  | 'estop' // M112
  | 'break-wait' // M108, M410
  | 'restart' // restart after a halt (M999, FIRMWARE_RESTART)
  | 'wait-for-user' // waits for a button on the printer (M0/M1): hangs the serial link
  | 'eeprom' // persistent settings: save / load / factory reset
  | 'firmware-write' // firmware update, SD-card writes and deletes
  | 'sd-print' // runs G-code from the printer's own storage, which the host guard never sees
  | 'sd-card' // card listing, selection, status, pause
  | 'calibration' // steps, PID values, probe offsets, currents, geometry, heater/sensor config
  | 'motion-tuning' // volatile speed/accel/jerk/advance settings slicers emit in every file
  | 'cold-extrusion' // allows extrusion below the safe temperature
  | 'endstops' // soft endstops off, endstops toggled
  | 'raw-io' // raw pins, I2C, servos, spindle/laser, coolant
  | 'power-steppers' // PSU on/off, steppers on/off
  | 'display' // LCD message, serial echo
  | 'klipper-config' // Klipper config writes, restarts, position faking
  | 'shell' // runs a shell command on the Klipper host
  | 'unknown-macro' // a bare word Klipper would run as a (user) macro
  | 'motion' // moves, homing, probing, tool select, positioning modes
  | 'read' // reports only
  | 'ordinary' // fans, progress, object labels, filament change, waits
  | 'unknown'; // any other G/M code

type ClassRule = RiskClass | ((words: CommandWords) => RiskClass);

const numberParam = (words: CommandWords, key: string): number | undefined => {
  const value = words.params[key];
  return typeof value === 'number' ? value : undefined;
};

/** Marlin M302: `S<min>` sets the cold-extrusion limit, `P1` / low `S` disables the protection; bare = report. */
const m302: ClassRule = (w) => {
  const p = w.params.P;
  const s = numberParam(w, 'S');
  if (p === undefined && s === undefined) return 'read';
  if ((p !== undefined && p !== 0) || (s !== undefined && s < 150) || w.params.S === true) return 'cold-extrusion';
  return 'motion-tuning';
};

/** Marlin M211: `S0` turns soft endstops off; `S1` or a bare report is harmless. */
const m211: ClassRule = (w) => (w.params.S === undefined || numberParam(w, 'S') === 1 ? 'read' : 'endstops');

/** G10: Marlin = firmware retract; RRF `G10 P<tool> S<active> R<standby>` = tool temperatures, `G10 L…` / axis words = offsets. */
const g10: ClassRule = (w) => {
  if (w.params.L !== undefined || ['X', 'Y', 'Z', 'U', 'V', 'W', 'A', 'B', 'C'].some((k) => w.params[k] !== undefined)) {
    return 'calibration';
  }
  return w.params.S !== undefined || w.params.R !== undefined ? 'temperature' : 'motion';
};

/** Marlin M306: `T` runs MPC autotune; other parameters set the thermal model. */
const m306: ClassRule = (w) => (w.params.T !== undefined ? 'autotune' : w.params.P === undefined && Object.keys(w.params).length === 0 ? 'read' : 'calibration');

/**
 * One table for G/M codes (Marlin unless noted; RRF = RepRapFirmware). Subcodes
 * (`M104.1`, `M862.3`) fall back to their base code.
 */
const CODE_CLASSES: Readonly<Record<string, ClassRule>> = {
  // Temperatures. M104/M109: S target, R (M109: wait both ways), B = AUTOTEMP max, T tool, I preset (2.0.6+).
  M104: 'temperature', M109: 'temperature',
  // M140/M190: S, R, I preset; RRF adds P (bed index), H (heater number), R (standby).
  M140: 'temperature', M190: 'temperature',
  M141: 'temperature', M191: 'temperature', // chamber, same parameters
  M116: 'temperature', // RRF/Prusa: wait for all temperatures (no target)
  M144: 'temperature', // RRF: bed standby/active
  M568: 'temperature', // RRF: tool settings, P tool, S active, R standby (colon lists)
  G10: g10,
  // Autotune: M303 E<index> (-1 = bed) S<target> C<cycles>; RRF M303 H<heater>/T<tool> S.
  M303: 'autotune', M306: m306, M310: 'autotune', // M310 = Prusa thermal model (calibration run)
  G76: 'autotune', // probe temperature calibration: heats bed and probe itself
  M112: 'estop',
  M108: 'break-wait', M410: 'break-wait',
  M999: 'restart',
  M0: 'wait-for-user', M1: 'wait-for-user',
  // EEPROM / config-override.g: save, load, factory reset, validate.
  M500: 'eeprom', M501: 'eeprom', M502: 'eeprom', M504: 'eeprom',
  // Firmware update and storage writes: M997 update, M28/M29 write file, M30 delete, M928 SD log, RRF M559/M560 upload, M471 rename.
  M997: 'firmware-write', M28: 'firmware-write', M29: 'firmware-write', M30: 'firmware-write',
  M928: 'firmware-write', M559: 'firmware-write', M560: 'firmware-write', M471: 'firmware-write',
  // Printing from the card or macros stored on the printer: M24 start/resume, M32 select+start, RRF M98 call macro.
  M24: 'sd-print', M32: 'sd-print', M98: 'sd-print',
  M20: 'sd-card', M21: 'sd-card', M22: 'sd-card', M23: 'sd-card', M25: 'sd-card', M26: 'sd-card', M27: 'read',
  M33: 'read', M34: 'sd-card', M39: 'read',
  // Calibration and machine configuration (SECURITY.md table plus RRF config codes).
  M92: 'calibration', M301: 'calibration', M304: 'calibration', M851: 'calibration', M906: 'calibration',
  M913: 'calibration', M914: 'calibration', M569: 'calibration', M665: 'calibration', M666: 'calibration',
  M206: 'calibration', M428: 'calibration', M145: 'calibration', M149: 'calibration', M143: 'calibration',
  M307: 'calibration', M308: 'calibration', M570: 'calibration', M563: 'calibration', M950: 'raw-io',
  M584: 'calibration', M350: 'calibration', M208: 'calibration', M218: 'calibration', M217: 'calibration',
  M907: 'calibration', M908: 'calibration', M909: 'calibration', M910: 'calibration', M915: 'calibration',
  M916: 'calibration', M917: 'calibration', M918: 'calibration', M919: 'calibration', M281: 'calibration',
  M422: 'calibration', M423: 'calibration', M425: 'calibration', M552: 'calibration', M553: 'calibration',
  M554: 'calibration', M586: 'calibration', M587: 'calibration', M588: 'calibration', M589: 'calibration',
  M540: 'calibration', M550: 'calibration', M551: 'calibration', M558: 'calibration', M557: 'calibration',
  M574: 'calibration', M575: 'calibration', M111: 'calibration', M555: 'ordinary',
  M200: 'motion-tuning', M207: 'motion-tuning', M209: 'motion-tuning',
  G26: 'calibration', // mesh validation print: B bed / H hotend temperatures (capped)
  G33: 'calibration', G34: 'calibration', G35: 'calibration', G425: 'calibration', M48: 'calibration', M45: 'calibration',
  // Volatile motion settings emitted by slicers in every file (acceleration, feedrate limits, jerk, advance, input shaping).
  M201: 'motion-tuning', M202: 'motion-tuning', M203: 'motion-tuning', M204: 'motion-tuning', M205: 'motion-tuning',
  M220: 'motion-tuning', M221: 'motion-tuning', M900: 'motion-tuning', M572: 'motion-tuning', M566: 'motion-tuning',
  M593: 'motion-tuning', M74: 'motion-tuning',
  M302: m302,
  M211: m211, M120: 'endstops', M121: 'endstops', // RRF uses M120/M121 for push/pop state; treated the stricter way
  // Raw pins, I2C, servos, spindle/laser, coolant, vacuum/air assist.
  M42: 'raw-io', M43: 'raw-io', M226: 'raw-io', M260: 'raw-io', M261: 'raw-io', M280: 'raw-io',
  M3: 'raw-io', M4: 'raw-io', M5: 'raw-io', M7: 'raw-io', M8: 'raw-io', M9: 'raw-io', M10: 'raw-io', M11: 'raw-io',
  M80: 'power-steppers', M81: 'power-steppers', M18: 'power-steppers', M84: 'power-steppers', M17: 'power-steppers',
  M117: 'display', M118: 'display', M300: 'ordinary',
  // Motion, homing, probing, positioning.
  G0: 'motion', G1: 'motion', G2: 'motion', G3: 'motion', G4: 'motion', G5: 'motion', G11: 'motion', G12: 'motion',
  G17: 'motion', G18: 'motion', G19: 'motion', G20: 'motion', G21: 'motion', G27: 'motion', G28: 'motion',
  G29: 'motion', G30: 'motion', G31: 'motion', G32: 'motion', G53: 'motion', G54: 'motion', G55: 'motion',
  G56: 'motion', G57: 'motion', G58: 'motion', G59: 'motion', G60: 'motion', G61: 'motion', G80: 'motion',
  G90: 'motion', G91: 'motion', G92: 'motion', M82: 'motion', M83: 'motion', M400: 'motion', M401: 'motion',
  M402: 'motion', M420: 'motion', M125: 'motion',
  // Reports.
  M105: 'read', M114: 'read', M115: 'read', M119: 'read', M503: 'read', M31: 'read', M155: 'read', M154: 'read',
  M122: 'read', M78: 'read', M408: 'read', M409: 'read', M862: 'read', M110: 'read', M113: 'read', M123: 'read',
  // Everyday: fans, progress, job timer, object labels, prompts, filament change/load, MMU.
  M106: 'ordinary', M107: 'ordinary', M73: 'ordinary', M75: 'ordinary', M76: 'ordinary', M77: 'ordinary',
  M486: 'ordinary', M876: 'ordinary', M600: 'ordinary', M701: 'ordinary', M702: 'ordinary', M403: 'ordinary',
  M142: 'ordinary', M601: 'ordinary', M602: 'ordinary', M603: 'ordinary', M860: 'ordinary', M355: 'ordinary',
  M150: 'ordinary', M808: 'ordinary', M291: 'ordinary', M292: 'ordinary', M46: 'read', M524: 'sd-card',
  // Firmware-stored command sequences (Marlin M810–M819 macros) and power-loss resume (M1000) run G-code the host never checked.
  M810: 'calibration', M811: 'calibration', M812: 'calibration', M813: 'calibration', M814: 'calibration',
  M815: 'calibration', M816: 'calibration', M817: 'calibration', M818: 'calibration', M819: 'calibration',
  M1000: 'sd-print', M413: 'calibration', M605: 'calibration', M861: 'calibration',
  M451: 'calibration', M452: 'calibration', M453: 'calibration', M571: 'raw-io', // RRF FFF/laser/CNC mode, output on extrude
  M163: 'motion-tuning', M164: 'motion-tuning', M165: 'motion-tuning',
};

/** Bare words: Klipper extended commands (and Prusa MMU `T?`/`Tx`/`Tc`). Anything else bare is a macro. */
const WORD_CLASSES: Readonly<Record<string, ClassRule>> = {
  SET_HEATER_TEMPERATURE: 'temperature', TEMPERATURE_WAIT: 'temperature', TURN_OFF_HEATERS: 'temperature',
  PID_CALIBRATE: 'autotune', MPC_CALIBRATE: 'autotune',
  SAVE_CONFIG: 'eeprom', SAVE_VARIABLE: 'eeprom',
  FIRMWARE_RESTART: 'restart', RESTART: 'klipper-config',
  SET_KINEMATIC_POSITION: 'klipper-config', FORCE_MOVE: 'klipper-config', STEPPER_BUZZ: 'klipper-config',
  MANUAL_STEPPER: 'klipper-config', SET_STEPPER_ENABLE: 'klipper-config', SET_HEATER_PID: 'calibration',
  PROBE_CALIBRATE: 'calibration', Z_ENDSTOP_CALIBRATE: 'calibration', SET_TMC_CURRENT: 'calibration',
  SET_TMC_FIELD: 'calibration', SET_INPUT_SHAPER: 'motion-tuning', SET_SKEW: 'calibration',
  SET_PIN: 'raw-io', SET_SERVO: 'raw-io', SET_LED: 'ordinary',
  RUN_SHELL_COMMAND: 'shell',
  SDCARD_PRINT_FILE: 'sd-print', SDCARD_RESET_FILE: 'sd-card',
  SET_VELOCITY_LIMIT: 'motion-tuning', SET_PRESSURE_ADVANCE: 'motion-tuning', SET_RETRACTION: 'motion-tuning',
  SET_GCODE_OFFSET: 'motion-tuning',
  EXCLUDE_OBJECT_DEFINE: 'ordinary', EXCLUDE_OBJECT_START: 'ordinary', EXCLUDE_OBJECT_END: 'ordinary',
  EXCLUDE_OBJECT: 'ordinary', SET_PRINT_STATS_INFO: 'ordinary', SET_FAN_SPEED: 'ordinary', SET_IDLE_TIMEOUT: 'ordinary',
  SET_TEMPERATURE_FAN_TARGET: 'ordinary', PAUSE: 'ordinary', RESUME: 'ordinary', CLEAR_PAUSE: 'ordinary',
  CANCEL_PRINT: 'ordinary', BED_MESH_CALIBRATE: 'motion', BED_MESH_PROFILE: 'motion', BED_MESH_CLEAR: 'motion',
  Z_TILT_ADJUST: 'motion', QUAD_GANTRY_LEVEL: 'motion', SCREWS_TILT_CALCULATE: 'motion', PROBE: 'motion',
  G28: 'motion', SAVE_GCODE_STATE: 'motion', RESTORE_GCODE_STATE: 'motion',
  GET_POSITION: 'read', QUERY_ENDSTOPS: 'read', QUERY_PROBE: 'read', STATUS: 'read', HELP: 'read',
  ECHO: 'display', RESPOND: 'display', SET_DISPLAY_TEXT: 'display',
  SET_GCODE_VARIABLE: 'klipper-config', Z_OFFSET_APPLY_PROBE: 'calibration', Z_OFFSET_APPLY_ENDSTOP: 'calibration',
  ACCEPT: 'motion', ABORT: 'motion', TESTZ: 'motion', BED_MESH_OUTPUT: 'read', DUMP_TMC: 'read',
  'T?': 'motion', TX: 'motion', TC: 'motion',
};

/** A bare word this table knows (Klipper built-in), as opposed to a user macro. */
export function isKlipperBuiltin(name: string): boolean {
  return Object.hasOwn(WORD_CLASSES, name);
}

/** The risk class of one parsed command. Pure and cheap; used by the guard and by the file analyser. */
export function classifyCommand(words: CommandWords): RiskClass {
  if (words.letter === '') {
    if (words.name === '') return 'ordinary';
    const rule = WORD_CLASSES[words.name];
    if (rule === undefined) return 'unknown-macro';
    return typeof rule === 'function' ? rule(words) : rule;
  }
  if (words.letter === 'T') return 'motion';
  let rule = CODE_CLASSES[words.name];
  if (rule === undefined && words.code.includes('.')) {
    rule = CODE_CLASSES[`${words.letter}${words.code.slice(0, words.code.indexOf('.'))}`];
  }
  if (rule === undefined) return 'unknown';
  return typeof rule === 'function' ? rule(words) : rule;
}
