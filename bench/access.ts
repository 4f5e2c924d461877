/**
 * The object-level access check on a budget read: `budgets.get` of one budget by its owner and by
 * someone who reads it through a grant, in an organisation with 10,000 grants of which that person
 * holds 500. The policy loads its facts in one query whoever asks (grants, assignments,
 * supervision, delegations through indexes keyed by object and person), so the grantee's read
 * should cost about the owner's. Target: grantee p50 / owner p50 <= 1.3.
 */
import { openOrm, query } from '@goalpost/db';
import { type TestClient, testClient } from '@goalpost/testing/client';

/** The server under test, and its database (for writing the many grants in bulk). */
interface Target {
  url: string;
  databaseUrl: string;
}

const GRANTS = 10_000;
const HELD = 500;
const PASSWORD = 'Bench-access-passphrase-1';

/** Registers and signs in a person the way a browser would: invite, the mailed link, sign-in. */
async function signedIn(app: Target, admin: TestClient, email: string, name: string): Promise<TestClient> {
  await admin.trpc.users.create.mutate({ email, name, roles: ['user'] });
  const { items } = await admin.trpc.mail.list.query({ search: email });
  const mail = await admin.trpc.mail.open.mutate({ mailId: items.find((m) => m.kind === 'invite')!.id });
  const token = new URL(mail.text.match(/https?:\/\/\S+/)![0]).searchParams.get('token')!;
  await testClient(app.url).trpc.auth.acceptInvite.mutate({ token, password: PASSWORD });
  const tab = testClient(app.url);
  await tab.trpc.auth.login.mutate({ email, password: PASSWORD });
  return tab;
}

export async function benchAccess(app: Target, admin: TestClient): Promise<void> {
  const orm = await openOrm({ clientUrl: app.databaseUrl, poolMax: 2 });
  const em = orm.em.fork();
  const [{ id: org } = { id: '' }] = await query<{ id: string }>(em, 'select id from organisations limit 1');
  const owner = await signedIn(app, admin, 'owner@access.bench', 'Olga Owner');
  const reader = await signedIn(app, admin, 'reader@access.bench', 'Rita Reader');
  const readerId = (await reader.trpc.auth.me.query())!.id;

  // The budget both read: 50 lines over 12 months, on a goal shared with the reader as viewer.
  const goal = await owner.trpc.goals.create.mutate({ name: 'Measured', targetAmountMinor: 0n, currency: 'EUR' });
  const budget = await owner.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'Measured',
    periodStart: '2027-01-01',
    periods: 12,
  });
  const lines = Array.from({ length: 50 }, (_, i) => ({
    key: crypto.randomUUID(),
    position: i,
    category: `Line ${i}`,
  }));
  await owner.trpc.budgets.save.mutate({
    budgetId: budget.id,
    versionNumber: 1,
    lines: { added: lines },
    cells: lines.flatMap((l) =>
      budget.periods.map((period, p) => ({ lineKey: l.key, period, from: null, to: BigInt(p * 100 + 1) })),
    ),
  });
  await owner.trpc.sharing.grant.mutate({ subject: { type: 'goal', id: goal.id }, userId: readerId, level: 'viewer' });

  // Everyone else's objects and grants, written in bulk: 200 people, 2,500 goals with a budget
  // each; the reader holds 499 more grants (half on goals, half on budgets), others the rest.
  await query(
    em,
    `insert into users (id, org_id, email, name, status, created_at, updated_at)
     select gen_random_uuid(), $1, 'colleague' || i || '@access.bench', 'Colleague ' || i, 'active', now(), now()
     from generate_series(1, 200) i`,
    [org],
  );
  await query(
    em,
    `with people as (select array_agg(id order by email) as ids from users where email like 'colleague%@access.bench')
     insert into goals (id, org_id, owner_id, name, target_amount_minor, currency, status, version, created_at, updated_at)
     select gen_random_uuid(), $1, people.ids[1 + i % 200], 'Goal ' || i, 0, 'EUR', 'active', 1, now(), now()
     from people, generate_series(1, 2500) i`,
    [org],
  );
  await query(
    em,
    `insert into budgets (id, org_id, goal_id, owner_id, name, currency, period_start, period_end, granularity, state,
                          current_version_number, version, created_at, updated_at)
     select gen_random_uuid(), org_id, id, owner_id, name, 'EUR', '2027-01-01', '2027-12-01', 'monthly', 'draft', 1, 1, now(), now()
     from goals where name like 'Goal %' and org_id = $1`,
    [org],
  );
  await query(
    em,
    `with objects as (
       select g.id as goal_id, b.id as budget_id, g.owner_id, row_number() over (order by g.id) as n
       from goals g join budgets b on b.goal_id = g.id where g.name like 'Goal %' and g.org_id = $1),
     people as (select array_agg(id order by email) as ids from users where email like 'colleague%@access.bench'),
     wanted as (
       -- The reader: one grant on each of the first ${HELD - 1} objects, alternating goal and budget.
       select o.goal_id, o.budget_id, o.n % 2 = 0 as on_goal, $2::uuid as grantee, o.owner_id from objects o where o.n < ${HELD}
       union all
       -- Colleagues: the rest, spread over objects and people without repeating a pair.
       select o.goal_id, o.budget_id, (o.n + k) % 2 = 0, people.ids[1 + (o.n * 7 + k * 13) % 200], o.owner_id
       from objects o, people, generate_series(0, 3) k)
     insert into grants (id, org_id, goal_id, budget_id, grantee_id, level, granted_by_id, created_at)
     select gen_random_uuid(), $1, case when on_goal then goal_id end, case when on_goal then null else budget_id end,
            grantee, 'viewer', owner_id, now()
     from wanted where grantee <> owner_id
     on conflict do nothing`,
    [org, readerId],
  );
  const [counts] = await query<{ total: string; held: string }>(
    em,
    `select count(*)::text as total, count(*) filter (where grantee_id = $2)::text as held from grants where org_id = $1`,
    [org, readerId],
  );
  // Trim the colleagues' grants to exactly ${GRANTS} in all.
  await query(
    em,
    `delete from grants where id in (select id from grants where org_id = $1 and grantee_id <> $2 order by id
                                     limit greatest(0, $3::int - $4::int))`,
    [org, readerId, Number(counts!.total), GRANTS],
  );
  await query(em, 'analyze grants');
  const [final] = await query<{ total: string; held: string }>(
    em,
    `select count(*)::text as total, count(*) filter (where grantee_id = $2)::text as held from grants where org_id = $1`,
    [org, readerId],
  );
  console.log(`\nObject access: ${final!.total} grants in the organisation, ${final!.held} held by the reader`);

  // The two calls alternate, so warming up, caches and background work weigh on both alike.
  const runs = 400;
  const samples = { owner: [] as number[], reader: [] as number[] };
  const read = (who: 'owner' | 'reader') =>
    (who === 'owner' ? owner : reader).trpc.budgets.get.query({ budgetId: budget.id });
  for (let i = 0; i < 20; i++) await Promise.all([read('owner'), read('reader')]);
  for (let i = 0; i < runs; i++) {
    for (const who of i % 2 ? (['owner', 'reader'] as const) : (['reader', 'owner'] as const)) {
      const started = performance.now();
      await read(who);
      samples[who].push(performance.now() - started);
    }
  }
  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
    return { p50: at(50), p95: at(95) };
  };
  const show = (label: string, s: { p50: number; p95: number }) =>
    console.log(
      `${label.padEnd(44)} runs ${String(runs).padStart(5)}   p50 ${s.p50.toFixed(1).padStart(8)} ms   p95 ${s.p95.toFixed(1).padStart(8)} ms`,
    );
  const asOwner = stats(samples.owner);
  const asReader = stats(samples.reader);
  show('budgets.get by its owner (50 × 12 grid)', asOwner);
  show('budgets.get through a grant (holds 500)', asReader);
  const ratio = asReader.p50 / asOwner.p50;
  console.log(
    `${'grantee / owner'.padEnd(44)} p50 ${ratio.toFixed(2)}×   p95 ${(asReader.p95 / asOwner.p95).toFixed(2)}×   (target p50 <= 1.30×: ${ratio <= 1.3 ? 'met' : 'MISSED'})`,
  );
  await orm.close();
}
