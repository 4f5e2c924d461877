/**
 * Seeds a database at the brief's scale for `npm run bench:load`, in set-based SQL
 * (INSERT … SELECT over generate_series), on a database the server has already migrated and
 * bootstrapped (its organisation and roles exist).
 *
 * The proportions, for N users (3,000,000 at the brief's scale):
 *   - every user is active with the `user` role and the same argon2id hash (computed once: the
 *     hash is a cost, not data; a seeded person can still sign in with LOAD_PASSWORD);
 *   - 1 in 3 users is a planner: the brief's "1 million active every 8 hours" of 3 million a day.
 *     Each planner owns 1 to 3 goals (2 on average), has a live session (the virtual users' come
 *     from these) and 3 notifications, one of them read;
 *   - 1 in 15 users (1 in 5 planners) keeps a budget on their first goal: a year by month with 10
 *     lines, 120 cells, on one draft revision. Budget cells are the bulk of the data, so this ratio
 *     sets the database's size; a household or team budget of 10 categories is the common case,
 *     and the grid bench (bench/grid.ts) covers the rare 5,000-line one;
 *   - each budget is shared with 2 colleagues (a viewer and a commenter) and has one open comment
 *     thread of 3 comments on its first line.
 * Not seeded: change logs, audit events, outbox history, forecasts: none is read by the hot paths
 * the load drives (the writes append to them).
 *
 * Speed: the seeded tables lose their keys, indexes and foreign keys first and get them back
 * afterwards, built in parallel, as pg_restore does; the foreign keys are then validated, so the
 * data is held to the real schema's constraints.
 */
import { hashPassword } from '@goalpost/api';
import pg from 'pg';

export const LOAD_PASSWORD = 'Load-bench-passphrase-1';
/** 1 in PLANNER_EVERY users plans (goals, a session, notifications). */
export const PLANNER_EVERY = 3;
/** 1 in BUDGET_EVERY users keeps a budget (a multiple of PLANNER_EVERY: budget owners are planners). */
export const BUDGET_EVERY = 15;
export const LINES_PER_BUDGET = 10;
export const PERIODS = 12;
export const GRANTS_PER_BUDGET = 2;
export const COMMENTS_PER_THREAD = 3;
export const NOTIFICATIONS_PER_PLANNER = 3;

/** The session cookie of seeded user `i` (the database holds its SHA-256, as for a real sign-in). */
export const sessionToken = (i: number) => `load-session-${i}`;

/** What a virtual user needs to send its requests: its session, its budget, its thread, a line of cells. */
export interface VirtualUser {
  i: number;
  token: string;
  budgetId: string;
  versionNumber: number;
  threadId: string;
  lineKey: string;
  /** The amounts of the first line's cells, period by period, as the database holds them. */
  cells: { period: string; value: bigint }[];
}

export interface SeedResult {
  seconds: number;
  steps: { label: string; seconds: number }[];
  rows: Record<string, number>;
  databaseBytes: number;
  virtualUsers: VirtualUser[];
}

const TABLES = [
  'users',
  'user_roles',
  'sessions',
  'goals',
  'budgets',
  'budget_versions',
  'budget_lines',
  'budget_amounts',
  'grants',
  'comment_threads',
  'comments',
  'notifications',
];

const period = (m: number) => `2027-${String(m + 1).padStart(2, '0')}-01`;
const amount = (line: number, m: number) => BigInt((line * 1000 + m) * 100);

/** Seeds `users` users in proportion, and returns `virtualUsers` of them spread over the range, each with a budget. */
export async function seedAtScale(
  databaseUrl: string,
  options: { users: number; virtualUsers: number; say?: (line: string) => void },
): Promise<SeedResult> {
  const say = options.say ?? (() => {});
  const n = options.users;
  const owners = Math.floor(n / BUDGET_EVERY);
  if (owners < 1) throw new Error(`Seed at least ${BUDGET_EVERY} users: 1 in ${BUDGET_EVERY} keeps a budget.`);
  const connect = async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query("set synchronous_commit = off; set maintenance_work_mem = '256MB'");
    return client;
  };
  const leader = await connect();
  const helper = await connect();
  const steps: SeedResult['steps'] = [];
  const started = performance.now();
  const step = async (label: string, fn: () => Promise<unknown>) => {
    const at = performance.now();
    await fn();
    const seconds = (performance.now() - at) / 1000;
    steps.push({ label, seconds });
    say(`  ${label.padEnd(52)} ${seconds.toFixed(1).padStart(7)} s`);
  };
  try {
    const {
      rows: [ids],
    } = await leader.query<{ org: string; role: string }>(
      `select o.id as org, r.id as role from organisations o join roles r on r.org_id = o.id and r.key = 'user' limit 1`,
    );
    if (!ids) throw new Error('Start the server on the database first: it creates the organisation and its roles.');
    const hash = await hashPassword(LOAD_PASSWORD);
    const post = await dropKeys(leader);
    const run = (sql: string, params: unknown[] = []) => leader.query(sql, params);
    await step(`people (${n.toLocaleString('en')})`, () =>
      run(
        `create temp table people as select i, gen_random_uuid() as id from generate_series(1, ${n}) i;
         alter table people add primary key (i)`,
      ),
    );
    await step('users', () =>
      run(
        `insert into users (id, org_id, email, name, password_hash, status, time_zone, locale, password_changed_at,
                            last_login_at, created_at, updated_at)
         select id, $1, 'user' || i || '@load.example', 'Person ' || i, $2, 'active', 'Europe/Berlin', 'en-GB', now(),
                now() - (i % 10000) * interval '1 minute', now() - (i % 100000) * interval '1 minute', now()
           from people`,
        [ids.org, hash],
      ),
    );
    await step('user roles', () =>
      run(`insert into user_roles (user_id, role_id, org_id, granted_at) select id, $2, $1, now() from people`, [
        ids.org,
        ids.role,
      ]),
    );
    await step('sessions (planners)', () =>
      run(
        `insert into sessions (id, org_id, user_id, expires_at, created_at, ip, user_agent)
         select encode(sha256(convert_to('load-session-' || i, 'UTF8')), 'hex'), $1, id, now() + interval '29 days',
                now(), '203.0.113.' || (i % 250), 'Mozilla/5.0 (X11; Linux x86_64) load bench'
           from people where i % ${PLANNER_EVERY} = 0`,
        [ids.org],
      ),
    );
    await step('goals (planners: 1 to 3)', async () => {
      await run(
        `create temp table seeded_goals as
         select gen_random_uuid() as id, p.id as owner_id, p.i, g
           from people p, generate_series(1, 3) g
          where p.i % ${PLANNER_EVERY} = 0 and g <= 1 + (p.i / ${PLANNER_EVERY}) % 3`,
      );
      await run(
        `insert into goals (id, org_id, owner_id, name, description, category, target_amount_minor, currency,
                            target_date, status, version, created_at, updated_at)
         select id, $1, owner_id,
                (array['Emergency fund', 'New car', 'House deposit', 'Holiday', 'Pension top-up', 'Education'])[1 + (i + g) % 6],
                'Why this goal matters.', (array['Savings', 'Housing', 'Travel', 'Retirement'])[1 + (i + g) % 4],
                (1000 + (i * 7 + g) % 50000) * 100, 'EUR', date '2027-01-01' + (i + g) % 700, 'active', 1,
                now() - (i % 1000) * interval '1 hour', now() - (i % 1000) * interval '1 hour'
           from seeded_goals`,
        [ids.org],
      );
    });
    await step('budgets and revisions', async () => {
      await run(
        `create temp table seeded_budgets as
         select gen_random_uuid() as id, gen_random_uuid() as version_id, id as goal_id, owner_id, i
           from seeded_goals where g = 1 and i % ${BUDGET_EVERY} = 0`,
      );
      await run('alter table seeded_budgets add primary key (i)');
      await run(
        `insert into budgets (id, org_id, goal_id, owner_id, name, currency, period_start, period_end, granularity,
                              state, current_version_number, version, created_at, updated_at)
         select id, $1, goal_id, owner_id, 'Budget 2027', 'EUR', '2027-01-01', '${period(PERIODS - 1)}', 'monthly',
                'draft', 1, 1, now(), now()
           from seeded_budgets`,
        [ids.org],
      );
      await run(
        `insert into budget_versions (id, org_id, budget_id, number, state, created_by_id, created_at)
         select version_id, $1, id, 1, 'draft', owner_id, now() from seeded_budgets`,
        [ids.org],
      );
    });
    await step(`budget lines (${LINES_PER_BUDGET} each)`, async () => {
      await run(
        `create temp table seeded_lines as
         select gen_random_uuid() as id, gen_random_uuid() as key, b.version_id, b.id as budget_id, b.i, p
           from seeded_budgets b, generate_series(1, ${LINES_PER_BUDGET}) p`,
      );
      await run(
        `insert into budget_lines (id, org_id, version_id, key, position, category, description)
         select id, $1, version_id, key, p - 1,
                (array['Rent', 'Groceries', 'Transport', 'Utilities', 'Insurance', 'Savings', 'Leisure', 'Health',
                       'Education', 'Other'])[1 + (p - 1) % 10],
                'Line ' || p
           from seeded_lines`,
        [ids.org],
      );
    });
    await step(`budget cells (${LINES_PER_BUDGET} x ${PERIODS} each)`, () =>
      run(
        `insert into budget_amounts (line_id, period, org_id, amount_minor)
         select l.id, (date '2027-01-01' + m * interval '1 month')::date, $1, (l.p * 1000 + m) * 100
           from seeded_lines l, generate_series(0, ${PERIODS - 1}) m`,
        [ids.org],
      ),
    );
    await step(`grants (${GRANTS_PER_BUDGET} per budget)`, () =>
      run(
        `insert into grants (id, org_id, budget_id, grantee_id, level, granted_by_id, created_at)
         select gen_random_uuid(), $1, b.id, p.id, case k when 1 then 'viewer' else 'commenter' end, b.owner_id, now()
           from seeded_budgets b cross join generate_series(1, ${GRANTS_PER_BUDGET}) k
           join people p on p.i = (b.i + k - 1) % $2::int + 1
          where p.id <> b.owner_id`,
        [ids.org, n],
      ),
    );
    await step(`comment threads and comments (${COMMENTS_PER_THREAD} each)`, async () => {
      await run(
        `create temp table seeded_threads as
         select gen_random_uuid() as id, b.id as budget_id, b.owner_id, b.i, l.key as line_key
           from seeded_budgets b join seeded_lines l on l.budget_id = b.id and l.p = 1`,
      );
      await run('alter table seeded_threads add primary key (i)');
      await run(
        `insert into comment_threads (id, org_id, budget_id, line_key, period, version_number, status, created_by_id,
                                      created_at)
         select id, $1, budget_id, line_key, '2027-01-01', 1, 'open', owner_id, now() from seeded_threads`,
        [ids.org],
      );
      await run(
        `insert into comments (id, org_id, thread_id, author_id, body, created_at)
         select gen_random_uuid(), $1, t.id, t.owner_id, 'Is this figure right? Note ' || k,
                now() - (${COMMENTS_PER_THREAD + 1} - k) * interval '1 hour'
           from seeded_threads t, generate_series(1, ${COMMENTS_PER_THREAD}) k`,
        [ids.org],
      );
    });
    await step(`notifications (${NOTIFICATIONS_PER_PLANNER} per planner)`, () =>
      run(
        `insert into notifications (id, org_id, recipient_id, event_id, kind, title, body, link, read_at, created_at,
                                    family, in_app, email)
         select gen_random_uuid(), $1, p.id, gen_random_uuid(), 'comment.added',
                'Person ' || (p.i + k) || ' commented in a thread you are in on “Budget 2027” (Jan 2027)',
                'Is this figure right?', null, case when k = 1 then now() end, now() - k * interval '1 hour',
                'comments', true, 'off'
           from people p, generate_series(1, ${NOTIFICATIONS_PER_PLANNER}) k
          where p.i % ${PLANNER_EVERY} = 0`,
        [ids.org],
      ),
    );
    await step('keys and indexes (2 connections)', () => inParallel([leader, helper], post.indexes));
    await step('foreign keys (added, then validated)', async () => {
      for (const fk of post.foreignKeys) await leader.query(fk.notValid);
      await inParallel(
        [leader, helper],
        post.foreignKeys.map((fk) => fk.validate),
      );
    });
    await step('analyze', () =>
      inParallel(
        [leader, helper],
        TABLES.map((t) => `analyze ${t}`),
      ),
    );

    // Virtual users: budget owners spread evenly over the whole range of users.
    const count = Math.min(options.virtualUsers, owners);
    const picks = Array.from({ length: count }, (_, k) => BUDGET_EVERY * (1 + Math.floor((k * owners) / count)));
    const { rows } = await leader.query<{ i: number; budget_id: string; thread_id: string; line_key: string }>(
      `select b.i, b.id as budget_id, t.id as thread_id, t.line_key
         from seeded_budgets b join seeded_threads t on t.i = b.i
        where b.i = any($1::int[]) order by b.i`,
      [picks],
    );
    const virtualUsers = rows.map((r) => ({
      i: r.i,
      token: sessionToken(r.i),
      budgetId: r.budget_id,
      versionNumber: 1,
      threadId: r.thread_id,
      lineKey: r.line_key,
      cells: Array.from({ length: PERIODS }, (_, m) => ({ period: period(m), value: amount(1, m) })),
    }));
    const { rows: counts } = await leader.query<{ table: string; rows: string }>(
      TABLES.map((t) => `select '${t}' as table, count(*)::text as rows from ${t}`).join(' union all '),
    );
    const {
      rows: [size],
    } = await leader.query<{ bytes: string }>('select pg_database_size(current_database())::text as bytes');
    return {
      seconds: (performance.now() - started) / 1000,
      steps,
      rows: Object.fromEntries(counts.map((c) => [c.table, Number(c.rows)])),
      databaseBytes: Number(size!.bytes),
      virtualUsers,
    };
  } finally {
    await leader.end();
    await helper.end();
  }
}

/** Runs the statements on the clients, each client taking the next one when free. */
async function inParallel(clients: pg.Client[], statements: string[]): Promise<void> {
  const queue = [...statements];
  await Promise.all(
    clients.map(async (client) => {
      for (let sql = queue.shift(); sql !== undefined; sql = queue.shift()) await client.query(sql);
    }),
  );
}

/**
 * Drops the seeded tables' keys, indexes and foreign keys (and the foreign keys of other tables
 * that point at them, which need their keys), returning the SQL that brings them back.
 */
async function dropKeys(
  client: pg.Client,
): Promise<{ indexes: string[]; foreignKeys: { notValid: string; validate: string }[] }> {
  const { rows: foreignKeys } = await client.query<{ table: string; name: string; definition: string }>(
    `select con.conrelid::regclass::text as table, quote_ident(con.conname) as name,
            pg_get_constraintdef(con.oid) as definition
       from pg_constraint con
      where con.contype = 'f' and (con.conrelid = any($1::regclass[]) or con.confrelid = any($1::regclass[]))`,
    [TABLES],
  );
  const { rows: keys } = await client.query<{ table: string; name: string; definition: string }>(
    `select con.conrelid::regclass::text as table, quote_ident(con.conname) as name,
            pg_get_constraintdef(con.oid) as definition
       from pg_constraint con
      where con.contype in ('p', 'u') and con.conrelid = any($1::regclass[])`,
    [TABLES],
  );
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i
      where i.indrelid = any($1::regclass[])
        and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid)`,
    [TABLES],
  );
  for (const fk of foreignKeys) await client.query(`alter table ${fk.table} drop constraint ${fk.name}`);
  for (const key of keys) await client.query(`alter table ${key.table} drop constraint ${key.name}`);
  for (const index of indexes) await client.query(`drop index ${index.name}`);
  return {
    indexes: [
      ...keys.map((k) => `alter table ${k.table} add constraint ${k.name} ${k.definition}`),
      ...indexes.map((i) => i.definition),
    ],
    foreignKeys: foreignKeys.map((fk) => ({
      notValid: `alter table ${fk.table} add constraint ${fk.name} ${fk.definition} not valid`,
      validate: `alter table ${fk.table} validate constraint ${fk.name}`,
    })),
  };
}
