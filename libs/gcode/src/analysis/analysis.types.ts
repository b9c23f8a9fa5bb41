/**
 * What one streaming pass over a G-code file learns about it.
 *
 * "Stated" values are what the slicer wrote about the file (quoted lines,
 * parsed to canonical units: mm, cm³, g, seconds); "measured" values come
 * from the moves themselves. Both are kept because they disagree in real
 * files (Cura's LAYER_COUNT is one more than its markers, for example).
 */
export interface GcodeAnalysis {
  format: 'gcode' | 'bgcode';
  /** Bytes read (the `.bgcode` container size for binary files). */
  sizeBytes: number;
  /** Newline-terminated lines, +1 when the last line has no terminator (CRLF counts once). */
  lineCount: number;
  /** Lines that still hold a command once comments and whitespace are removed. */
  commandCount: number;
  slicer: SlicerInfo | null;
  /** Tools that rewrote the file after slicing (ArcWelder, preprocess_cancellation…). */
  postProcessors: string[];
  /** Firmware flavour exactly as stated (`marlin2`, `Marlin`, `Creality OS`, `RepRapFirmware`). */
  flavor: string | null;
  printerModel: string | null;
  nozzleDiameters: number[];
  filament: FilamentInfo;
  time: TimeInfo;
  layers: LayerInfo;
  boundingBox: {
    /** The model's footprint: extrusion from the first layer marker on (purge lines in start G-code left out). */
    printed: Box | null;
    /** Every extruding move, purge lines included. */
    extruding: Box | null;
    /** Every position a move reached (travel, parking, Z hops). */
    all: Box | null;
    /** What the slicer states (Cura MIN/MAX, ideaMaker Bounding Box). */
    stated: Box | null;
  };
  /** Bed outline the slicer was set up for (`bed_shape` / `printable_area`), as polygon points. */
  statedBed: Array<[number, number]> | null;
  tools: { used: number[]; selectCount: number; changeCount: number };
  /** Labelled objects, from the most precise labelling style in the file (`exclude-object` ones can be cancelled mid-print). */
  objects: { names: string[]; source: 'exclude-object' | 'm486' | 'printing-object' | 'mesh' | null };
  thumbnails: Thumbnail[];
  peakTemperatures: PeakTemperatures;
  restrictedCommands: RestrictedCommand[];
  /** Metadata blocks of a `.bgcode` file, by section (empty for plain G-code). */
  bgcodeMetadata: Partial<Record<'file' | 'printer' | 'print' | 'slicer', Record<string, string>>>;
  /** Every header/footer line a stated value was read from, verbatim (deduplicated, capped). */
  statedLines: string[];
}

export interface SlicerInfo {
  name: string;
  version: string | null;
}

export interface FilamentInfo {
  types: string[];
  colours: string[];
  /** Per extruder, as stated; index = extruder. */
  stated: {
    lengthMm: number[];
    volumeCm3: number[];
    weightG: number[];
    cost: number[];
    totalWeightG: number | null;
    totalCost: number | null;
  };
  /** Net filament pushed per tool, from the moves (retractions subtract, re-primes add back). As
   * commanded: M221 flow overrides are not applied, as slicers other than ideaMaker state it. */
  measuredMm: number[];
  measuredTotalMm: number;
}

export interface TimeInfo {
  /** The time to show and plan with: the slicer's normal-mode value, or the estimate when the file states none. */
  seconds: number | null;
  source: 'slicer' | 'estimate' | null;
  /** Seconds as the slicer states them. */
  stated: { normalSeconds: number | null; silentSeconds: number | null; firstLayerSeconds: number | null };
  /** M73 progress points, one per percent (first seen), for normal (`P`/`R`) and silent (`Q`/`S`) modes. */
  m73: { normal: M73Point[]; silent: M73Point[]; count: number };
  /** The motion-model estimate, when an estimator ran. */
  estimate: { seconds: number; layerStartSeconds: number[] } | null;
}

export interface M73Point {
  percent: number;
  remainingMinutes: number | null;
}

export interface LayerInfo {
  /** Layers found: slicer markers when the file has them, otherwise rises in Z while extruding. */
  count: number;
  statedCount: number | null;
  source: 'markers' | 'z-changes' | 'none';
  /** Z of each layer (where it first extrudes), in order. */
  z: number[];
  firstLayerHeight: number | null;
  /** Most common layer height after the first layer. */
  typicalHeight: number | null;
}

export interface Box {
  min: { x: number; y: number; z: number };
  max: { x: number; y: number; z: number };
}

export type ThumbnailFormat = 'png' | 'jpg' | 'qoi';

export interface Thumbnail {
  format: ThumbnailFormat;
  width: number;
  height: number;
  /** Which block style carried it: PrusaSlicer/Orca/Cura `thumbnail`, Creality `png`, bgcode block. */
  source: 'thumbnail-block' | 'creality-png' | 'bgcode';
  data: Uint8Array;
}

export interface PeakTemperatures {
  /** Highest target requested per hotend (tool index). */
  hotend: Record<number, number>;
  bed: number | null;
  chamber: number | null;
}

export interface RestrictedCommand {
  name: string;
  riskClass: string;
  count: number;
  firstLine: number;
}
