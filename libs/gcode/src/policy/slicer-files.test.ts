import { createReadStream, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createLineGuard } from './line-guard.js';
import type { LineGuardResult } from './policy.types.js';
import type { SafetyProfile } from './safety-profile.js';

const CORPUS = fileURLToPath(new URL('../../../../../shared/gcode/', import.meta.url));
const FILES = readdirSync(CORPUS).filter((name) => name.endsWith('.gcode'));

// Generous enough for every printer in the corpus (MMU2S has 5 filament slots, the K1 Max a chamber).
const FARM_PROFILE: SafetyProfile = {
  firmware: 'other',
  heaters: { hotend: { toolCount: 5, maxC: 300 }, bed: { maxC: 120 }, chamber: { maxC: 60 } },
  knownMacros: ['START_PRINT', 'END_PRINT'],
};

async function refusals(file: string, profile: SafetyProfile): Promise<{ line: string; result: LineGuardResult }[]> {
  const guard = createLineGuard(profile, { actor: 'file', printerIdle: false, firmwareFlashAllowed: false });
  const out: { line: string; result: LineGuardResult }[] = [];
  const lines = createInterface({ input: createReadStream(`${CORPUS}${file}`), crlfDelay: Infinity });
  for await (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const result = guard(line);
    if (!result.ok) out.push({ line, result });
  }
  return out;
}

describe('real slicer files through the file guard', () => {
  it('finds the corpus', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(15);
  });

  it.each(FILES)('passes every line of %s on a printer whose caps fit the print', async (file) => {
    const refused = await refusals(file, FARM_PROFILE);
    expect(refused.slice(0, 5)).toEqual([]);
  });

  it('refuses the PETG temperatures of a real file on a printer capped at 230 °C', async () => {
    const cold: SafetyProfile = { ...FARM_PROFILE, heaters: { ...FARM_PROFILE.heaters, hotend: { toolCount: 1, maxC: 230 } } };
    const refused = await refusals('prusaslicer-2.5.0_mk3s_sphere-supports.gcode', cold);
    expect(refused.length).toBeGreaterThan(0);
    for (const { line, result } of refused) {
      expect(line).toMatch(/^M10[49] /);
      expect(result).toMatchObject({ ok: false, code: 'temperature-above-cap' });
    }
  });
});
