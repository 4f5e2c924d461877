/**
 * Lists filter in SQL (`readableGoals`) while single objects are decided by `allows`: the two must
 * agree, or a list would show goals that then answer NOT_FOUND (or hide ones the person may open).
 * This test generates an organisation from a fixed seed (people with every mix of roles, goals,
 * grants live, expired and revoked on goals and on budgets, accountant assignments, supervisors,
 * delegations) and compares, for every person and goal, the SQL's answer with the policy's.
 */
import { query, ROLE_KEYS, type RoleKey } from '@goalpost/db';
import { startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ActorContext, systemContext } from '../context.ts';
import { loadFacts, readableGoals } from './access.ts';
import { allows } from './objects.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

/** A small linear congruential generator: the same organisation on every run. */
function seeded(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return {
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
  };
}

it('lists exactly the goals the policy lets each person read, on a generated organisation', async () => {
  const random = seeded(20261126);
  const org = t.app.services.orgId;
  const now = Date.now();
  const people: { id: string; roles: RoleKey[] }[] = [];
  for (let i = 0; i < 24; i++) {
    const roles = ROLE_KEYS.filter((r) => r === 'user' || random.chance(r === 'admin' ? 0.1 : 0.35));
    const [row] = await t.sql<{ id: string }>(
      `insert into users (id, org_id, email, name, status, created_at, updated_at)
       values (gen_random_uuid(), ?, ?, ?, 'active', now(), now()) returning id`,
      [org, `p${i}@readable.test`, `Person ${i}`],
    );
    for (const role of roles) {
      await t.sql(
        `insert into user_roles (user_id, role_id, org_id, granted_at) select ?, id, org_id, now() from roles where key = ?`,
        [row!.id, role],
      );
    }
    people.push({ id: row!.id, roles });
  }
  for (const person of people) {
    if (random.chance(0.4)) {
      await t.sql('update users set supervisor_id = ? where id = ?', [random.pick(people).id, person.id]);
    }
    if (random.chance(0.4)) {
      const accountant = random.pick(people);
      if (accountant.id !== person.id) {
        await t.sql(
          `insert into user_accountants (user_id, accountant_id, org_id, assigned_at) values (?, ?, ?, now())
           on conflict do nothing`,
          [person.id, accountant.id, org],
        );
      }
    }
  }
  const goals: string[] = [];
  for (let i = 0; i < 40; i++) {
    const owner = random.pick(people);
    const [goal] = await t.sql<{ id: string }>(
      `insert into goals (id, org_id, owner_id, name, target_amount_minor, currency, status, version, created_at, updated_at)
       values (gen_random_uuid(), ?, ?, ?, 0, 'EUR', 'active', 1, now(), now()) returning id`,
      [org, owner.id, `Goal ${i}`],
    );
    const [budget] = await t.sql<{ id: string }>(
      `insert into budgets (id, org_id, goal_id, owner_id, name, currency, period_start, period_end, granularity, state,
                            current_version_number, version, created_at, updated_at)
       values (gen_random_uuid(), ?, ?, ?, 'B', 'EUR', '2027-01-01', '2027-01-01', 'monthly', 'draft', 1, 1, now(), now())
       returning id`,
      [org, goal!.id, owner.id],
    );
    goals.push(goal!.id);
    for (let g = 0; g < 3; g++) {
      const grantee = random.pick(people);
      if (grantee.id === owner.id) continue;
      const onBudget = random.chance(0.3);
      const expiry = random.pick([null, new Date(now - 3_600_000), new Date(now + 3_600_000)]);
      await t.sql(
        `insert into grants (id, org_id, goal_id, budget_id, grantee_id, level, granted_by_id, expires_at, revoked_at, created_at)
         values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict do nothing`,
        [
          org,
          onBudget ? null : goal!.id,
          onBudget ? budget!.id : null,
          grantee.id,
          random.pick(['viewer', 'commenter', 'editor', 'approver']),
          owner.id,
          expiry,
          random.chance(0.2) ? new Date(now - 60_000) : null,
        ],
      );
    }
  }
  for (let i = 0; i < 10; i++) {
    const [approver, delegate] = [random.pick(people), random.pick(people)];
    if (approver.id === delegate.id) continue;
    await t.sql(
      `insert into delegations (id, org_id, approver_id, delegate_id, starts_at, ends_at, created_by_id, created_at)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, now())`,
      [org, approver.id, delegate.id, new Date(now - 3_600_000), new Date(now + 3_600_000), approver.id],
    );
  }

  const sqlSays: Record<string, string[]> = {};
  const policySays: Record<string, string[]> = {};
  let readings = 0;
  for (const person of people) {
    const ctx: ActorContext = {
      ...systemContext(t.app.services, '0'.repeat(32)),
      actor: { id: person.id, orgId: org, email: '', name: '', roles: person.roles, sessionId: '' },
    };
    const params: unknown[] = [goals];
    const rows = await query<{ id: string }>(
      ctx.em,
      `select g.id::text from goals g where g.id = any($1::uuid[]) and ${readableGoals(ctx, 'g', params)} order by g.id`,
      params,
    );
    sqlSays[person.id] = rows.map((r) => r.id);
    const facts = await loadFacts(ctx, 'goal', goals, [person.id]);
    policySays[person.id] = goals
      .filter((id) => allows(ctx.actor, 'read', facts.get(id)!.get(person.id)!.facts))
      .sort();
    readings += policySays[person.id]!.length;
  }
  expect(sqlSays).toEqual(policySays);
  // The generated organisation is not trivial: people read some goals, not all.
  expect(readings).toBeGreaterThan(people.length);
  expect(readings).toBeLessThan(people.length * goals.length);
});
