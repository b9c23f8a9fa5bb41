export interface ConfigIssue {
  variable: string;
  problem: string;
}

/** A bad start: lists every wrong variable at once, never their values. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
