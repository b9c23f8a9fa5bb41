// The manager process: config, migrations, app, listen; on a fresh install
// one setup URL on stdout. Lines other tools wait for:
//   Listening on <url>
//   Setup URL: <PUBLIC_URL>/setup?token=<token>
import { Redis } from 'ioredis';
import { createDb, migrateToLatest } from '@farm/db';
import { ConfigError, loadConfigFromProcess } from './config/index.js';
import { buildApp } from './app.js';
import { removeSetupTokenFile, writeSetupTokenFile } from './setup/setup-token-file.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfigFromProcess();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }

  const db = createDb({ url: config.databaseUrl });
  await migrateToLatest(db, config.migrationsDir);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  const app = await buildApp({ config, db, redis });
  const totpRows = await app.services.resealTotpSecrets();
  if (totpRows.resealed > 0)
    app.log.info({ count: totpRows.resealed }, 'sealed TOTP secrets with the current data key');
  if (totpRows.unreadable > 0)
    app.log.warn(
      { count: totpRows.unreadable },
      'TOTP secrets that DATA_ENCRYPTION_KEY cannot open; those users need `farm user reset-totp`',
    );
  // Redis outages show in the log and in /api/health; ioredis keeps reconnecting.
  redis.on('error', (err: Error) => app.log.warn({ err: { message: err.message } }, 'redis error'));

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app
      .close()
      .then(() => Promise.all([db.destroy(), redis.quit()]))
      .then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  console.log(`Listening on http://${host}:${port}`);

  const issued = await app.services.setup.issueToken();
  if (issued) {
    writeSetupTokenFile(config.dataDir, issued.token);
    console.log(`Setup URL: ${config.publicOrigin}/setup?token=${issued.token}`);
  } else {
    removeSetupTokenFile(config.dataDir);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
