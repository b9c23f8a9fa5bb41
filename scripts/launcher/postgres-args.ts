// Command lines for the embedded Postgres cluster. Pure.

export const embeddedPostgresUser = 'postgres';
export const embeddedDatabaseName = 'farm';

export function initdbArgs(options: { clusterDir: string; passwordFile: string }): string[] {
  return [
    `--pgdata=${options.clusterDir}`,
    `--username=${embeddedPostgresUser}`,
    `--pwfile=${options.passwordFile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    // The C locale exists everywhere, so initdb never depends on the host's LANG.
    '--locale=C',
  ];
}

export function postgresArgs(options: { clusterDir: string; port: number }): string[] {
  return [
    '-D',
    options.clusterDir,
    '-p',
    String(options.port),
    '-c',
    'listen_addresses=127.0.0.1',
    // TCP only: no socket file to clash with a system Postgres in /var/run/postgresql.
    '-c',
    'unix_socket_directories=',
    '-c',
    'log_min_messages=warning',
    '-c',
    'log_checkpoints=off',
  ];
}
