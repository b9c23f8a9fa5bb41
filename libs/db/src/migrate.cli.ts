// npm run db:migrate [latest|down] — applies or reverts migrations against DATABASE_URL.
import { createDb } from './connection.js';
import { migrateDown, migrateToLatest } from './migrator.js';

const direction = process.argv[2] ?? 'latest';
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set (for example postgres://postgres@127.0.0.1:5432/farm)');
  process.exit(2);
}
if (direction !== 'latest' && direction !== 'down') {
  console.error(`unknown direction "${direction}": use latest or down`);
  process.exit(2);
}
const db = createDb({ url, maxConnections: 1 });
try {
  const result = direction === 'latest' ? await migrateToLatest(db) : await migrateDown(db);
  const applied = result.results ?? [];
  if (applied.length === 0) console.log('nothing to do');
  for (const r of applied) console.log(`${r.direction.toLowerCase()} ${r.migrationName}: ${r.status}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
