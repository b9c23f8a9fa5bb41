// npm run farm -- user create --username NAME --role admin   (password on stdin)
//                 user reset-password --username NAME        (password on stdin)
//                 user reset-totp --username NAME            (lost authenticator)
//                 user list
//                 apikey create --user NAME --name LABEL --scope slicer|monitor|automation [--permission P]... [--expires-days N]
import { parseArgs } from 'node:util';
import { createDb, migrateToLatest } from '@farm/db';
import { ConfigError, loadDatabaseUrlFromProcess } from '../config/index.js';
import { UsageError, createFarmCommands, describeError, type CliIo } from './farm-commands.js';
import { readPassword } from './read-password.js';

const USAGE = `usage:
  farm user create --username NAME --role viewer|operator|admin   (password from stdin)
  farm user reset-password --username NAME                       (password from stdin)
  farm user reset-totp --username NAME                           (lost authenticator)
  farm user list
  farm apikey create --user NAME --name LABEL --scope slicer|monitor|automation [--permission P]... [--expires-days N]`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    username: { type: 'string' },
    role: { type: 'string' },
    user: { type: 'string' },
    name: { type: 'string' },
    scope: { type: 'string' },
    permission: { type: 'string', multiple: true },
    'expires-days': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const command = positionals.join(' ');
if (values.help || command === '') {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

let database;
try {
  database = loadDatabaseUrlFromProcess();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
}

const db = createDb({ url: database.databaseUrl, maxConnections: 2 });
const io: CliIo = { out: (line) => console.log(line), readPassword };
try {
  await migrateToLatest(db, database.migrationsDir);
  // The flag only widens admin rights; the CLI never needs it to create keys.
  const commands = createFarmCommands(db, { allowFirmwareFlash: false });
  switch (command) {
    case 'user create':
      await commands.userCreate(values, io);
      break;
    case 'user reset-password':
      await commands.userResetPassword(values, io);
      break;
    case 'user reset-totp':
      await commands.userResetTotp(values, io);
      break;
    case 'user list':
      await commands.userList(io);
      break;
    case 'apikey create':
      await commands.apikeyCreate(values, io);
      break;
    default:
      throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  }
} catch (error) {
  console.error(`error: ${describeError(error)}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
} finally {
  await db.destroy();
}
