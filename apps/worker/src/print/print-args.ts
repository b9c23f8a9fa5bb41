import { parseArgs } from 'node:util';

export type FlowMode = 'pingpong' | 'window' | 'auto';

export interface PrintArgs {
  port: string;
  baudRate: number;
  flow: FlowMode;
  /** Firmware receive buffer in bytes for the windowed mode; undefined = engine default (127). */
  rxBufferBytes: number | undefined;
  maxHotendC: number;
  maxBedC: number;
  /** Hotends the printer has (T0…); a temperature for any other tool is refused. */
  tools: number;
  /** Klipper macros the file may call (e.g. START_PRINT); others are refused. */
  knownMacros: string[];
  /** Wait for the board to boot after the open-time reset (0 for boards that don't reset). */
  bootWaitMs: number | undefined;
  file: string;
  /** Print the final summary as one JSON object instead of text (for scripts and benchmarks). */
  json: boolean;
  quiet: boolean;
  /** serialport's stock thread-pool reads and writes instead of direct I/O (for comparison). */
  threadPoolIo: boolean;
}

export const USAGE = `usage: npm run print -- --port PATH|tcp://host:port --baud N [--flow pingpong|window|auto]
         [--rx-buffer BYTES] [--max-hotend C] [--max-bed C] [--tools N] [--macro NAME]...
         [--boot-wait MS] [--json] [--quiet] [--thread-pool-io] FILE

  --port        serial device (/dev/ttyUSB0, /dev/serial/by-id/...) or a network serial bridge tcp://host:port
  --baud        baud rate (default 115200; ignored by native USB and TCP bridges)
  --flow        pingpong = one line in flight; window = several lines within the firmware receive buffer;
                auto (default) = window when the firmware reports ADVANCED_OK
  --rx-buffer   firmware receive buffer in bytes for the windowed mode (default 127, AVR Marlin)
  --max-hotend  refuse any line that sets a hotend above this (default 260 C)
  --max-bed     refuse any line that sets the bed above this (default 110 C)
  --tools       hotends on the printer (default 1); temperatures for other tools are refused
  --macro       a Klipper macro the file may call (repeat for several), e.g. --macro START_PRINT
  --boot-wait   ms to wait after opening for the board's reset (default 2000; 0 for native USB)
  --json        end with a JSON summary instead of the text line
  --quiet       no progress display
  --thread-pool-io  read and write the device through libuv's thread pool (serialport's stock way) instead of
                on the event loop's thread (Linux default); for comparison`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const DEFAULT_MAX_HOTEND_C = 260;
export const DEFAULT_MAX_BED_C = 110;

export function parsePrintArgs(argv: readonly string[]): PrintArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        baud: { type: 'string', default: '115200' },
        flow: { type: 'string', default: 'auto' },
        'rx-buffer': { type: 'string' },
        'max-hotend': { type: 'string', default: String(DEFAULT_MAX_HOTEND_C) },
        'max-bed': { type: 'string', default: String(DEFAULT_MAX_BED_C) },
        tools: { type: 'string', default: '1' },
        macro: { type: 'string', multiple: true, default: [] },
        'boot-wait': { type: 'string' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        'thread-pool-io': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.port === undefined) throw new UsageError('--port is required');
  if (positionals.length !== 1) throw new UsageError('exactly one FILE to print is required');
  const flow = values.flow;
  if (flow !== 'pingpong' && flow !== 'window' && flow !== 'auto') throw new UsageError(`--flow must be pingpong, window or auto, not ${flow}`);
  return {
    port: values.port,
    baudRate: positiveInteger('--baud', values.baud),
    flow,
    rxBufferBytes: values['rx-buffer'] === undefined ? undefined : positiveInteger('--rx-buffer', values['rx-buffer']),
    maxHotendC: temperature('--max-hotend', values['max-hotend']),
    maxBedC: temperature('--max-bed', values['max-bed']),
    tools: positiveInteger('--tools', values.tools),
    knownMacros: values.macro,
    bootWaitMs: values['boot-wait'] === undefined ? undefined : wholeNumber('--boot-wait', values['boot-wait']),
    file: positionals[0] ?? '',
    json: values.json,
    quiet: values.quiet,
    threadPoolIo: values['thread-pool-io'],
  };
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) throw new UsageError(`${flag} must be a positive whole number, not ${text}`);
  return value;
}

function wholeNumber(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number, not ${text}`);
  return Number(text);
}

function temperature(flag: string, text: string): number {
  const value = Number(text);
  // 500 C is beyond any FDM hotend: a typo, not a setting.
  if (!/^\d+(\.\d+)?$/.test(text) || value < 0 || value > 500) throw new UsageError(`${flag} must be a temperature between 0 and 500 C, not ${text}`);
  return value;
}
