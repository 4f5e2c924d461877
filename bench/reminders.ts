/**
 * 100,000 reminders due in the same minute, delivered in the app, through the whole pipeline as
 * it runs in production: the reminders-due cron job fires them (reminder_occurrences, outbox
 * events), the relay publishes the events to the bus (pg-boss), the notifications consumer writes
 * the notifications. Reported: the time from the due minute to the last notification (target
 * ≤ 60 s), duplicates (a reminder notified more than once) and misses (not notified), where the
 * time went, and the relay's rate beside a plain INSERT of the same number of outbox rows.
 */
import { openOrm } from '@goalpost/db';

const PEOPLE = 1_000;
const PER_PERSON = 100;
const TOTAL = PEOPLE * PER_PERSON;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs against the benchmark's server (its cron job, relay and consumer at work), through `databaseUrl`. */
export async function benchReminders(target: { databaseUrl: string }): Promise<{ ok: boolean }> {
  const orm = await openOrm({ clientUrl: target.databaseUrl, poolMax: 2 });
  try {
    return await run(<T>(query: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(query, params));
  } finally {
    await orm.close();
  }
}

async function run(sql: <T>(query: string, params?: unknown[]) => Promise<T[]>): Promise<{ ok: boolean }> {
  const [{ id: org } = { id: '' }] = await sql<{ id: string }>(
    'select id from organisations order by created_at limit 1',
  );

  // Due at the start of a minute far enough ahead for the set-up to finish first.
  const due = new Date(Math.ceil((Date.now() + 45_000) / 60_000) * 60_000);
  const local = due.toISOString();
  await sql(
    `insert into users (id, org_id, email, name, status, time_zone, created_at, updated_at)
     select gen_random_uuid(), ?, 'reminded' || i || '@bench.test', 'Reminded ' || i, 'active', 'UTC', now(), now()
     from generate_series(1, ?) i`,
    [org, PEOPLE],
  );
  await sql(
    `insert into goals (id, org_id, owner_id, name, target_amount_minor, currency, created_at, updated_at)
     select gen_random_uuid(), org_id, id, 'Goal of ' || name, 0, 'EUR', now(), now() from users
     where email like 'reminded%@bench.test'`,
  );
  await sql(
    `insert into reminders (id, org_id, owner_id, goal_id, message, schedule, audience, starts_at, local_date,
                            local_time, next_fire_at, created_at, updated_at)
     select gen_random_uuid(), g.org_id, g.owner_id, g.id, 'Bench reminder ' || n, 'once', 'self', ?::timestamptz,
            ?::date, ?, ?::timestamptz, now(), now()
     from goals g cross join generate_series(1, ?) n
     where g.name like 'Goal of Reminded %'`,
    [local, local.slice(0, 10), local.slice(11, 16), local, PER_PERSON],
  );
  console.log(`\n${TOTAL.toLocaleString('en-US')} reminders for ${PEOPLE} people, due at ${local}`);

  const count = async () =>
    Number((await sql<{ n: string }>("select count(*) as n from notifications where kind = 'reminder.due'"))[0]?.n);
  let delivered = 0;
  const deadline = due.getTime() + 180_000;
  while (Date.now() < deadline) {
    delivered = await count();
    if (delivered >= TOTAL) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const [stages] = await sql<{ fired: Date; published: Date; notified: Date; first: Date }>(
    `select (select max(fired_at) from reminder_occurrences) as fired,
            (select max(published_at) from outbox_events where type = 'reminder.due') as published,
            (select max(created_at) from notifications where kind = 'reminder.due') as notified,
            (select min(created_at) from notifications where kind = 'reminder.due') as first`,
  );
  const [tally] = await sql<{ duplicates: string; notified: string }>(
    `select count(*) filter (where n > 1) as duplicates, count(*) as notified from (
       select e.payload->>'reminderId' as reminder, count(*) as n
       from notifications n join outbox_events e on e.id = n.event_id
       where n.kind = 'reminder.due' group by 1) per_reminder`,
  );
  const duplicates = Number(tally?.duplicates ?? 0);
  const misses = TOTAL - Number(tally?.notified ?? 0);
  const at = (d: Date | string | undefined) => (d ? new Date(d).getTime() - due.getTime() : Number.NaN);
  const total = at(stages?.notified);
  console.log(`  due → all ${TOTAL.toLocaleString('en-US')} delivered in the app   ${seconds(total)}  (target ≤ 60 s)`);
  console.log(`    first notification after              ${seconds(at(stages?.first))}`);
  console.log(`    all fired (occurrences + outbox)      ${seconds(at(stages?.fired))}`);
  console.log(`    all published by the relay            ${seconds(at(stages?.published))}`);
  console.log(`  duplicates ${duplicates}, misses ${misses}`);

  // The relay on its own: the same number of outbox rows written by one plain INSERT, then
  // published by the running relay (woken by the insert's NOTIFY).
  const insertStarted = performance.now();
  await sql(
    `insert into outbox_events (id, org_id, topic, key, type, payload, created_at)
     select gen_random_uuid(), ?, 'imports', 'relay-bench-' || (i % 5000), 'bench.relay', '{}'::jsonb, now()
     from generate_series(1, ?) i`,
    [org, TOTAL],
  );
  const insertMs = performance.now() - insertStarted;
  const relayStarted = performance.now();
  for (;;) {
    const [left] = await sql<{ n: string }>(
      "select count(*) as n from outbox_events where type = 'bench.relay' and published_at is null",
    );
    if (left?.n === '0') break;
    if (performance.now() - relayStarted > 300_000) throw new Error('The relay did not finish within 5 minutes.');
    await new Promise((r) => setTimeout(r, 100));
  }
  const relayMs = performance.now() - relayStarted;
  const rate = (ms: number) => `${Math.round(TOTAL / (ms / 1000)).toLocaleString('en-US')} rows/s`;
  console.log(
    `  plain INSERT of ${TOTAL.toLocaleString('en-US')} outbox rows      ${seconds(insertMs)}  ${rate(insertMs)}`,
  );
  console.log(
    `  relay publishing them to pg-boss       ${seconds(relayMs)}  ${rate(relayMs).replace('rows', 'events')}`,
  );
  const ok = total <= 60_000 && duplicates === 0 && misses === 0;
  console.log(ok ? '  target met' : '  target missed');
  return { ok };
}
