import type { GcodeAnalysis } from '../../src/analysis/index.js';

/**
 * What ../shared/gcode/MANIFEST.md quotes for one corpus file. `lines` are the
 * MANIFEST's verbatim "stated" strings: each must be among the lines the
 * analyser read a value from. Numbers are those strings in canonical units.
 */
export interface Expected {
  file: string;
  bytes: number;
  lines: number | null; // null: binary file
  slicer: { name: string; version: string };
  flavor: string | null;
  model: string | null;
  stated: string[];
  normal: number | null;
  silent: number | null;
  lengthMm: number[];
  volumeCm3: number[];
  weightG: number[];
  totalWeightG: number | null;
  statedLayers: number | null;
  layers: number;
  layerSource: 'markers' | 'z-changes';
  thumbnails: string[]; // "format WxH"
  /** Sizes the thumbnail headers state: base64 characters, or decoded bytes for Creality `png begin`. */
  thumbnailSizes: Array<{ base64?: number; bytes?: number }>;
  m73: number;
  tools: number[];
  toolSelects: number;
  objects: { source: GcodeAnalysis['objects']['source']; count: number };
  postProcessors?: string[];
}

/** The four filament lines PrusaSlicer and its forks state, in their order. */
export const prusaFilament = (mm: string, cm3: string, g: string, total: string): string[] => [
  `; filament used [mm] = ${mm}`,
  `; filament used [cm3] = ${cm3}`,
  `; filament used [g] = ${g}`,
  `; total filament used [g] = ${total}`,
];
