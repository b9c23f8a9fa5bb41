import type { CommandWords } from '../line/words.js';
import type { MotionWords } from './motion-tracker.js';

/**
 * What the analyser needs from its sibling modules, as narrow interfaces so
 * the analyser can be tested with small fakes and the modules wired in one place
 * (`default-ports.ts`).
 */

export interface EstimatorCommand {
  name: string;
  params: Record<string, number | true>;
  /** The rest of the line for bare words (Klipper `KEY=value` arguments). */
  text?: string;
}

/** The motion-model print time estimator (`../estimate`). */
export interface TimeEstimator {
  feed(cmd: EstimatorCommand): void;
  /**
   * Optional fast path for G0–G3 (nearly every line of a file): the words as
   * numbers (NaN = absent) in an object the analyser reuses for the next line,
   * so the estimator must copy what it keeps. Without it moves go to `feed`.
   */
  move?(code: 0 | 1 | 2 | 3, words: Readonly<MotionWords>): void;
  markLayer(): void;
  /** Tool-change allowance; PrusaSlicer states it only in its closing config block, so it arrives last. */
  setToolChangeSeconds?(seconds: number): void;
  finish(): { seconds: number; layerStartSeconds: number[] };
}

export type BgcodeItem =
  | { kind: 'metadata'; section: 'file' | 'printer' | 'print' | 'slicer'; entries: Record<string, string> }
  | { kind: 'thumbnail'; format: 'png' | 'jpg' | 'qoi'; width: number; height: number; data: Uint8Array }
  | { kind: 'gcode'; text: string };

/** PrusaSlicer binary G-code reader (`../bgcode`). */
export interface BgcodeDecoder {
  isBgcode(firstBytes: Uint8Array): boolean;
  decodeBgcode(source: AsyncIterable<Uint8Array>): AsyncIterable<BgcodeItem>;
}

/**
 * The safety policy's risk class for a command (`../policy`), or null when the
 * command is unrestricted. Used to list what would need approval before printing.
 */
export type CommandClassifier = (words: CommandWords) => string | null;

export interface AnalyzerPorts {
  /**
   * Makes a fresh estimator per file, at the first command (so the flavour a
   * header states can pick the firmware model); null skips the estimate.
   */
  estimator: (((context: { flavor: string | null }) => TimeEstimator) | null) | undefined;
  bgcode: BgcodeDecoder | null | undefined;
  classify: CommandClassifier | null | undefined;
}
