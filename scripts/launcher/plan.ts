// Decides, from the environment alone, what `npm start` has to bring up. Pure:
// no files, no processes, so every combination is unit-tested.
import path from 'node:path';

/** A backing service is either given by URL or started locally by the launcher. */
export type ServicePlan = { kind: 'external'; url: string } | { kind: 'local' };

export interface LaunchPlan {
  /** Absolute; passed to every child as DATA_DIR so all agree on one folder. */
  dataDir: string;
  postgres: ServicePlan;
  redis: ServicePlan;
}

export type LaunchEnv = Readonly<Record<string, string | undefined>>;

/** The folder used when DATA_DIR is unset (ignored by git). */
export const defaultDataDirName = 'data';

export function planLaunch(env: LaunchEnv, repoRoot: string): LaunchPlan {
  return {
    dataDir: path.resolve(repoRoot, nonEmpty(env.DATA_DIR) ?? defaultDataDirName),
    postgres: servicePlan(env.DATABASE_URL),
    redis: servicePlan(env.REDIS_URL),
  };
}

function servicePlan(url: string | undefined): ServicePlan {
  const given = nonEmpty(url);
  return given === undefined ? { kind: 'local' } : { kind: 'external', url: given };
}

// `DATABASE_URL=` in a shell or an env file means "unset", not "connect to ''".
function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
