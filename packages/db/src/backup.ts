/**
 * Logical backups of the app's database, made the way `pg_dump --format=directory --jobs=N` makes
 * them: one transaction exports a snapshot, N connections import it and copy the tables in
 * parallel (largest first), one compressed file per table beside a manifest (the table of
 * contents). The restore works as `pg_restore --jobs=N` does: schema first, data in parallel into
 * tables without indexes or foreign keys, then indexes and constraints built in parallel.
 *
 * Why not pg_dump itself: pg_dump refuses a server newer than itself, the embedded PostgreSQL is
 * 18, and the PostgreSQL packages these machines can install stop at 15 (the embedded package
 * ships no pg_dump). In Node the same command works on the embedded database and on any
 * DATABASE_URL, with nothing to install. What makes that sound is that the schema is code: every
 * table comes from a committed migration (MikroORM's table lists which ran) and pg-boss's from
 * its own construction SQL, so the backup keeps only the data, and the restore recreates the
 * schema from the same release. Anything created by hand outside migrations (an extra index, a
 * role, a grant) is not in it; a physical backup (the chart's CloudNativePG option) keeps those.
 *
 * The manifest also holds, for every table, its row count and a checksum taken in the backup's
 * snapshot (the sum of a 60-bit hash of each row's text), which the restore recomputes and
 * compares: a restore that does not reproduce the data exactly fails.
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { openOrm } from './config.ts';
import { migrationsList } from './migrations/index.ts';

export const BACKUP_FORMAT = 'goalpost-backup/1';
const MANIFEST = 'manifest.json';
/** The app's schemas: its tables (migrations) and the job queue's (pg-boss). */
const SCHEMAS = ['public', 'pgboss'];
/** Rebuilt by the restore itself (which migrations ran; pg-boss's schema version), so kept as facts. */
const REBUILT = new Set(['public.mikro_orm_migrations', 'pgboss.version']);

export interface BackupTable {
  schema: string;
  name: string;
  columns: string[];
  file: string;
  rows: number;
  checksum: string;
  /** Size of the compressed file. */
  bytes: number;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  serverVersion: string;
  database: string;
  /** Migrations applied to the database, in order: the restore recreates the schema from them. */
  migrations: string[];
  /** pg-boss's schema version, or null when the database had no pg-boss schema. */
  pgbossVersion: number | null;
  tables: BackupTable[];
  sequences: { schema: string; name: string; lastValue: string; isCalled: boolean }[];
  /** pg_database_size when the backup was taken. */
  databaseBytes: number;
  seconds: number;
  jobs: number;
}

export interface Fingerprint {
  rows: number;
  checksum: string;
}

export interface RestoreResult {
  seconds: number;
  /** pg_database_size of the restored database. */
  databaseBytes: number;
  /** databaseBytes / seconds, in MB (10^6 bytes) per second. */
  mbPerSecond: number;
  tables: number;
  rows: number;
  /** Set when the queued jobs were left out (pg-boss's schema version differs from the backup's). */
  skippedJobs: string | null;
}

export class BackupRefused extends Error {}

export const defaultJobs = () => Math.max(1, Math.min(4, availableParallelism()));

/**
 * Fixed output settings for every session, so a row's text (what the checksum hashes) and the
 * COPY files read the same on any server, whatever its time zone or configuration.
 */
const SESSION_SETTINGS = [
  "set timezone = 'UTC'",
  "set datestyle = 'ISO, YMD'",
  "set intervalstyle = 'postgres'",
  'set extra_float_digits = 3',
  "set bytea_output = 'hex'",
  'set statement_timeout = 0',
  "set application_name = 'goalpost-backup'",
];

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const qualified = (t: { schema: string; name: string }) => `${ident(t.schema)}.${ident(t.name)}`;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const statement of SESSION_SETTINGS) await client.query(statement);
  return client;
}

/** Row count and checksum of one table, as the client's transaction sees it. */
export async function fingerprint(client: pg.Client, table: { schema: string; name: string }): Promise<Fingerprint> {
  const { rows } = await client.query<{ rows: string; checksum: string }>(
    `select count(*)::text as rows,
            coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)::text as checksum
       from ${qualified(table)} t`,
  );
  return { rows: Number(rows[0]!.rows), checksum: rows[0]!.checksum };
}

/** Fingerprints of every table a backup would hold, for comparing two databases. */
export async function fingerprintDatabase(url: string): Promise<Record<string, Fingerprint>> {
  const client = await connect(url);
  try {
    await client.query('begin isolation level repeatable read, read only');
    const result: Record<string, Fingerprint> = {};
    for (const table of await listTables(client))
      result[`${table.schema}.${table.name}`] = await fingerprint(client, table);
    await client.query('commit');
    return result;
  } finally {
    await client.end();
  }
}

async function listTables(client: pg.Client): Promise<{ schema: string; name: string; columns: string[] }[]> {
  const { rows } = await client.query<{ schema: string; name: string; columns: string[] }>(
    `select n.nspname as schema, c.relname as name,
            array(select a.attname::text from pg_attribute a
                   where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                   order by a.attnum) as columns
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname = any($1)
      order by pg_relation_size(c.oid) desc, n.nspname, c.relname`,
    [SCHEMAS],
  );
  return rows.filter((t) => !REBUILT.has(`${t.schema}.${t.name}`));
}

/** Runs `work` on each item with `clients.length` workers, each taking the next item when free. */
async function inParallel<C, T>(clients: C[], items: T[], work: (client: C, item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < items.length) await work(client, items[next++]!);
    }),
  );
}

/**
 * Backs up the database at `url` into `dir` (created; must be empty). Consistent: every table is
 * read in one snapshot while the app keeps running.
 */
export async function backupDatabase(
  url: string,
  options: { dir: string; jobs?: number; onProgress?: (line: string) => void },
): Promise<BackupManifest> {
  const started = performance.now();
  const jobs = options.jobs ?? defaultJobs();
  if (existsSync(options.dir) && readdirSync(options.dir).length) {
    throw new BackupRefused(`${options.dir} is not empty: choose a new folder for the backup.`);
  }
  mkdirSync(options.dir, { recursive: true });
  const leader = await connect(url);
  const workers: pg.Client[] = [];
  try {
    await leader.query('begin isolation level repeatable read, read only');
    const { rows: snap } = await leader.query<{ snapshot: string }>('select pg_export_snapshot() as snapshot');
    const snapshot = snap[0]!.snapshot;
    for (let i = 0; i < jobs; i++) {
      const worker = await connect(url);
      workers.push(worker);
      await worker.query('begin isolation level repeatable read, read only');
      await worker.query(`set transaction snapshot '${snapshot}'`);
    }
    const { rows: facts } = await leader.query<{
      version: string;
      database: string;
      bytes: string;
      migrations: boolean;
      pgboss: boolean;
    }>(
      `select current_setting('server_version') as version, current_database() as database,
              pg_database_size(current_database())::text as bytes,
              to_regclass('public.mikro_orm_migrations') is not null as migrations,
              to_regclass('pgboss.version') is not null as pgboss`,
    );
    const fact = facts[0]!;
    const migrations = fact.migrations
      ? (await leader.query<{ name: string }>('select name from public.mikro_orm_migrations order by id')).rows.map(
          (r) => r.name,
        )
      : [];
    const pgbossVersion = fact.pgboss
      ? Number((await leader.query<{ version: string }>('select version::text from pgboss.version')).rows[0]?.version)
      : null;
    const sequences = await readSequences(leader);

    const tables: BackupTable[] = [];
    await inParallel(workers, await listTables(leader), async (client, table) => {
      const file = `${table.schema}.${table.name}.copy.gz`;
      const copy = client.query(copyTo(`copy ${qualified(table)} (${table.columns.map(ident).join(', ')}) to stdout`));
      await pipeline(copy, createGzip({ level: 3 }), createWriteStream(join(options.dir, file)));
      const print = await fingerprint(client, table);
      if (copy.rowCount !== print.rows) {
        throw new Error(
          `${qualified(table)}: copied ${copy.rowCount} rows but counted ${print.rows} in the same snapshot`,
        );
      }
      tables.push({ ...table, file, ...print, bytes: statSync(join(options.dir, file)).size });
      options.onProgress?.(`  ${table.schema}.${table.name}: ${print.rows} rows`);
    });
    for (const client of [leader, ...workers]) await client.query('commit');
    tables.sort((a, b) => `${a.schema}.${a.name}`.localeCompare(`${b.schema}.${b.name}`));
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: new Date().toISOString(),
      serverVersion: fact.version,
      database: fact.database,
      migrations,
      pgbossVersion,
      tables,
      sequences,
      databaseBytes: Number(fact.bytes),
      seconds: (performance.now() - started) / 1000,
      jobs,
    };
    // Written last: a folder with a manifest is a complete backup.
    writeFileSync(join(options.dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await Promise.all([leader, ...workers].map((c) => c.end().catch(() => {})));
  }
}

async function readSequences(client: pg.Client): Promise<BackupManifest['sequences']> {
  // Sequences owned by a rebuilt table (the migrations table's id) are rebuilt with it.
  const { rows } = await client.query<{ schema: string; name: string; owner: string | null }>(
    `select n.nspname as schema, s.relname as name, tn.nspname || '.' || t.relname as owner
       from pg_class s join pg_namespace n on n.oid = s.relnamespace
       left join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.oid and d.deptype in ('a', 'i')
                            and d.refclassid = 'pg_class'::regclass
       left join pg_class t on t.oid = d.refobjid
       left join pg_namespace tn on tn.oid = t.relnamespace
      where s.relkind = 'S' and n.nspname = any($1)
      order by 1, 2`,
    [SCHEMAS],
  );
  const sequences: BackupManifest['sequences'] = [];
  for (const seq of rows) {
    if (seq.owner && REBUILT.has(seq.owner)) continue;
    const { rows: state } = await client.query<{ last_value: string; is_called: boolean }>(
      `select last_value::text, is_called from ${qualified(seq)}`,
    );
    sequences.push({
      schema: seq.schema,
      name: seq.name,
      lastValue: state[0]!.last_value,
      isCalled: state[0]!.is_called,
    });
  }
  return sequences;
}

export function readManifest(dir: string): BackupManifest {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) {
    throw new BackupRefused(`${dir} holds no ${MANIFEST}: not a backup, or one that did not finish.`);
  }
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) {
    throw new BackupRefused(`${dir} is a backup of format ${manifest.format}; this release reads ${BACKUP_FORMAT}.`);
  }
  return manifest;
}

/** Creates the database `url` names when it does not exist yet (through the same server's `postgres`). */
async function ensureTargetDatabase(url: string): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error;
  } finally {
    await probe.end().catch(() => {});
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: target.toString() });
  await admin.connect();
  try {
    await admin.query(`create database ${ident(name)}`);
  } finally {
    await admin.end();
  }
}

interface PostData {
  /** PRIMARY KEY and UNIQUE constraints, then plain indexes: built in parallel after the data. */
  indexes: { table: string; name: string; sql: string }[];
  foreignKeys: { table: string; name: string; definition: string }[];
}

/** The public schema's keys, indexes and foreign keys, as SQL to recreate them. */
async function readPostData(client: pg.Client): Promise<PostData> {
  const { rows: constraints } = await client.query<{ table: string; name: string; type: string; definition: string }>(
    `select quote_ident(n.nspname) || '.' || quote_ident(c.relname) as table, con.conname as name,
            con.contype as type, pg_get_constraintdef(con.oid) as definition
       from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and con.contype in ('p', 'u', 'f')`,
  );
  const { rows: indexes } = await client.query<{ table: string; name: string; sql: string }>(
    `select quote_ident(n.nspname) || '.' || quote_ident(t.relname) as table, ic.relname as name,
            pg_get_indexdef(i.indexrelid) as sql
       from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
       join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = 'public' and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid)`,
  );
  return {
    indexes: [
      ...constraints
        .filter((c) => c.type !== 'f')
        .map((c) => ({
          table: c.table,
          name: c.name,
          sql: `alter table ${c.table} add constraint ${ident(c.name)} ${c.definition}`,
        })),
      ...indexes,
    ],
    foreignKeys: constraints.filter((c) => c.type === 'f'),
  };
}

/**
 * Restores the backup in `dir` into the empty database `url` (created when missing). `pgbossSchema`
 * is pg-boss's construction SQL from this release; without it, or when its schema version differs
 * from the backup's, the queued jobs are left out and the result says so.
 */
export async function restoreDatabase(
  dir: string,
  url: string,
  options: { jobs?: number; pgbossSchema?: string; onProgress?: (line: string) => void } = {},
): Promise<RestoreResult> {
  const started = performance.now();
  const jobs = options.jobs ?? defaultJobs();
  const say = options.onProgress ?? (() => {});
  const manifest = readManifest(dir);
  const known = migrationsList.map((m) => m.name);
  const unknown = manifest.migrations.filter((name, i) => known[i] !== name);
  if (unknown.length) {
    throw new BackupRefused(
      `The backup's schema has migrations this release does not know (${unknown.join(', ')}): restore it with the release that made it.`,
    );
  }
  await ensureTargetDatabase(url);
  const leader = await connect(url);
  const workers: pg.Client[] = [];
  try {
    const { rows: existing } = await leader.query<{ count: string }>(
      `select count(*)::text as count from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and n.nspname = any($1)`,
      [SCHEMAS],
    );
    if (Number(existing[0]!.count) > 0) {
      throw new BackupRefused(
        'The target database is not empty: restore into a new, empty database (--into postgres://…/a_new_name), or for the embedded database move DATA_DIR aside first.',
      );
    }

    say(`Schema: ${manifest.migrations.length} migrations`);
    if (manifest.migrations.length) {
      const orm = await openOrm({ clientUrl: url, poolMax: 2 });
      try {
        await orm.migrator.up({ to: manifest.migrations.at(-1)! });
      } finally {
        await orm.close();
      }
    }
    let skippedJobs: string | null = null;
    let tables = manifest.tables;
    if (manifest.pgbossVersion !== null) {
      let installed: number | null = null;
      if (options.pgbossSchema) {
        await leader.query(options.pgbossSchema);
        installed = Number(
          (await leader.query<{ v: string }>('select version::text as v from pgboss.version')).rows[0]?.v,
        );
      }
      if (installed !== manifest.pgbossVersion) {
        skippedJobs = installed
          ? `the backup's job queue is pg-boss schema ${manifest.pgbossVersion}, this release's is ${installed}`
          : 'no pg-boss schema was given to restore the job queue into';
        tables = tables.filter((t) => t.schema !== 'pgboss');
        say(`Jobs left out: ${skippedJobs}`);
      }
    }

    // As pg_restore does: load into bare tables, then build keys and indexes once, in parallel.
    const post = await readPostData(leader);
    for (const fk of post.foreignKeys) await leader.query(`alter table ${fk.table} drop constraint ${ident(fk.name)}`);
    for (const index of post.indexes) {
      await leader.query(
        index.sql.startsWith('alter table')
          ? `alter table ${index.table} drop constraint ${ident(index.name)}`
          : `drop index public.${ident(index.name)}`,
      );
    }
    // Migrations and pg-boss's construction may seed rows that the backup also holds.
    if (tables.length) await leader.query(`truncate ${tables.map(qualified).join(', ')}`);

    for (let i = 0; i < jobs; i++) workers.push(await connect(url));
    const bySize = [...tables].sort((a, b) => b.bytes - a.bytes);
    await inParallel(workers, bySize, async (client, table) => {
      const copy = client.query(
        copyFrom(`copy ${qualified(table)} (${table.columns.map(ident).join(', ')}) from stdin`),
      );
      await pipeline(createReadStream(join(dir, table.file)), createGunzip(), copy);
      say(`  ${table.schema}.${table.name}: ${table.rows} rows`);
    });
    for (const seq of manifest.sequences) {
      await leader.query('select setval($1::regclass, $2::bigint, $3)', [qualified(seq), seq.lastValue, seq.isCalled]);
    }
    say(`Indexes and keys: ${post.indexes.length}, foreign keys: ${post.foreignKeys.length}`);
    await inParallel(workers, post.indexes, async (client, index) => void (await client.query(index.sql)));
    // Added unchecked one by one (instant), then checked in parallel: checks of different tables
    // do not block each other, where adding them checked would (and could deadlock on a cycle).
    for (const fk of post.foreignKeys) {
      await leader.query(`alter table ${fk.table} add constraint ${ident(fk.name)} ${fk.definition} not valid`);
    }
    await inParallel(workers, post.foreignKeys, async (client, fk) => {
      await client.query(`alter table ${fk.table} validate constraint ${ident(fk.name)}`);
    });
    await inParallel(
      workers,
      tables,
      async (client, table) => void (await client.query(`analyze ${qualified(table)}`)),
    );
    const seconds = (performance.now() - started) / 1000;

    // The proof: every table as the backup's snapshot saw it.
    const mismatches: string[] = [];
    await inParallel(workers, tables, async (client, table) => {
      const print = await fingerprint(client, table);
      if (print.rows !== table.rows || print.checksum !== table.checksum) {
        mismatches.push(
          `${table.schema}.${table.name}: ${print.rows} rows (checksum ${print.checksum}), the backup had ${table.rows} (${table.checksum})`,
        );
      }
    });
    const { rows: restoredMigrations } = await leader.query<{ name: string }>(
      'select name from public.mikro_orm_migrations order by id',
    );
    if (restoredMigrations.map((r) => r.name).join() !== manifest.migrations.join()) {
      mismatches.push('the migrations applied differ from the backup');
    }
    if (mismatches.length) throw new Error(`The restore does not match the backup:\n  ${mismatches.join('\n  ')}`);

    const { rows: size } = await leader.query<{ bytes: string }>(
      'select pg_database_size(current_database())::text as bytes',
    );
    const databaseBytes = Number(size[0]!.bytes);
    return {
      seconds,
      databaseBytes,
      mbPerSecond: databaseBytes / 1e6 / seconds,
      tables: tables.length,
      rows: tables.reduce((sum, t) => sum + t.rows, 0),
      skippedJobs,
    };
  } finally {
    await Promise.all([leader, ...workers].map((c) => c.end().catch(() => {})));
  }
}
