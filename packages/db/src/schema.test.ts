/**
 * The committed migrations are the schema: applying them leaves nothing for the entities to add,
 * and the rules the brief fixes in the data model hold in the database itself.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openOrm } from './config.ts';
import { createTestDatabase } from './testing.ts';

let orm: MikroORM;
let drop: () => Promise<unknown>;
beforeAll(async () => {
  const db = await createTestDatabase(inject('cluster'));
  drop = db.drop;
  orm = await openOrm({ clientUrl: db.url, poolMax: 2 });
});
afterAll(async () => {
  await orm?.close();
  await drop?.();
});

const sql = <T>(query: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(query, params);

it('has no difference between the entities and the migrated schema', async () => {
  expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
});

it('carries org_id on every table but the organisations themselves', async () => {
  const tables = await sql<{ table_name: string; has_org: boolean }>(
    `select t.table_name, exists (select 1 from information_schema.columns c
       where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'org_id' and c.is_nullable = 'NO') as has_org
     from information_schema.tables t
     where t.table_schema = 'public' and t.table_name not in ('organisations', 'mikro_orm_migrations')
     order by 1`,
  );
  expect({ count: tables.length, without: tables.filter((t) => !t.has_org).map((t) => t.table_name) }).toEqual({
    count: 35,
    without: [],
  });
});

it('makes a budget belong to exactly one goal, and stores money as integer minor units', async () => {
  const columns = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    `select table_name, column_name, data_type, is_nullable from information_schema.columns
     where table_schema = 'public' and (column_name like '%minor' or (table_name = 'budgets' and column_name = 'goal_id'))
     order by table_name, column_name`,
  );
  const insertWithoutGoal = await sql(
    `insert into budgets (id, org_id, goal_id, owner_id, name, currency, period_start, period_end, created_at, updated_at)
     values (gen_random_uuid(), gen_random_uuid(), null, gen_random_uuid(), 'x', 'EUR', '2027-01-01', '2027-12-31', now(), now())`,
  ).then(
    () => 'inserted',
    (error: Error) => error.message.match(/null value in column "goal_id"/)?.[0] ?? error.message,
  );
  expect({ columns, insertWithoutGoal }).toEqual({
    columns: [
      { table_name: 'budget_amounts', column_name: 'amount_minor', data_type: 'bigint', is_nullable: 'NO' },
      { table_name: 'budgets', column_name: 'goal_id', data_type: 'uuid', is_nullable: 'NO' },
      { table_name: 'forecast_amounts', column_name: 'actual_minor', data_type: 'bigint', is_nullable: 'YES' },
      { table_name: 'forecast_amounts', column_name: 'forecast_minor', data_type: 'bigint', is_nullable: 'YES' },
      { table_name: 'goals', column_name: 'target_amount_minor', data_type: 'bigint', is_nullable: 'NO' },
    ],
    insertWithoutGoal: 'null value in column "goal_id"',
  });
});

it('allows a grant on exactly one subject: not none, not two', async () => {
  const [ids] = await sql<{ org: string; user: string; goal: string; budget: string }>(
    `with o as (insert into organisations (id, name, created_at) values (gen_random_uuid(), 'Grants', now()) returning id),
          u as (insert into users (id, org_id, email, name, created_at, updated_at)
                select gen_random_uuid(), o.id, 'grants@schema.test', 'G', now(), now() from o returning id, org_id),
          g as (insert into goals (id, org_id, owner_id, name, target_amount_minor, currency, created_at, updated_at)
                select gen_random_uuid(), u.org_id, u.id, 'Goal', 0, 'EUR', now(), now() from u returning id, org_id, owner_id),
          b as (insert into budgets (id, org_id, goal_id, owner_id, name, currency, period_start, period_end, created_at, updated_at)
                select gen_random_uuid(), g.org_id, g.id, g.owner_id, 'Budget', 'EUR', '2027-01-01', '2027-12-01', now(), now() from g returning id)
     select o.id as org, u.id as user, g.id as goal, b.id as budget from o, u, g, b`,
  );
  const grant = (goal: string | null, budget: string | null) =>
    sql(
      `insert into grants (id, org_id, goal_id, budget_id, grantee_id, level, granted_by_id, created_at)
       values (gen_random_uuid(), ?, ?, ?, ?, 'viewer', ?, now())`,
      [ids!.org, goal, budget, ids!.user, ids!.user],
    ).then(
      () => 'inserted',
      (e: Error) => (e.message.includes('grants_one_subject') ? 'grants_one_subject' : e.message),
    );
  expect({
    none: await grant(null, null),
    goal: await grant(ids!.goal, null),
    budget: await grant(null, ids!.budget),
    both: await grant(ids!.goal, ids!.budget),
  }).toEqual({ none: 'grants_one_subject', goal: 'inserted', budget: 'inserted', both: 'grants_one_subject' });
});
