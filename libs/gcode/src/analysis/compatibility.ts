import type { Box, GcodeAnalysis } from './analysis.types.js';

/**
 * The printer facts a file is checked against. Deliberately small: the farm's
 * stored printer profile is mapped onto it.
 */
export interface PrinterProfile {
  /** Model code as slicers write it (`MK3S`, `CR-K1 Max`); null = do not check. */
  model: string | null;
  /** Other names the same printer is sliced as (`MK3S+`, `Creality K1 Max`). */
  modelAliases?: string[];
  /** Nozzle diameter per extruder, mm. */
  nozzleDiameters: number[];
  bed: BedShape;
  /** Printable height, mm. */
  maxHeight: number;
  /** Highest target each heater may be given, °C (hotend: one value or one per extruder). */
  heaterLimits: { hotend: number | number[]; bed: number; chamber?: number | null };
  /** Material loaded per extruder (`PLA`, `PETG`), null when unknown. */
  loadedMaterials: Array<string | null>;
}

/** Coordinates are the printer's: a rectangle from `origin` (its front-left corner), a circle around `centre`. */
export type BedShape =
  | { shape: 'rectangular'; width: number; depth: number; origin?: { x: number; y: number } }
  | { shape: 'circular'; diameter: number; centre?: { x: number; y: number } };

export type IncompatibilityReason =
  | { code: 'model-mismatch'; message: string; fileModel: string; printerModel: string }
  | { code: 'nozzle-mismatch'; message: string; tool: number; file: number; printer: number | null }
  | { code: 'material-mismatch'; message: string; tool: number; file: string; loaded: string }
  | { code: 'outside-bed'; message: string; box: Box }
  | { code: 'too-tall'; message: string; height: number; maxHeight: number }
  | { code: 'too-many-tools'; message: string; tool: number; extruders: number }
  | {
      code: 'temperature-above-limit';
      message: string;
      heater: 'hotend' | 'bed' | 'chamber';
      tool?: number;
      requested: number;
      limit: number;
    };

export interface CompatibilityResult {
  compatible: boolean;
  reasons: IncompatibilityReason[];
}

const EPS = 1e-3;

/** Whether a file can print on a printer, and every reason when it cannot. Facts the file does not state are not held against it. */
export function checkCompatibility(analysis: GcodeAnalysis, profile: PrinterProfile): CompatibilityResult {
  const reasons: IncompatibilityReason[] = [];
  const tools = analysis.tools.used.length > 0 ? analysis.tools.used : [0];
  checkModel(analysis, profile, reasons);
  for (const tool of tools) {
    if (tool >= profile.nozzleDiameters.length && tool >= profile.loadedMaterials.length) {
      reasons.push({
        code: 'too-many-tools',
        tool,
        extruders: profile.nozzleDiameters.length,
        message: `the file uses extruder T${tool}; the printer has ${profile.nozzleDiameters.length}`,
      });
      continue;
    }
    checkNozzle(analysis, profile, tool, reasons);
    checkMaterial(analysis, profile, tool, reasons);
  }
  checkFit(analysis, profile, reasons);
  checkTemperatures(analysis, profile, reasons);
  return { compatible: reasons.length === 0, reasons };
}

function normaliseModel(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9+]/g, '');
}

function checkModel(a: GcodeAnalysis, p: PrinterProfile, out: IncompatibilityReason[]): void {
  if (a.printerModel === null || p.model === null) return;
  const names = [p.model, ...(p.modelAliases ?? [])].map(normaliseModel);
  if (names.includes(normaliseModel(a.printerModel))) return;
  out.push({
    code: 'model-mismatch',
    fileModel: a.printerModel,
    printerModel: p.model,
    message: `sliced for ${a.printerModel}, this printer is ${p.model}`,
  });
}

function checkNozzle(a: GcodeAnalysis, p: PrinterProfile, tool: number, out: IncompatibilityReason[]): void {
  const file = a.nozzleDiameters[tool] ?? (a.nozzleDiameters.length === 1 ? a.nozzleDiameters[0] : undefined);
  if (file === undefined) return;
  const printer = p.nozzleDiameters[tool] ?? null;
  if (printer !== null && Math.abs(printer - file) < EPS) return;
  out.push({
    code: 'nozzle-mismatch',
    tool,
    file,
    printer,
    message: `sliced for a ${file} mm nozzle on T${tool}; the printer has ${printer ?? 'no'} ${printer === null ? 'nozzle there' : 'mm'}`,
  });
}

function checkMaterial(a: GcodeAnalysis, p: PrinterProfile, tool: number, out: IncompatibilityReason[]): void {
  const file = a.filament.types[tool] ?? (a.filament.types.length === 1 ? a.filament.types[0] : undefined);
  const loaded = p.loadedMaterials[tool] ?? null;
  if (file === undefined || loaded === null || file.toLowerCase() === loaded.toLowerCase()) return;
  out.push({
    code: 'material-mismatch',
    tool,
    file,
    loaded,
    message: `sliced for ${file} on T${tool}; ${loaded} is loaded`,
  });
}

function checkFit(a: GcodeAnalysis, p: PrinterProfile, out: IncompatibilityReason[]): void {
  const box = a.boundingBox.printed ?? a.boundingBox.extruding;
  if (!box) return;
  if (box.max.z > p.maxHeight + EPS) {
    out.push({
      code: 'too-tall',
      height: box.max.z,
      maxHeight: p.maxHeight,
      message: `the print is ${box.max.z} mm tall; the printer builds up to ${p.maxHeight} mm`,
    });
  }
  if (!fitsBed(box, p.bed)) {
    const size = `X ${box.min.x}…${box.max.x}, Y ${box.min.y}…${box.max.y}`;
    out.push({ code: 'outside-bed', box, message: `the print (${size}) does not fit the ${describeBed(p.bed)}` });
  }
}

function fitsBed(box: Box, bed: BedShape): boolean {
  switch (bed.shape) {
    case 'rectangular': {
      const o = bed.origin ?? { x: 0, y: 0 };
      return (
        box.min.x >= o.x - EPS &&
        box.min.y >= o.y - EPS &&
        box.max.x <= o.x + bed.width + EPS &&
        box.max.y <= o.y + bed.depth + EPS
      );
    }
    case 'circular': {
      // The box's corners must lie on the disc: conservative, as only the box is known.
      const c = bed.centre ?? { x: 0, y: 0 };
      const r = bed.diameter / 2 + EPS;
      return [box.min.x, box.max.x].every((x) =>
        [box.min.y, box.max.y].every((y) => Math.hypot(x - c.x, y - c.y) <= r),
      );
    }
  }
}

function describeBed(bed: BedShape): string {
  return bed.shape === 'rectangular' ? `${bed.width} × ${bed.depth} mm bed` : `round bed of ${bed.diameter} mm`;
}

function checkTemperatures(a: GcodeAnalysis, p: PrinterProfile, out: IncompatibilityReason[]): void {
  const limits = p.heaterLimits;
  for (const [toolText, requested] of Object.entries(a.peakTemperatures.hotend)) {
    const tool = Number(toolText);
    const limit = Array.isArray(limits.hotend) ? (limits.hotend[tool] ?? limits.hotend[0] ?? 0) : limits.hotend;
    if (requested > limit) {
      out.push({
        code: 'temperature-above-limit',
        heater: 'hotend',
        tool,
        requested,
        limit,
        message: `asks T${tool} for ${requested} °C; its limit is ${limit} °C`,
      });
    }
  }
  const bed = a.peakTemperatures.bed;
  if (bed !== null && bed > limits.bed) {
    out.push({
      code: 'temperature-above-limit',
      heater: 'bed',
      requested: bed,
      limit: limits.bed,
      message: `asks the bed for ${bed} °C; its limit is ${limits.bed} °C`,
    });
  }
  const chamber = a.peakTemperatures.chamber;
  const chamberLimit = limits.chamber ?? 0;
  if (chamber !== null && chamber > chamberLimit) {
    out.push({
      code: 'temperature-above-limit',
      heater: 'chamber',
      requested: chamber,
      limit: chamberLimit,
      message:
        limits.chamber == null
          ? `asks for a ${chamber} °C chamber; the printer has no chamber heater`
          : `asks the chamber for ${chamber} °C; its limit is ${chamberLimit} °C`,
    });
  }
}
