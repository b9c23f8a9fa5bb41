import { decodeBgcode, isBgcode } from '../bgcode/index.js';
import { firmwareForFlavour, PrintTimeEstimator } from '../estimate/index.js';
import { ACTOR_RULES, classifyCommand, FILE_TOLERATED } from '../policy/index.js';
import type { CommandWords } from '../line/words.js';
import type { AnalyzerPorts } from './analysis.ports.js';

/**
 * The sibling modules the analyser uses by default: the motion-model
 * estimator, the `.bgcode` decoder and the safety policy. Callers and tests
 * can replace each through `AnalyzerOptions`.
 */
export function defaultPorts(): AnalyzerPorts {
  return {
    estimator: ({ flavor }) => new PrintTimeEstimator({ firmware: firmwareForFlavour(flavor ?? undefined) }),
    bgcode: { isBgcode, decodeBgcode },
    classify: restrictedInJobFiles,
  };
}

/**
 * The policy's risk class when a job file may not simply run the command
 * (admin approval, blocked, or an undeclared macro); null when files may.
 */
export function restrictedInJobFiles(words: CommandWords): string | null {
  const riskClass = classifyCommand(words);
  const decision = ACTOR_RULES.file[riskClass];
  if ('allow' in decision && decision.allow.length === 0) return null;
  if (FILE_TOLERATED.has(words.name)) return null;
  return riskClass;
}
