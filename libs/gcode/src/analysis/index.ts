export { createAnalyzer } from './analyzer.js';
export type { AnalyzerOptions, GcodeAnalyzer } from './analyzer.js';
export { analyzeFile, analyzeStream } from './analyze-source.js';
export type { SourceOptions } from './analyze-source.js';
export { GcodeAnalysisError } from './analysis-error.js';
export type { GcodeRejectionCode } from './analysis-error.js';
export type {
  Box,
  FilamentInfo,
  GcodeAnalysis,
  LayerInfo,
  M73Point,
  PeakTemperatures,
  RestrictedCommand,
  SlicerInfo,
  Thumbnail,
  TimeInfo,
} from './analysis.types.js';
export type { AnalyzerPorts, BgcodeDecoder, CommandClassifier, TimeEstimator } from './analysis.ports.js';
export { defaultPorts, restrictedInJobFiles } from './default-ports.js';
export { summarizeAnalysis } from './analysis-summary.js';
export { checkCompatibility } from './compatibility.js';
export type { BedShape, CompatibilityResult, IncompatibilityReason, PrinterProfile } from './compatibility.js';
