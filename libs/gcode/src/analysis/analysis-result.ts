import type { GcodeAnalysis } from './analysis.types.js';
import type { GcodeScanner } from './gcode-scanner.js';

export interface ResultContext {
  format: GcodeAnalysis['format'];
  sizeBytes: number;
  lineCount: number;
  estimate: { seconds: number; layerStartSeconds: number[] } | null;
  bgcodeMetadata: GcodeAnalysis['bgcodeMetadata'];
}

/** Assembles the public result from what the scanner gathered. */
export function buildAnalysis(scanner: GcodeScanner, ctx: ResultContext): GcodeAnalysis {
  const { facts, motion, commands, layers } = scanner;
  const measuredMm = Array.from(motion.extrudedByTool, (v) => round(v ?? 0, 5));
  return {
    format: ctx.format,
    sizeBytes: ctx.sizeBytes,
    lineCount: ctx.lineCount,
    commandCount: scanner.commandCount,
    slicer: facts.slicer,
    postProcessors: [...facts.postProcessors],
    flavor: facts.flavor,
    printerModel: facts.printerModel,
    nozzleDiameters: facts.nozzleDiameters,
    filament: {
      types: facts.filamentTypes,
      colours: facts.filamentColours,
      stated: {
        lengthMm: facts.lengthMm,
        volumeCm3: facts.volumeCm3,
        weightG: facts.weightG,
        cost: facts.cost,
        totalWeightG: facts.totalWeightG,
        totalCost: facts.totalCost,
      },
      measuredMm,
      measuredTotalMm: round(
        measuredMm.reduce((a, b) => a + b, 0),
        5,
      ),
    },
    time: {
      seconds: facts.normalSeconds ?? ctx.estimate?.seconds ?? null,
      source: facts.normalSeconds !== null ? 'slicer' : ctx.estimate ? 'estimate' : null,
      stated: {
        normalSeconds: facts.normalSeconds,
        silentSeconds: facts.silentSeconds,
        firstLayerSeconds: facts.firstLayerSeconds,
      },
      m73: {
        normal: commands.m73(commands.m73Normal),
        silent: commands.m73(commands.m73Silent),
        count: commands.m73Count,
      },
      estimate: ctx.estimate && {
        seconds: ctx.estimate.seconds,
        layerStartSeconds: layerOffsets(ctx.estimate.layerStartSeconds, scanner),
      },
    },
    layers: layers.result(facts.layerCount),
    boundingBox: {
      printed: layers.usesMarkers ? motion.printed.result() : motion.extruding.result(),
      extruding: motion.extruding.result(),
      all: motion.all.result(),
      stated: facts.statedBox(),
    },
    statedBed: facts.bed,
    tools: {
      used: [...commands.toolsUsed].sort((a, b) => a - b),
      selectCount: commands.selectCount,
      changeCount: commands.changeCount,
    },
    objects: commands.objects(),
    thumbnails: scanner.thumbnails.thumbnails,
    peakTemperatures: commands.temperatures(),
    restrictedCommands: commands.restrictedCommands(),
    bgcodeMetadata: ctx.bgcodeMetadata,
    statedLines: facts.statedLines(),
  };
}

/**
 * The estimator was told about layer starts of both kinds (markers and Z
 * rises) because which kind counts is known only at the end; keep that kind.
 */
function layerOffsets(all: number[], scanner: GcodeScanner): number[] {
  const kinds = scanner.layers.startKinds;
  if (all.length !== kinds.length) return all;
  const markers = scanner.layers.usesMarkers;
  return all.filter((_, k) => kinds[k] === markers);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
