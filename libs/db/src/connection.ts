import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';

// int8 (bigint) columns come back as strings by default; our bigints are ids
// and counters far below 2^53, so parse them as numbers once, here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export interface DbOptions {
  url: string;
  maxConnections?: number;
}

export function createDb(options: DbOptions): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
