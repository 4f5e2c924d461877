/**
 * The pieces every domain builds on, each checked against the real server and PostgreSQL:
 * - values cross the wire typed (superjson): a Date arrives as a Date;
 * - a job sent inside a transaction exists exactly when the transaction commits, carries the
 *   sender's trace id, and a payload its queue does not accept is refused before anything is queued;
 * - the trace id a caller sends in `traceparent` is the one on the job's audit rows;
 * - database errors become the API errors they mean (platform/errors.ts), never INTERNAL;
 * - time comes from the injected clock: entity defaults and pg-boss's own SQL read it too;
 * - several-step changes are one transaction: a failure in the last step leaves the first undone.
 *   Failures are provoked with a trigger that refuses one insert, so the step fails for real.
 */
import { ManualClock } from '@goalpost/api';
import { ADMIN, failure, startTestApp, type TestApp } from '@goalpost/testing';
import { rawCall } from '@goalpost/testing/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queues } from '../queues.ts';
import { toApiError } from './errors.ts';

const clock = new ManualClock(new Date('2027-03-01T08:00:00Z'));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { clock });
});
afterAll(() => t?.close());

const sql = <T>(query: string, params: unknown[] = []) => t.sql<T>(query, params);

describe('the wire', () => {
  it('carries dates as dates', async () => {
    const admin = await t.admin();
    const { items } = await admin.trpc.users.list.query({});
    expect(items[0]?.createdAt).toBeInstanceOf(Date);
  });
});

describe('jobs', () => {
  it('enqueues inside the transaction: a rollback leaves no job, a commit leaves exactly one', async () => {
    const { jobs, orm } = t.app.services;
    const send = (email: string) => (em: never) =>
      jobs.send(queues.passwordResetRequest, { email }, { em, traceId: 'a'.repeat(32) });
    await orm.em
      .fork()
      .transactional(async (em) => {
        await send('rolled-back@jobs.test')(em as never);
        throw new Error('roll back');
      })
      .catch(() => {});
    await orm.em.fork().transactional((em) => send('committed@jobs.test')(em as never));
    const rows = await sql<{ email: string; trace: string }>(
      `select data->>'email' as email, data->>'traceId' as trace from pgboss.job
       where name = 'password-reset-request' and data->>'email' like '%@jobs.test' order by email`,
    );
    expect(rows).toEqual([{ email: 'committed@jobs.test', trace: 'a'.repeat(32) }]);
  });

  it('refuses a payload its queue does not accept, before anything is queued', async () => {
    await expect(t.app.services.jobs.send(queues.mailDeliver, { mailId: 'not-a-uuid' })).rejects.toThrow(/mailId/);
  });

  it('carries the caller’s trace id from traceparent into the job and its audit row', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await rawCall(t.url, 'auth.requestPasswordReset', {
      input: { email: ADMIN.email },
      headers: { Origin: t.url, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    const [row] = await t.eventually(async () => {
      const rows = await sql<{ trace_id: string }>(
        "select trace_id from audit_events where action = 'password.reset-requested'",
      );
      return rows.length ? rows : undefined;
    });
    expect(row).toEqual({ trace_id: traceId });
  });
});

describe('errors', () => {
  it('maps real database errors to what they mean', async () => {
    const caught = async (query: string) => {
      try {
        await sql(query);
      } catch (error) {
        const mapped = toApiError(error);
        return mapped ? [mapped.code, mapped.message] : 'unmapped';
      }
      return 'no error';
    };
    const [org] = await sql<{ id: string }>('select id from organisations');
    expect({
      unique: await caught(
        `insert into users (id, org_id, email, name, created_at, updated_at)
         values (gen_random_uuid(), '${org!.id}', '${ADMIN.email}', 'Twin', now(), now())`,
      ),
      foreignKey: await caught(
        `insert into goals (id, org_id, owner_id, name, target_amount_minor, currency, created_at, updated_at)
         values (gen_random_uuid(), '${org!.id}', gen_random_uuid(), 'Orphan', 1, 'EUR', now(), now())`,
      ),
      check: await caught(
        `insert into goals (id, org_id, owner_id, name, target_amount_minor, currency, created_at, updated_at)
         select gen_random_uuid(), org_id, id, 'Negative', -1, 'EUR', now(), now() from users limit 1`,
      ),
      syntax: await caught('select from nowhere at all'),
    }).toEqual({
      unique: ['CONFLICT', 'email: A user with this email already exists. Search for them in the list.'],
      foreignKey: ['NOT_FOUND', 'Something this refers to no longer exists. Reload and try again.'],
      check: ['BAD_REQUEST', 'This change breaks a rule of the data (goals_target_nonnegative).'],
      syntax: 'unmapped',
    });
  });

  it('answers a role assigned twice at once (a double click) as done, with one row and one audit entry', async () => {
    const admin = await t.admin();
    const user = await admin.trpc.users.create.mutate({ email: 'twice@errors.test', name: 'Twice', roles: ['user'] });
    const outcomes = await Promise.all(
      [1, 2].map(() =>
        admin.trpc.users.assignRole.mutate({ userId: user.id, role: 'accountant' }).then((u) => u.roles),
      ),
    );
    const [counts] = await sql<{ roles: string; audits: string }>(
      `select (select count(*) from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = ? and r.key = 'accountant') as roles,
              (select count(*) from audit_events where subject_user_id = ? and action = 'user.role-assigned') as audits`,
      [user.id, user.id],
    );
    expect({ outcomes, counts }).toEqual({
      outcomes: [
        ['accountant', 'user'],
        ['accountant', 'user'],
      ],
      counts: { roles: '1', audits: '1' },
    });
  });
});

describe('the clock', () => {
  it('stamps entities and pg-boss jobs with the injected time', async () => {
    await clock.advance(3_600_000);
    // Nothing moves the manual clock below, so everything is stamped with this instant.
    const now = clock.now().toISOString();
    const admin = await t.admin();
    const user = await admin.trpc.users.create.mutate({ email: 'clock@clock.test', name: 'Clock', roles: ['user'] });
    await t.client().trpc.auth.requestPasswordReset.mutate({ email: 'clock@clock.test' });
    const [job] = await sql<{ created_on: string }>(
      "select created_on from pgboss.job where name = 'password-reset-request' and data->>'email' = 'clock@clock.test'",
    );
    expect({
      userCreated: user.createdAt.toISOString(),
      jobCreated: new Date(job!.created_on).toISOString(),
    }).toEqual({ userCreated: now, jobCreated: now });
    expect(now.startsWith('2027-03-01T09:00')).toBe(true);
  });
});

describe('several steps, one transaction', () => {
  it('keeps the old password and every session when signing the browser in again fails', async () => {
    const tab = await t.activeUser({
      email: 'change@tx.test',
      name: 'Change Person',
      password: 'First-secret-phrase-1',
    });
    const other = t.client();
    await other.trpc.auth.login.mutate({ email: 'change@tx.test', password: 'First-secret-phrase-1' });
    const me = (await tab.trpc.auth.me.query())!;
    const outcome = await t.refusingInserts('sessions', `new.user_id = '${me.id}'`, () =>
      failure(
        tab.trpc.auth.changePassword.mutate({
          currentPassword: 'First-secret-phrase-1',
          newPassword: 'Second-secret-phrase-2',
        }),
      ),
    );
    expect({
      outcome: outcome.code,
      stillSignedIn: [(await tab.trpc.auth.me.query())?.email, (await other.trpc.auth.me.query())?.email],
      oldPasswordWorks: await t
        .client()
        .trpc.auth.login.mutate({ email: 'change@tx.test', password: 'First-secret-phrase-1' }),
    }).toEqual({
      outcome: 'INTERNAL_SERVER_ERROR',
      stillSignedIn: ['change@tx.test', 'change@tx.test'],
      oldPasswordWorks: { ok: true },
    });
  });

  it('keeps the old invite link working when issuing its replacement fails', async () => {
    const admin = await t.admin();
    const user = await admin.trpc.users.create.mutate({ email: 'relink@tx.test', name: 'Relink', roles: ['user'] });
    const token = await t.mailedToken('relink@tx.test', 'invite');
    const outcome = await t.refusingInserts('password_reset_tokens', `new.user_id = '${user.id}'`, () =>
      failure(admin.trpc.users.resendInvite.mutate({ userId: user.id })),
    );
    expect({
      outcome: outcome.code,
      oldLink: await t.client().trpc.auth.checkToken.query({ token, purpose: 'invite' }),
    }).toEqual({
      outcome: 'INTERNAL_SERVER_ERROR',
      oldLink: { valid: true, email: 'relink@tx.test', name: 'Relink' },
    });
  });
});
