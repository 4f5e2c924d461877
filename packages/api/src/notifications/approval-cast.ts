/**
 * The people around one budget under approval, for the notification, reminder and message tests:
 * its owner, two accountants who approve it (shared with them as approvers), the owner's
 * supervisor, and an outsider who has nothing to do with it. Workflow events are emitted as the
 * workflow emits them (topic 'workflow', key = budget id), since the workflow itself is built
 * elsewhere.
 */
import type { RoleKey } from '@goalpost/db';
import type { TestApp, TestClient } from '@goalpost/testing';
import { type Actor, systemContext } from '../context.ts';
import { emit, type Topic } from '../outbox/service.ts';
import { newTraceId } from '../platform/trace.ts';

export interface Person {
  id: string;
  name: string;
  email: string;
  tab: TestClient;
}

export interface Cast {
  owner: Person;
  adam: Person;
  alice: Person;
  sam: Person;
  outsider: Person;
  goalId: string;
  budgetId: string;
  /** The workflow payload's recipients for this budget. */
  recipients: { owner: string; approvers: string[]; supervisor: string };
  nameOf(id: string): string;
}

async function person(t: TestApp, name: string, role: RoleKey, domain: string): Promise<Person> {
  const email = `${name.split(' ')[0]!.toLowerCase()}@${domain}`;
  const tab = await t.activeUser({ email, name, password: 'Approval-cast-pass-7', roles: [role] });
  const me = await tab.trpc.auth.me.query();
  return { id: me!.id, name, email, tab };
}

export async function approvalCast(t: TestApp, domain: string): Promise<Cast> {
  const owner = await person(t, 'Olivia Owner', 'user', domain);
  const adam = await person(t, 'Adam Accountant', 'accountant', domain);
  const alice = await person(t, 'Alice Auditor', 'accountant', domain);
  const sam = await person(t, 'Sam Supervisor', 'supervisor', domain);
  const outsider = await person(t, 'Otto Outsider', 'user', domain);
  await t.sql('update users set supervisor_id = ? where id = ?', [sam.id, owner.id]);
  const goal = await owner.tab.trpc.goals.create.mutate({
    name: 'Field trip',
    targetAmountMinor: 500_000n,
    currency: 'EUR',
    targetDate: '2027-12-31',
  });
  const budget = await owner.tab.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'Travel 2027',
    periodStart: '2027-01-01',
    periods: 12,
  });
  for (const approver of [adam, alice]) {
    await t.sql(
      `insert into grants (id, org_id, budget_id, grantee_id, level, granted_by_id, created_at)
       values (gen_random_uuid(), ?, ?, ?, 'approver', ?, now())`,
      [t.app.services.orgId, budget.id, approver.id, owner.id],
    );
  }
  const everyone = [owner, adam, alice, sam, outsider];
  return {
    owner,
    adam,
    alice,
    sam,
    outsider,
    goalId: goal.id,
    budgetId: budget.id,
    recipients: { owner: owner.id, approvers: [adam.id, alice.id], supervisor: sam.id },
    nameOf: (id) => everyone.find((p) => p.id === id)?.name ?? id,
  };
}

/** Writes an event to the outbox as `actor` would, in its own transaction; returns its id. */
export async function emitAs(
  t: TestApp,
  actor: Person | null,
  event: { topic: Topic; type: string; key: string; payload: Record<string, unknown> },
): Promise<string> {
  const ctx = systemContext(t.app.services, newTraceId());
  const asActor = actor ? ({ id: actor.id, name: actor.name, email: actor.email } as Actor) : null;
  return ctx.em.transactional(async (em) => emit({ ...ctx, em, actor: asActor }, event).id);
}

/** True once every consumer group has finished with the event (its bus jobs completed). */
export async function handled(t: TestApp, eventId: string, groups = 1): Promise<boolean> {
  const [row] = await t.sql<{ n: string }>(
    `select count(*) as n from pgboss.job where name like 'events.%' and data->>'id' = ? and state = 'completed'`,
    [eventId],
  );
  return Number(row?.n) >= groups;
}

/** The workflow event of one transition of the cast's budget. */
export function transition(cast: Cast, type: string, from: string, to: string, extra: Record<string, unknown> = {}) {
  return {
    topic: 'workflow' as const,
    type,
    key: cast.budgetId,
    payload: {
      budgetId: cast.budgetId,
      goalId: cast.goalId,
      versionNumber: 1,
      from,
      to,
      recipients: cast.recipients,
      ...extra,
    },
  };
}
