/**
 * The people around one budget under approval, for the notification, reminder and message tests,
 * set up through the real procedures as people would: Olivia owns the budget (one line, Travel);
 * an admin makes Sam her supervisor (he gives the final approval); she shares the budget with
 * Adam and Alice as approvers (sharing, so they are told); Otto has nothing to do with it. The
 * events these tests look at are written by the real workflow, comments and sharing procedures.
 */
import type { RoleKey } from '@goalpost/db';
import type { TestApp, TestClient } from '@goalpost/testing';
import { consumerList } from '../consumers.ts';
import { queueName } from '../outbox/bus-pgboss.ts';
import type { Topic } from '../outbox/service.ts';

export const CAST_PASSWORD = 'Approval-cast-pass-7';

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
  /** The budget's one line. */
  travelLine: string;
  nameOf(id: string): string;
}

/** Registers someone signed in, their email `<first name>@<domain>`. */
export async function person(t: TestApp, name: string, role: RoleKey, domain: string): Promise<Person> {
  const email = `${name.split(' ')[0]!.toLowerCase()}@${domain}`;
  const tab = await t.activeUser({ email, name, password: CAST_PASSWORD, roles: [role] });
  const me = await tab.trpc.auth.me.query();
  return { id: me!.id, name, email, tab };
}

export async function approvalCast(t: TestApp, domain: string): Promise<Cast> {
  const owner = await person(t, 'Olivia Owner', 'user', domain);
  const adam = await person(t, 'Adam Accountant', 'accountant', domain);
  const alice = await person(t, 'Alice Auditor', 'accountant', domain);
  const sam = await person(t, 'Sam Supervisor', 'supervisor', domain);
  const outsider = await person(t, 'Otto Outsider', 'user', domain);
  await (await t.admin()).trpc.users.setSupervisor.mutate({ userId: owner.id, supervisorId: sam.id });
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
  const travelLine = crypto.randomUUID();
  await owner.tab.trpc.budgets.save.mutate({
    budgetId: budget.id,
    versionNumber: 1,
    lines: { added: [{ key: travelLine, position: 0, category: 'Travel' }] },
  });
  for (const approver of [adam, alice]) {
    await owner.tab.trpc.sharing.grant.mutate({
      subject: { type: 'budget', id: budget.id },
      userId: approver.id,
      level: 'approver',
    });
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
    travelLine,
    nameOf: (id) => everyone.find((p) => p.id === id)?.name ?? id,
  };
}

export interface WrittenEvent {
  id: string;
  topic: Topic;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Runs `act` (procedure calls), then waits until every event it wrote to the outbox has been
 * handled by every consumer group that reads the event's topic (its pg-boss jobs completed), and
 * returns those events in write order. Needs the jobs running in the test app.
 */
export async function settle(t: TestApp, act: () => Promise<unknown>): Promise<WrittenEvent[]> {
  const [before] = await t.sql<{ seq: string | null }>('select max(seq) as seq from outbox_events');
  await act();
  const events = await t.sql<WrittenEvent>(
    'select id, topic, type, payload from outbox_events where seq > ? order by seq',
    [before?.seq ?? 0],
  );
  for (const event of events) {
    const queues = consumerList
      .filter((c) => c.topics.includes(event.topic))
      .map((c) => queueName(c.group, event.topic));
    await t.eventually(async () => {
      const [row] = await t.sql<{ n: string }>(
        `select count(*) as n from pgboss.job where name in (?) and data->>'id' = ? and state = 'completed'`,
        [queues, event.id],
      );
      return Number(row?.n) >= queues.length;
    }, 60_000);
  }
  return events;
}
