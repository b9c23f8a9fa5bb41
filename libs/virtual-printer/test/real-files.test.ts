import { readFileSync } from 'node:fs';
import { cleanLine, frameLine } from '@farm/gcode';
import { describe, expect, it } from 'vitest';
import type { Flavor } from '../src/config/printer-config.js';
import { defaultConfig } from '../src/config/printer-config.js';
import { Firmware } from '../src/firmware/firmware.js';

/**
 * Real slicer files through the firmware core at a huge time scale, one
 * line in flight: every command executes once, in order, with no line
 * errors (arcs, tool changes, CRLF, Klipper macros, long Prusa files).
 */
function commandsOf(file: string): string[] {
  const text = readFileSync(new URL(`../../../../shared/gcode/${file}`, import.meta.url), 'latin1');
  // The first 12 000 commands keep the suite fast; they include start G-code, arcs and tool changes.
  return text.split(/\r?\n/).map(cleanLine).filter((line) => line !== '').slice(0, 12_000);
}

function print(commands: string[], flavor: Flavor): Firmware {
  const firmware = new Firmware({
    config: defaultConfig({ flavor, bootMs: 0, baud: 0, latencyMs: 0, timeScale: 1e7 }),
  });
  let now = 0;
  for (const [i, command] of commands.entries()) {
    firmware.hostBytes(Buffer.from(`${frameLine(i + 1, command)}\n`, 'latin1'), now);
    let reply = '';
    while (!reply.includes('ok')) {
      now = Math.max(now, firmware.nextWakeAt() ?? now + 1);
      firmware.advance(now);
      reply += firmware.takeOutput(now);
      if (reply.includes('Resend')) throw new Error(`line ${i + 1} rejected: ${command}\n${reply}`);
    }
  }
  return firmware;
}

describe('real slicer files through the firmware core', () => {
  it.each([
    ['slic3r-prusa-1.33.3_arcwelder_3dbenchy-arcs.gcode', 'marlin'],
    ['prusaslicer-2.5.0_mk3s-mmu2s_full-m73-layers.gcode', 'prusa'],
    ['prusaslicer-2.5.0_mk3s-mmu2s_extruder-idler_2-tools.gcode', 'prusa'],
    ['crealityprint_k1se_3dbenchy_crlf.gcode', 'klipper'],
    ['prusaslicer-2.5.0_deltiq2-rrf_torus.gcode', 'rrf'],
    ['orcaslicer-2.3.0-beta2_k1max-klipper.gcode', 'klipper'],
  ] as const)('executes every command of %s once, in order', (file, flavor) => {
    const commands = commandsOf(file);
    const firmware = print(commands, flavor);
    expect(firmware.recorder.executed.map((e) => e.command)).toEqual(commands);
    expect(firmware.stats().counters.checksumErrors).toBe(0);
  });
});
