/** Applies pending migrations to DATABASE_URL (or the embedded database under DATA_DIR). */
import { openOrm } from '../config.ts';
import { resolveDatabase } from '../database.ts';
import { migrate } from '../migrate.ts';

const db = await resolveDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? '.data' });
const orm = await openOrm({ clientUrl: db.url });
try {
  const applied = await migrate(orm);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
} finally {
  await orm.close();
  await db.stop();
}
process.exit(0);
