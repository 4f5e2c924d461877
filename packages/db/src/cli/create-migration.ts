/**
 * Writes a migration for the difference between the entities and the committed migrations.
 * It applies the committed migrations to a scratch database first, so the diff is exactly what a
 * deployed database needs. Usage: npm run migration:create
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openOrm } from '../config.ts';
import { startEmbeddedPostgres } from '../embedded.ts';
import { migrate } from '../migrate.ts';

const scratch = `goalpost_migration_${process.pid}`;
const embedded = process.env.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dataDir: `/tmp/goalpost-migration-pg-${process.pid}`, persistent: false });
const adminUrl = process.env.DATABASE_URL ?? embedded!.adminUrl;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${scratch}`);
const url = new URL(adminUrl);
url.pathname = `/${scratch}`;
const orm = await openOrm({ clientUrl: url.toString() });
try {
  await migrate(orm);
  const result = await orm.migrator.create();
  if (!result.fileName) {
    console.log('No changes: the entities match the migrations.');
  } else {
    const name = result.fileName.replace(/\.ts$/, '');
    const indexPath = fileURLToPath(new URL('../migrations/index.ts', import.meta.url));
    const names = [...readFileSync(indexPath, 'utf8').matchAll(/name: '(\w+)'/g)].map((m) => m[1] as string);
    names.push(name);
    writeFileSync(
      indexPath,
      [
        '// Every migration, in order. `npm run migration:create` appends new ones here.',
        ...names.map((n) => `import { ${n} } from './${n}.ts';`),
        '',
        'export const migrationsList = [',
        ...names.map((n) => `  { name: '${n}', class: ${n} },`),
        '];',
        '',
      ].join('\n'),
    );
    console.log(`Wrote migrations/${result.fileName}; review it, then commit it.`);
  }
} finally {
  await orm.close();
  await admin.query(`drop database ${scratch}`);
  await admin.end();
  await embedded?.stop();
}
process.exit(0);
