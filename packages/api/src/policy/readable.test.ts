/**
 * Lists filter in SQL (`readable`) while single objects are decided by `allows`: the two must
 * agree, or a list would show goals, budgets or forecasts that then answer NOT_FOUND (or hide ones
 * the person may open). This test generates an organisation from a fixed seed (people with every
 * mix of roles, goals whose budgets and forecasts are sometimes owned by someone else, grants live,
 * expired and revoked on goals, budgets and forecasts, accountant assignments, supervisors,
 * delegations in force, revoked, and from deactivated approvers) and compares, for every person
 * and object of each kind, the SQL's answer with the policy's.
 */
import { query, ROLE_KEYS, type RoleKey } from '@goalpost/db';
import { startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ActorContext, systemContext } from '../context.ts';
import { loadFacts, readable } from './access.ts';
import { allows, SUBJECT_TYPES, type SubjectType } from './objects.ts';

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

it('lists exactly the goals, budgets and forecasts the policy lets each person read, on a generated organisation', async () => {
  const random = seeded(20261126);
  const org = t.app.services.orgId;
  const now = Date.now();
  const people: { id: string; roles: RoleKey[] }[] = [];
  for (let i = 0; i < 24; i++) {
    const roles = ROLE_KEYS.filter((r) => r === 'user' || random.chance(r === 'admin' ? 0.1 : 0.35));
    const [row] = await t.sql<{ id: string }>(
      `insert into users (id, org_id, email, name, status, created_at, updated_at)
       values (gen_random_uuid(), ?, ?, ?, ?, now(), now()) returning id`,
      [org, `p${i}@readable.test`, `Person ${i}`, random.chance(0.1) ? 'deactivated' : 'active'],
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
  const objects: Record<SubjectType, string[]> = { goal: [], budget: [], forecast: [] };
  for (let i = 0; i < 40; i++) {
    const owner = random.pick(people);
    const [goal] = await t.sql<{ id: string }>(
      `insert into goals (id, org_id, owner_id, name, target_amount_minor, currency, status, version, created_at, updated_at)
       values (gen_random_uuid(), ?, ?, ?, 0, 'EUR', 'active', 1, now(), now()) returning id`,
      [org, owner.id, `Goal ${i}`],
    );
    objects.goal.push(goal!.id);
    // Grants may land on the goal or on any of its budgets and forecasts.
    const subjects: { goal_id?: string; budget_id?: string; forecast_id?: string }[] = [{ goal_id: goal!.id }];
    for (let b = 0; b < (random.chance(0.5) ? 2 : 1); b++) {
      const budgetOwner = random.chance(0.4) ? random.pick(people) : owner;
      const [budget] = await t.sql<{ id: string }>(
        `insert into budgets (id, org_id, goal_id, owner_id, name, currency, period_start, period_end, granularity, state,
                              current_version_number, version, created_at, updated_at)
         values (gen_random_uuid(), ?, ?, ?, 'B', 'EUR', '2027-01-01', '2027-01-01', 'monthly', 'draft', 1, 1, now(), now())
         returning id`,
        [org, goal!.id, budgetOwner.id],
      );
      await t.sql(
        `insert into budget_versions (id, org_id, budget_id, number, state, created_by_id, created_at)
         values (gen_random_uuid(), ?, ?, 1, 'draft', ?, now())`,
        [org, budget!.id, budgetOwner.id],
      );
      objects.budget.push(budget!.id);
      subjects.push({ budget_id: budget!.id });
      if (random.chance(0.6)) {
        const [forecast] = await t.sql<{ id: string }>(
          `insert into forecasts (id, org_id, budget_id, owner_id, name, version, created_at, updated_at)
           values (gen_random_uuid(), ?, ?, ?, 'F', 1, now(), now()) returning id`,
          [org, budget!.id, (random.chance(0.4) ? random.pick(people) : budgetOwner).id],
        );
        objects.forecast.push(forecast!.id);
        subjects.push({ forecast_id: forecast!.id });
      }
    }
    for (let g = 0; g < 4; g++) {
      const grantee = random.pick(people);
      if (grantee.id === owner.id) continue;
      const subject = random.pick(subjects);
      const expiry = random.pick([null, new Date(now - 3_600_000), new Date(now + 3_600_000)]);
      await t.sql(
        `insert into grants (id, org_id, goal_id, budget_id, forecast_id, grantee_id, level, granted_by_id, expires_at,
                             revoked_at, created_at)
         values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict do nothing`,
        [
          org,
          subject.goal_id ?? null,
          subject.budget_id ?? null,
          subject.forecast_id ?? null,
          grantee.id,
          random.pick(['viewer', 'commenter', 'editor', 'approver']),
          owner.id,
          expiry,
          random.chance(0.2) ? new Date(now - 60_000) : null,
        ],
      );
    }
  }
  for (let i = 0; i < 16; i++) {
    const [approver, delegate] = [random.pick(people), random.pick(people)];
    if (approver.id === delegate.id) continue;
    await t.sql(
      `insert into delegations (id, org_id, approver_id, delegate_id, starts_at, ends_at, created_by_id, created_at,
                                revoked_at)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, now(), ?)`,
      [
        org,
        approver.id,
        delegate.id,
        new Date(now - 3_600_000),
        new Date(now + 3_600_000),
        approver.id,
        random.chance(0.15) ? new Date(now - 60_000) : null,
      ],
    );
  }

  const TABLES: Record<SubjectType, string> = { goal: 'goals', budget: 'budgets', forecast: 'forecasts' };
  const sqlSays: Record<string, Record<string, string[]>> = {};
  const policySays: Record<string, Record<string, string[]>> = {};
  const readings: Record<string, number> = {};
  for (const kind of SUBJECT_TYPES) {
    const ids = objects[kind];
    sqlSays[kind] = {};
    policySays[kind] = {};
    readings[kind] = 0;
    for (const person of people) {
      const ctx: ActorContext = {
        ...systemContext(t.app.services, '0'.repeat(32)),
        actor: { id: person.id, orgId: org, email: '', name: '', roles: person.roles, sessionId: '' },
      };
      const params: unknown[] = [ids];
      const rows = await query<{ id: string }>(
        ctx.em,
        `select x.id::text from ${TABLES[kind]} x where x.id = any($1::uuid[]) and ${readable(ctx, kind, 'x', params)}
         order by x.id`,
        params,
      );
      sqlSays[kind][person.id] = rows.map((r) => r.id);
      const facts = await loadFacts(ctx, kind, ids, [person.id]);
      policySays[kind][person.id] = ids
        .filter((id) => allows(ctx.actor, 'read', facts.get(id)!.get(person.id)!.facts))
        .sort();
      readings[kind] += policySays[kind][person.id]!.length;
    }
  }
  expect(sqlSays).toEqual(policySays);
  // The generated organisation is not trivial: people read some objects of each kind, not all.
  expect(
    Object.fromEntries(
      SUBJECT_TYPES.map((kind) => [
        kind,
        readings[kind]! > people.length && readings[kind]! < people.length * objects[kind].length,
      ]),
    ),
  ).toEqual({ goal: true, budget: true, forecast: true });
});
