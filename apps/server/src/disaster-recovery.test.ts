/**
 * The restore drill, as an operator would run it after losing the database: seed a realistic
 * amount of data (people, goals, budgets with their cells, change logs), back it up with
 * `npm run backup` while the app runs, destroy the database, restore into a fresh one with
 * `npm run restore`, and start the server on it. It passes only if every table (the app's and the
 * job queue's) holds the same rows, by count and by checksum, measured on the old database before
 * it was destroyed and on the new one, and a person can sign in and see the data.
 *
 * The commands run as child processes with an operator's environment. The second test runs them
 * on embedded PostgreSQL 18 data folders (no DATABASE_URL), the zero-setup path; on a machine whose
 * DATABASE_URL points at another major version it also shows a backup restoring across versions.
 *
 * The drill prints its restore rate; the README's RTO arithmetic starts from it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type BackupManifest, fingerprintDatabase, reachableDataDir, readManifest } from '@goalpost/db';
import { createTestDatabase, databaseUrl } from '@goalpost/db/testing';
import { ADMIN, testClient } from '@goalpost/testing';
import pg from 'pg';
import { afterAll, expect, inject, it } from 'vitest';
import { startApp } from './app.ts';
import { loadConfig } from './config.ts';

const PEOPLE = 2_000;
const LINES_PER_BUDGET = 10;
const PERIODS = 12;

const scratch = mkdtempSync(join(tmpdir(), 'goalpost-drill-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs an operator command (`npm run backup`/`restore`) with `env`; its exit code and output. */
function command(
  script: 'backup' | 'restore',
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number; out: string }> {
  const { DATABASE_URL: _, ...inherited } = process.env;
  return new Promise((done) => {
    execFile(
      process.execPath,
      [resolve(import.meta.dirname, 'cli', `${script}.ts`), ...args],
      { env: { ...inherited, LOG_LEVEL: 'silent', ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}`.trim() }),
    );
  });
}

async function sql(url: string, text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

/** People, goals, budgets (one version, 10 lines of 12 months each) and their logs, in bulk. */
async function seed(url: string): Promise<void> {
  await sql(
    url,
    `with org as (select id from organisations limit 1),
          admin as (select id from users where email = $1)
     , people as (
       insert into users (id, org_id, email, name, status, time_zone, locale, created_at, updated_at)
       select gen_random_uuid(), org.id, 'person' || i || '@drill.example', 'Person ' || i, 'active', 'Europe/Berlin',
              'de-DE', now() - i * interval '1 minute', now()
         from org, generate_series(1, $2::int) i
       returning id, org_id)
     , goals as (
       insert into goals (id, org_id, owner_id, name, description, category, target_amount_minor, currency, status,
                          version, created_at, updated_at)
       select gen_random_uuid(), org_id, id, 'Savings goal of ' || id, repeat('Why this goal matters. ', 4), 'Savings',
              (random() * 10000000)::bigint, 'EUR', 'active', 1, now(), now()
         from people
       returning id, org_id, owner_id)
     , budgets as (
       insert into budgets (id, org_id, goal_id, owner_id, name, currency, period_start, period_end, granularity, state,
                            current_version_number, version, created_at, updated_at, fx_rate)
       select gen_random_uuid(), org_id, id, owner_id, 'Budget 2027', 'EUR', '2027-01-01', '2027-12-01', 'monthly',
              'draft', 1, 1, now(), now(), 1.0837000000
         from goals
       returning id, org_id, owner_id)
     , versions as (
       insert into budget_versions (id, org_id, budget_id, number, state, created_by_id, created_at)
       select gen_random_uuid(), org_id, id, 1, 'draft', owner_id, now() from budgets
       returning id, org_id)
     , lines as (
       insert into budget_lines (id, org_id, version_id, key, position, category, description, notes)
       select gen_random_uuid(), v.org_id, v.id, gen_random_uuid(), p, 'Category ' || p, 'Line ' || p || ' ' || md5(v.id::text),
              case when p % 3 = 0 then 'Agreed with finance' end
         from versions v, generate_series(1, $3::int) p
       returning id, org_id)
     insert into budget_amounts (line_id, period, org_id, amount_minor)
     select l.id, date '2027-01-01' + (m || ' months')::interval, l.org_id, (random() * 1000000)::bigint
       from lines l, generate_series(0, $4::int - 1) m`,
    [ADMIN.email, PEOPLE, LINES_PER_BUDGET, PERIODS],
  );
  await sql(
    url,
    `insert into goals_log (org_id, goal_id, actor_id, action, field, old_value, new_value, at)
     select org_id, id, owner_id, 'updated', 'target_amount_minor', to_jsonb(k * 100), to_jsonb(k * 200), now()
       from goals, generate_series(1, 5) k`,
  );
  await sql(
    url,
    `insert into budget_log (org_id, budget_id, version_number, line_key, period, actor_id, action, field, old_value,
                             new_value, at, trace_id)
     select b.org_id, b.id, 1, gen_random_uuid(), '2027-03-01', b.owner_id, 'cell.changed', 'amount',
            to_jsonb(k), to_jsonb(k + 1), now(), md5(b.id::text || k)
       from budgets b, generate_series(1, 10) k`,
  );
  await sql(
    url,
    `insert into audit_events (org_id, actor_id, action, subject_user_id, data, at, trace_id)
     select org_id, id, 'user.signed_in', id, jsonb_build_object('ip', '203.0.113.' || (k % 250), 'via', 'drill'), now(),
            md5(id::text || k)
       from users, generate_series(1, 5) k`,
  );
}

function restoreRate(out: string): number {
  const rate = out.match(/\(([\d.]+) MB\/s\)/)?.[1];
  if (!rate) throw new Error(`No restore rate in:\n${out}`);
  return Number(rate);
}

let backupDir: string;
let manifest: BackupManifest;

it('restores a destroyed database into a new one with every row, and people sign in again', async () => {
  const cluster = inject('cluster');
  const original = await createTestDatabase(cluster);
  cleanups.push(original.drop);
  const start = (url: string) =>
    startApp(
      loadConfig({
        DATABASE_URL: url,
        PORT: '0',
        LOG_LEVEL: 'silent',
        FIRST_ADMIN_EMAIL: ADMIN.email,
        FIRST_ADMIN_PASSWORD: ADMIN.password,
        REDIS_URL: '',
      } as NodeJS.ProcessEnv),
    );

  const before = await start(original.url);
  try {
    await seed(original.url);
    await testClient(before.url).trpc.auth.login.mutate(ADMIN);
  } finally {
    await before.close();
  }
  const seeded = await fingerprintDatabase(original.url);

  backupDir = join(scratch, 'backup');
  const backup = await command('backup', ['--out', backupDir, '--jobs', '2'], { DATABASE_URL: original.url });
  expect(backup).toMatchObject({ code: 0 });
  manifest = readManifest(backupDir);

  await original.drop(); // the disaster
  const fresh = databaseUrl(cluster.adminUrl, `goalpost_drill_${process.pid}`);
  cleanups.push(() => sql(cluster.adminUrl, `drop database if exists goalpost_drill_${process.pid} with (force)`));
  const restore = await command('restore', [backupDir, '--into', fresh, '--jobs', '2'], {});
  const restored = await fingerprintDatabase(fresh);

  const after = await start(fresh);
  try {
    const tab = testClient(after.url);
    await tab.trpc.auth.login.mutate(ADMIN);
    const signedIn = await tab.trpc.auth.me.query();
    const people = await tab.trpc.users.list.query({ search: 'drill.example', page: 1, pageSize: 10 });
    const rows = Object.values(seeded).reduce((sum, t) => sum + t.rows, 0);
    const rate = restoreRate(restore.out);
    console.log(
      `Restore drill: ${rows} rows in ${Object.keys(seeded).length} tables; database ${(manifest.databaseBytes / 1e6).toFixed(1)} MB, ` +
        `backup ${manifest.seconds.toFixed(1)} s; restore ${restore.out.match(/in ([\d.]+) s/)?.[1]} s = ${rate} MB/s`,
    );
    expect({
      restore: restore.code,
      tables: restored,
      budgetCells: restored['public.budget_amounts']?.rows,
      signedIn: signedIn?.email,
      peopleListed: people.total,
      rate: rate > 0,
    }).toEqual({
      restore: 0,
      tables: seeded,
      budgetCells: PEOPLE * LINES_PER_BUDGET * PERIODS,
      signedIn: ADMIN.email,
      peopleListed: PEOPLE,
      rate: true,
    });
  } finally {
    await after.close();
  }
}, 180_000);

it('backs up and restores the embedded PostgreSQL 18 as the zero-setup server uses it', async () => {
  // Restore the drill's backup into a new embedded data folder, back that up, and restore again.
  const first = mkdtempSync(join(scratch, 'data-a-'));
  const second = mkdtempSync(join(scratch, 'data-b-'));
  for (const dir of [first, second]) {
    // As root the cluster lives under /var/lib/goalpost when the folder is private (see embedded.ts).
    const cluster = reachableDataDir(join(dir, 'pg'));
    if (cluster !== join(dir, 'pg'))
      cleanups.push(async () => rmSync(dirname(cluster), { recursive: true, force: true }));
  }
  const intoEmbedded = await command('restore', [backupDir, '--jobs', '2'], { DATA_DIR: first });
  const again = join(scratch, 'backup-embedded');
  const fromEmbedded = await command('backup', ['--out', again, '--jobs', '2'], { DATA_DIR: first });
  const secondRestore = await command('restore', [again], { DATA_DIR: second });
  const refused = await command('restore', [again], { DATA_DIR: second });
  const copy = readManifest(again);
  const tableFacts = (m: BackupManifest) =>
    m.tables.map(({ schema, name, rows, checksum }) => ({ schema, name, rows, checksum }));
  // On a failure, what each command said (its last lines) names the cause.
  const said = [intoEmbedded, fromEmbedded, secondRestore].map((r) => r.out.split('\n').slice(-6).join('\n'));
  expect(
    {
      codes: [intoEmbedded.code, fromEmbedded.code, secondRestore.code],
      server: copy.serverVersion.split('.')[0],
      tables: tableFacts(copy),
      refused: { code: refused.code, out: refused.out.split('\n').at(-1) },
    },
    `the commands said:\n${said.join('\n---\n')}`,
  ).toEqual({
    codes: [0, 0, 0],
    server: '18',
    tables: tableFacts(manifest),
    refused: {
      code: 1,
      out: 'The target database is not empty: restore into a new, empty database (--into postgres://…/a_new_name), or for the embedded database move DATA_DIR aside first.',
    },
  });
}, 180_000);
