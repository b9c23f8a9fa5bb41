import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile, checkCompatibility } from '../../src/analysis/index.js';
import type { GcodeAnalysis, PrinterProfile } from '../../src/analysis/index.js';
import { CORPUS_DIR } from './corpus-files.js';

const mk3s: PrinterProfile = {
  model: 'MK3S',
  modelAliases: ['MK3S+'],
  nozzleDiameters: [0.4],
  bed: { shape: 'rectangular', width: 250, depth: 210 },
  maxHeight: 210,
  heaterLimits: { hotend: 300, bed: 120 },
  loadedMaterials: ['PLA'],
};

const deltiq2: PrinterProfile = {
  model: 'DQ2',
  nozzleDiameters: [0.4],
  bed: { shape: 'circular', diameter: 250 },
  maxHeight: 250,
  heaterLimits: { hotend: 260, bed: 110 },
  loadedMaterials: ['PLA'],
};

let cube: GcodeAnalysis;
let torus: GcodeAnalysis;
let orca: GcodeAnalysis;

beforeAll(async () => {
  const analyze = (f: string): Promise<GcodeAnalysis> => analyzeFile(CORPUS_DIR + f, { estimator: null });
  cube = await analyze('prusaslicer-2.5.0_mk3s_20mm-cube.gcode');
  torus = await analyze('prusaslicer-2.5.0_deltiq2-rrf_torus.gcode');
  orca = await analyze('orcaslicer-2.3.0-beta2_k1max-klipper.gcode');
});

const codes = (a: GcodeAnalysis, p: PrinterProfile): string[] => checkCompatibility(a, p).reasons.map((r) => r.code);

describe('checkCompatibility', () => {
  it('accepts a file on the printer it was sliced for', () => {
    expect(checkCompatibility(cube, mk3s)).toEqual({ compatible: true, reasons: [] });
    expect(checkCompatibility(torus, deltiq2)).toEqual({ compatible: true, reasons: [] });
  });

  it('refuses a file sliced for another model, naming both', () => {
    const result = checkCompatibility(cube, { ...mk3s, model: 'MINI', modelAliases: [] });
    expect(result.compatible).toBe(false);
    expect(result.reasons).toEqual([
      expect.objectContaining({ code: 'model-mismatch', fileModel: 'MK3S', printerModel: 'MINI' }),
    ]);
  });

  it('matches model names loosely on case and punctuation, and through aliases', () => {
    expect(codes(cube, { ...mk3s, model: 'mk3s', modelAliases: [] })).toEqual([]);
    expect(codes(cube, { ...mk3s, model: 'Original Prusa i3 MK3S+', modelAliases: ['MK3S'] })).toEqual([]);
  });

  it('reports a nozzle and a material mismatch', () => {
    const reasons = checkCompatibility(cube, { ...mk3s, nozzleDiameters: [0.6], loadedMaterials: ['PETG'] }).reasons;
    expect(reasons).toEqual([
      expect.objectContaining({ code: 'nozzle-mismatch', tool: 0, file: 0.4, printer: 0.6 }),
      expect.objectContaining({ code: 'material-mismatch', tool: 0, file: 'PLA', loaded: 'PETG' }),
    ]);
  });

  it('checks the extruder a multi-tool file actually uses (Orca uses T1 only)', () => {
    const k1: PrinterProfile = {
      ...mk3s,
      model: 'CR-K1 Max',
      bed: { shape: 'rectangular', width: 300, depth: 300 },
      loadedMaterials: ['PETG', 'PLA'],
      nozzleDiameters: [0.4, 0.4],
      heaterLimits: { hotend: 300, bed: 120, chamber: 60 },
    };
    expect(codes(orca, k1)).toEqual([]);
    expect(codes(orca, { ...k1, nozzleDiameters: [0.4], loadedMaterials: ['PLA'] })).toEqual(['too-many-tools']);
  });

  it('refuses a print that does not fit a rectangular bed or is too tall', () => {
    expect(codes(cube, { ...mk3s, bed: { shape: 'rectangular', width: 120, depth: 120 } })).toEqual(['outside-bed']);
    expect(
      codes(cube, { ...mk3s, bed: { shape: 'rectangular', width: 250, depth: 210, origin: { x: 115, y: 0 } } }),
    ).toEqual(['outside-bed']);
    expect(codes(cube, { ...mk3s, maxHeight: 15 })).toEqual(['too-tall']);
  });

  it('fits the delta print on its round bed centred on 0,0, not on a 0-origin rectangle or a small disc', () => {
    expect(codes(torus, { ...deltiq2, bed: { shape: 'rectangular', width: 250, depth: 250 } })).toEqual([
      'outside-bed',
    ]);
    expect(
      codes(torus, { ...deltiq2, bed: { shape: 'rectangular', width: 250, depth: 250, origin: { x: -125, y: -125 } } }),
    ).toEqual([]);
    expect(codes(torus, { ...deltiq2, bed: { shape: 'circular', diameter: 90 } })).toEqual(['outside-bed']);
    expect(codes(torus, { ...deltiq2, bed: { shape: 'circular', diameter: 250, centre: { x: 100, y: 100 } } })).toEqual(
      ['outside-bed'],
    );
  });

  it('refuses temperatures above each heater limit, chamber included', () => {
    const reasons = checkCompatibility(cube, { ...mk3s, heaterLimits: { hotend: 210, bed: 55 } }).reasons;
    expect(reasons).toEqual([
      expect.objectContaining({
        code: 'temperature-above-limit',
        heater: 'hotend',
        tool: 0,
        requested: 215,
        limit: 210,
      }),
      expect.objectContaining({ code: 'temperature-above-limit', heater: 'bed', requested: 60, limit: 55 }),
    ]);
    const noChamber: PrinterProfile = {
      ...mk3s,
      model: null,
      bed: { shape: 'rectangular', width: 300, depth: 300 },
      nozzleDiameters: [0.4, 0.4],
      loadedMaterials: [null, null],
    };
    expect(checkCompatibility(orca, noChamber).reasons).toEqual([
      expect.objectContaining({ code: 'temperature-above-limit', heater: 'chamber', requested: 35, limit: 0 }),
    ]);
  });

  it('lists every reason at once', () => {
    const small: PrinterProfile = {
      model: 'MINI',
      nozzleDiameters: [0.25],
      bed: { shape: 'rectangular', width: 100, depth: 100 },
      maxHeight: 10,
      heaterLimits: { hotend: 200, bed: 50 },
      loadedMaterials: ['ASA'],
    };
    const result = checkCompatibility(cube, small);
    expect(result.compatible).toBe(false);
    expect(result.reasons.map((r) => r.code)).toEqual([
      'model-mismatch',
      'nozzle-mismatch',
      'material-mismatch',
      'too-tall',
      'outside-bed',
      'temperature-above-limit',
      'temperature-above-limit',
    ]);
    for (const r of result.reasons) expect(r.message).not.toBe('');
  });
});
