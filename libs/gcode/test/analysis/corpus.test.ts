import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/index.js';
import type { GcodeAnalysis } from '../../src/analysis/index.js';
import { CORPUS_DIR } from './corpus-files.js';
import { EXPECTED } from './corpus-expectations.js';

const results = new Map<string, Promise<GcodeAnalysis>>();
const analysisOf = (file: string): Promise<GcodeAnalysis> => {
  let r = results.get(file);
  if (!r) results.set(file, (r = analyzeFile(CORPUS_DIR + file)));
  return r;
};

describe.each(EXPECTED)('$file', (x) => {
  it('reads slicer, version, flavour and printer model as stated', async () => {
    const a = await analysisOf(x.file);
    expect(a.slicer).toEqual(x.slicer);
    expect(a.flavor).toBe(x.flavor);
    expect(a.printerModel).toBe(x.model);
    expect(a.postProcessors).toEqual(x.postProcessors ?? []);
  });

  it('takes every MANIFEST value from the exact line that states it', async () => {
    const a = await analysisOf(x.file);
    for (const line of x.stated) expect(a.statedLines).toContain(line);
  });

  it('parses the stated times and filament figures', async () => {
    const a = await analysisOf(x.file);
    expect(a.time.stated.normalSeconds).toBe(x.normal);
    expect(a.time.stated.silentSeconds).toBe(x.silent);
    expect(a.filament.stated.lengthMm).toEqual(x.lengthMm);
    expect(a.filament.stated.volumeCm3).toEqual(x.volumeCm3);
    expect(a.filament.stated.weightG).toEqual(x.weightG);
    expect(a.filament.stated.totalWeightG).toBe(x.totalWeightG);
  });

  it('counts bytes, lines, layers, M73, tools and object labels', async () => {
    const a = await analysisOf(x.file);
    expect(a.sizeBytes).toBe(x.bytes);
    if (x.lines !== null) expect(a.lineCount).toBe(x.lines);
    expect(a.layers.statedCount).toBe(x.statedLayers);
    expect(a.layers.count).toBe(x.layers);
    expect(a.layers.source).toBe(x.layerSource);
    expect(a.layers.z).toHaveLength(x.layers);
    expect(a.time.m73.count).toBe(x.m73);
    expect(a.tools.used).toEqual(x.tools);
    expect(a.tools.selectCount).toBe(x.toolSelects);
    expect(a.objects.source).toBe(x.objects.source);
    expect(a.objects.names).toHaveLength(x.objects.count);
  });

  it('extracts every thumbnail at every size offered', async () => {
    const a = await analysisOf(x.file);
    expect(a.thumbnails.map((t) => `${t.format} ${t.width}x${t.height}`)).toEqual(x.thumbnails);
    a.thumbnails.forEach((t, k) => {
      const stated = x.thumbnailSizes[k] ?? {};
      if (stated.bytes !== undefined) expect(t.data.length).toBe(stated.bytes);
      if (stated.base64 !== undefined) expect(Buffer.from(t.data).toString('base64')).toHaveLength(stated.base64);
    });
  });

  it('runs the motion-model estimate alongside, with one offset per layer, and uses it when no time is stated', async () => {
    const a = await analysisOf(x.file);
    expect(a.time.estimate?.seconds).toBeGreaterThan(0);
    expect(a.time.estimate?.layerStartSeconds).toHaveLength(x.layers);
    expect(a.time.seconds).toBe(x.normal ?? a.time.estimate?.seconds);
    expect(a.time.source).toBe(x.normal === null ? 'estimate' : 'slicer');
  });
});

describe('measured values against stated ones', () => {
  it('measures the filament the moves extrude within 2.5 % of what single-extruder slicers state', async () => {
    const singleTool = EXPECTED.filter(
      (x) => x.lengthMm.length > 0 && !x.file.includes('mmu2s') && !x.file.includes('ideamaker'),
    );
    for (const x of singleTool) {
      const a = await analysisOf(x.file);
      const stated = x.lengthMm.reduce((s, v) => s + v, 0);
      expect(Math.abs(a.filament.measuredTotalMm - stated) / stated, x.file).toBeLessThan(0.025);
    }
  });

  it('ideaMaker states filament after its 90 % flow compensation (M221 S90), the moves before it', async () => {
    const a = await analysisOf('ideamaker-5.1.4_raise3d-pro3.gcode');
    expect(Math.abs(a.filament.measuredTotalMm * 0.9 - 1643.4) / 1643.4).toBeLessThan(0.01);
  });

  it('attributes extrusion to the tool that made it (Orca uses only its second extruder)', async () => {
    const a = await analysisOf('orcaslicer-2.3.0-beta2_k1max-klipper.gcode');
    expect(a.filament.measuredMm[0]).toBe(0);
    expect(a.filament.measuredMm[1]).toBeCloseTo(32105.52, -1);
    const mmu = await analysisOf('prusaslicer-2.5.0_mk3s-mmu2s_extruder-idler_2-tools.gcode');
    expect(mmu.tools.changeCount).toBe(186); // `; total toolchanges = 186`
  });

  it('finds the model footprint Cura and ideaMaker state, purge lines left out', async () => {
    const cura = await analysisOf('cura-5.9.1_k1max.gcode');
    expect(cura.boundingBox.printed).toEqual(cura.boundingBox.stated);
    const idea = await analysisOf('ideamaker-5.1.4_raise3d-pro3.gcode');
    expect(idea.boundingBox.printed?.min).toMatchObject({ x: 117.881, y: 119.589 });
    expect(idea.boundingBox.printed?.max).toMatchObject({ x: 182.118, y: 180.411, z: 5.05 });
    expect(idea.boundingBox.extruding?.min.x).toBe(60); // its purge line
  });

  it('keeps the delta print centred on 0,0 with negative coordinates', async () => {
    const a = await analysisOf('prusaslicer-2.5.0_deltiq2-rrf_torus.gcode');
    expect(a.boundingBox.printed?.min.x).toBeLessThan(-35);
    expect(a.boundingBox.printed?.max.x).toBeGreaterThan(35);
    expect(a.statedBed?.length).toBeGreaterThan(20); // round bed as a polygon
    expect(a.peakTemperatures.hotend[0]).toBe(220); // RepRapFirmware `G10 S215 P0` and M104 S220
  });

  it('reads peak heater targets, including Klipper start-macro parameters', async () => {
    const creality = await analysisOf('crealityprint_k1se_3dbenchy_crlf.gcode');
    expect(creality.peakTemperatures).toEqual({ hotend: { 0: 210 }, bed: 60, chamber: null });
    const orca = await analysisOf('orcaslicer-2.3.0-beta2_k1max-klipper.gcode');
    expect(orca.peakTemperatures.chamber).toBe(35);
  });

  it('lists commands a job file may not run unapproved', async () => {
    const orca = await analysisOf('orcaslicer-2.3.0-beta2_k1max-klipper.gcode');
    expect(orca.restrictedCommands.map((r) => r.name)).toEqual(expect.arrayContaining(['START_PRINT', 'END_PRINT']));
    const cube = await analysisOf('prusaslicer-2.5.0_mk3s_20mm-cube.gcode');
    expect(cube.restrictedCommands).toEqual([]);
  });

  it('decodes the .bgcode to the same commands as its plain twin', async () => {
    const binary = await analysisOf('prusaslicer-2.8.1_mk4s_mini-cube.bgcode');
    const plain = await analysisOf('prusaslicer-2.8.1_mk4s_mini-cube.gcode');
    expect(binary.format).toBe('bgcode');
    expect(binary.commandCount).toBe(plain.commandCount);
    expect(binary.filament.measuredMm).toEqual(plain.filament.measuredMm);
    expect(binary.boundingBox).toEqual({ ...plain.boundingBox });
    expect(binary.bgcodeMetadata.printer?.printer_model).toBe('MK4S');
    expect(binary.thumbnails.map((t) => t.data)).toEqual(plain.thumbnails.map((t) => t.data));
  });
});
