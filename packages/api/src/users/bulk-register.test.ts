/**
 * Bulk registration from a real staff list, against the real server, PostgreSQL and the pg-boss
 * job. A real list has a few bad rows and many people who already have accounts; the check sorts
 * rows into new people, existing people and problems (each problem saying whose row it is), and
 * the commit applies the admin's explicit choices in one transaction: skip the problems, and leave
 * existing people alone or update their name and roles (audited per person). Nothing is written
 * unless the admin chose it, and the last admin cannot be removed by a file.
 */
import { ADMIN, eventually, failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../context.ts';
import { newTraceId } from '../platform/trace.ts';
import { commit as commitUserImport, failAbandonedImports } from './bulk.ts';

let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.admin();
  await admin.trpc.users.create.mutate({ email: 'ada@example.com', name: 'Ada Lovelace', roles: ['accountant'] });
});
afterAll(() => t?.close());

const sql = <T>(query: string, params: unknown[] = []) => t.app.services.orm.em.fork().execute<T[]>(query, params);

async function userCount(): Promise<number> {
  const [row] = await sql<{ n: string }>('select count(*) as n from users');
  return Number(row!.n);
}

async function finished(importId: string) {
  return eventually(async () => {
    const s = await admin.trpc.users.bulkStatus.query({ importId });
    return s.status === 'done' || s.status === 'failed' ? s : undefined;
  }, 90_000);
}

const outcome = (s: Awaited<ReturnType<typeof finished>>) => ({
  status: s.status,
  created: s.createdRows,
  updated: s.updatedRows,
  skipped: s.skippedRows,
  problemRows: s.problemRows,
  error: s.error,
});

const staffList = [
  'email,name,roles',
  'good1@bulk.test,Good One,user',
  'not-an-email,Bad Email,user',
  'good2@bulk.test,,accountant',
  'good3@bulk.test,Bad Role,boss;user',
  'GOOD1@bulk.test,Duplicate In File,user',
  'ada@example.com,Ada King,supervisor',
  '',
  'good4@bulk.test,Good Four,supervisor;accountant',
].join('\n');

describe('checking a staff list', () => {
  it('sorts rows into new people, people already registered and problems that say whose row they are', async () => {
    const before = await userCount();
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'people.csv', csv: staffList });
    expect({
      summary: {
        status: report.status,
        total: report.totalRows,
        new: report.validRows,
        existing: report.existingRows,
        changed: report.changedRows,
        problemRows: report.problemRows,
        problems: report.errorCount,
      },
      errors: report.errors,
      changes: report.changes.map(({ userId: _, ...c }) => c),
      usersWritten: (await userCount()) - before,
      noChoice: await failure(admin.trpc.users.bulkCommit.mutate({ importId: report.importId })),
      noExistingChoice: await failure(
        admin.trpc.users.bulkCommit.mutate({ importId: report.importId, skipProblems: true }),
      ),
    }).toEqual({
      summary: { status: 'validated', total: 7, new: 2, existing: 1, changed: 1, problemRows: 4, problems: 4 },
      errors: [
        {
          line: 3,
          field: 'email',
          value: 'not-an-email',
          message: 'Not a valid email address.',
          email: 'not-an-email',
          name: 'Bad Email',
        },
        { line: 4, field: 'name', value: '', message: 'Name is missing.', email: 'good2@bulk.test', name: '' },
        {
          line: 5,
          field: 'roles',
          value: 'boss;user',
          message: 'Unknown role "boss". Use admin, user, accountant, supervisor.',
          email: 'good3@bulk.test',
          name: 'Bad Role',
        },
        {
          line: 6,
          field: 'email',
          value: 'GOOD1@bulk.test',
          message: 'Same email as line 2.',
          email: 'GOOD1@bulk.test',
          name: 'Duplicate In File',
        },
      ],
      changes: [
        {
          line: 7,
          email: 'ada@example.com',
          status: 'invited',
          name: { from: 'Ada Lovelace', to: 'Ada King' },
          roles: { from: ['accountant'], to: ['supervisor'] },
        },
      ],
      usersWritten: 0,
      noChoice: {
        code: 'CONFLICT',
        message: '4 rows have problems. Register the other rows and skip them, or fix the file and check it again.',
      },
      noExistingChoice: {
        code: 'BAD_REQUEST',
        message:
          'existing: 1 person in the file already has an account. Choose whether to skip them or to update their name and roles.',
      },
    });
  });

  it('refuses a file without the header row, and a file where no row can be registered', async () => {
    const headless = await admin.trpc.users.bulkValidate.mutate({ fileName: 'x.csv', csv: 'a@b.test,Someone,user\n' });
    const allBad = await admin.trpc.users.bulkValidate.mutate({ fileName: 'y.csv', csv: 'email,name\nnope,Nope\n' });
    expect({
      headless: [headless.status, headless.error, headless.errors],
      allBad: [allBad.status, allBad.error],
      commit: await failure(admin.trpc.users.bulkCommit.mutate({ importId: allBad.importId, skipProblems: true })),
    }).toEqual({
      headless: [
        'failed',
        'The file cannot be read as a staff list; fix it and check it again.',
        [
          {
            line: 1,
            field: 'file',
            value: 'a@b.test,Someone,user',
            message: 'The first line must name the columns: email, name and (optionally) roles.',
            email: '',
            name: '',
          },
        ],
      ],
      allBad: ['failed', 'No row can be registered; fix the file and check it again.'],
      commit: {
        code: 'CONFLICT',
        message: 'Nothing in this file can be registered; fix it and check the file again.',
      },
    });
  });
});

describe('committing with the admin’s choices', () => {
  it('registers the good rows, skips the problems (keeping the report) and leaves existing people alone', async () => {
    const before = await userCount();
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'people.csv', csv: staffList });
    await admin.trpc.users.bulkCommit.mutate({ importId: report.importId, skipProblems: true, existing: 'skip' });
    const done = await finished(report.importId);
    const [ada] = await sql<{ name: string }>(`select name from users where email = 'ada@example.com'`);
    const good1 = (await admin.trpc.users.list.query({ search: 'good1@bulk.test' })).items[0]!;
    const history = (await admin.trpc.users.get.query({ userId: good1.id })).audit;
    expect({
      outcome: outcome(done),
      written: (await userCount()) - before,
      ada: ada!.name,
      report: (await admin.trpc.users.bulkErrors.query({ importId: report.importId })).items.map((e) => e.line),
      history: history.map((h) => ({ action: h.action, actorName: h.actorName, data: h.data })),
    }).toEqual({
      outcome: { status: 'done', created: 2, updated: 0, skipped: 1, problemRows: 4, error: null },
      written: 2,
      ada: 'Ada Lovelace',
      report: [3, 4, 5, 6],
      history: [
        {
          action: 'user.invited',
          actorName: 'Administrator',
          data: { roles: ['user'], importId: report.importId, fileName: 'people.csv' },
        },
      ],
    });
  });

  it('updates existing people’s name and roles when the admin chooses to, and audits each change', async () => {
    const csv = [
      'email,name,roles',
      'ada@example.com,Ada King,supervisor;accountant',
      'good4@bulk.test,Good Four,',
      'good1@bulk.test,Good One,user',
    ].join('\n');
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'update.csv', csv });
    await admin.trpc.users.bulkCommit.mutate({ importId: report.importId, existing: 'update' });
    const done = await finished(report.importId);
    const ada = (await admin.trpc.users.list.query({ search: 'ada@example.com' })).items[0]!;
    const adaHistory = (await admin.trpc.users.get.query({ userId: ada.id })).audit[0];
    expect({
      check: [report.existingRows, report.changedRows],
      outcome: outcome(done),
      ada: [ada.name, ada.roles],
      adaHistory: { action: adaHistory?.action, data: adaHistory?.data },
    }).toEqual({
      check: [3, 1],
      outcome: { status: 'done', created: 0, updated: 1, skipped: 2, problemRows: 0, error: null },
      ada: ['Ada King', ['accountant', 'supervisor']],
      adaHistory: {
        action: 'user.updated',
        data: {
          name: { from: 'Ada Lovelace', to: 'Ada King' },
          roles: { from: ['accountant'], to: ['accountant', 'supervisor'] },
          importId: report.importId,
          fileName: 'update.csv',
        },
      },
    });
  });

  it('never lets a file take the admin role from the last active admin: nothing is written', async () => {
    const before = await userCount();
    const csv = `email,name,roles\n${ADMIN.email},Administrator,user\nnewcomer@bulk.test,New Comer,user\n`;
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'demote.csv', csv });
    await admin.trpc.users.bulkCommit.mutate({ importId: report.importId, existing: 'update' });
    const done = await finished(report.importId);
    const me = await admin.trpc.auth.me.query();
    expect({ outcome: outcome(done), written: (await userCount()) - before, roles: me?.roles }).toEqual({
      outcome: {
        status: 'failed',
        created: 0,
        updated: 0,
        skipped: 0,
        problemRows: 0,
        error:
          'This file would leave no active admin, so nothing was written. Give someone the admin role in the file, or skip the people already registered.',
      },
      written: 0,
      roles: ['admin', 'user'],
    });
  });

  it('leaves alone a person registered by hand between the check and the commit', async () => {
    const csv = 'email,name\nlate1@late.test,Late One\nlate2@late.test,Late Two\n';
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'late.csv', csv });
    await admin.trpc.users.create.mutate({ email: 'late2@late.test', name: 'Got There First', roles: ['user'] });
    await admin.trpc.users.bulkCommit.mutate({ importId: report.importId });
    const done = await finished(report.importId);
    const rows = await sql<{ email: string; name: string }>(
      `select email, name from users where email like '%@late.test' order by email`,
    );
    expect({ checked: report.status, outcome: outcome(done), rows }).toEqual({
      checked: 'validated',
      outcome: { status: 'done', created: 1, updated: 0, skipped: 1, problemRows: 0, error: null },
      rows: [
        { email: 'late1@late.test', name: 'Late One' },
        { email: 'late2@late.test', name: 'Got There First' },
      ],
    });
  });
});

describe('invite links of a registration, without a mail server', () => {
  it('mints a fresh link for everyone still invited, retiring the captured ones, audited per person', async () => {
    const csv = 'email,name\nlinks1@links.test,Links One\nlinks2@links.test,Links Two\nlinks3@links.test,Links Three\n';
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'links.csv', csv });
    await admin.trpc.users.bulkCommit.mutate({ importId: report.importId });
    const done = await finished(report.importId);
    // One person accepts the mailed invite before the admin hands out the list: they are left out.
    const mailed = await t.mailedToken('links3@links.test', 'invite');
    await t.client().trpc.auth.acceptInvite.mutate({ token: mailed, password: 'Quiet-harbour-passphrase-3' });
    const mailedToOne = await t.mailedToken('links1@links.test', 'invite');

    const list = await admin.trpc.users.bulkInviteLinks.mutate({ importId: report.importId });
    const anon = t.client();
    const checks = await Promise.all(
      list.items.map((p) =>
        anon.trpc.auth.checkToken.query({ token: new URL(p.url).searchParams.get('token')!, purpose: 'invite' }),
      ),
    );
    const [audited] = await sql<{ n: string }>(
      `select count(*) as n from audit_events where action = 'user.invite-link-copied' and data->>'importId' = ?`,
      [report.importId],
    );
    const outbox = await admin.trpc.mail.list.query({ search: 'links1@links.test' });
    expect({
      mail: done.mail,
      people: list.items.map((p) => [p.name, p.email, new URL(p.url).pathname]),
      expiresAt: list.expiresAt instanceof Date,
      checks: checks.map((c) => c.valid),
      oldLink: (await anon.trpc.auth.checkToken.query({ token: mailedToOne, purpose: 'invite' })).valid,
      outboxLink: outbox.items.map((m) => m.linkState),
      audited: audited!.n,
    }).toEqual({
      mail: 'captured',
      people: [
        ['Links One', 'links1@links.test', '/accept-invite'],
        ['Links Two', 'links2@links.test', '/accept-invite'],
      ],
      expiresAt: true,
      checks: [true, true],
      oldLink: false,
      outboxLink: ['superseded'],
      audited: '2',
    });
  });
});

describe('a large list', () => {
  it('registers 10,000 users in one job, with progress, invites and a history row per person', async () => {
    const rows = Array.from(
      { length: 10_000 },
      (_, i) => `bulk${i}@bulk10k.test;Bulk Person ${i};${i % 10 === 0 ? 'accountant|user' : ''}`,
    );
    const csv = `\uFEFFEmail;Name;Roles\n${rows.join('\n')}\n`;
    const before = await userCount();
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'ten-thousand.csv', csv });
    expect([report.status, report.validRows, report.errorCount]).toEqual(['validated', 10_000, 0]);
    const started = performance.now();
    await admin.trpc.users.bulkCommit.mutate({ importId: report.importId });
    // Progress, as the page polls it: every processed count seen on the way, in order.
    const seen: number[] = [];
    const done = await eventually(async () => {
      const status = await admin.trpc.users.bulkStatus.query({ importId: report.importId });
      if (status.status === 'running') seen.push(status.processedRows);
      return status.status === 'done' || status.status === 'failed' ? status : undefined;
    }, 90_000);
    console.log(`10,000-user commit: ${Math.round(performance.now() - started)} ms from commit to done`);
    const [counts] = await sql<{
      invited: string;
      accountants: string;
      tokens: string;
      mails: string;
      linked: string;
      sourced: string;
      histories: string;
    }>(
      `select (select count(*) from users where email like '%@bulk10k.test' and status = 'invited') as invited,
              (select count(*) from user_roles ur join roles r on r.id = ur.role_id join users u on u.id = ur.user_id
                where r.key = 'accountant' and u.email like '%@bulk10k.test') as accountants,
              (select count(*) from password_reset_tokens t join users u on u.id = t.user_id where u.email like '%@bulk10k.test') as tokens,
              (select count(*) from mail_messages where to_address like '%@bulk10k.test' and kind = 'invite') as mails,
              (select count(*) from mail_messages m join password_reset_tokens t on t.id = m.link_token_id
                where m.to_address like '%@bulk10k.test') as linked,
              (select count(*) from users where source_import_id = ?) as sourced,
              (select count(*) from audit_events a join users u on u.id = a.subject_user_id
                where a.action = 'user.invited' and u.email like '%@bulk10k.test' and a.data->>'fileName' = 'ten-thousand.csv') as histories`,
      [report.importId],
    );
    const audit = await sql<{ actor: string; data: Record<string, unknown>; traced: boolean }>(
      `select u.email as actor, a.data, a.trace_id is not null as traced from audit_events a
       join users u on u.id = a.actor_id where a.action = 'user.bulk-registered' and a.data->>'importId' = ?`,
      [report.importId],
    );
    expect({
      status: [done.status, done.processedRows, done.totalRows, done.createdRows],
      progress: {
        midway: seen.some((n) => n > 0 && n < 10_000),
        inOrder: seen.every((n, i) => i === 0 || n >= seen[i - 1]!),
      },
      added: (await userCount()) - before,
      counts,
      audit,
      again: await failure(admin.trpc.users.bulkCommit.mutate({ importId: report.importId })),
    }).toEqual({
      status: ['done', 10_000, 10_000, 10_000],
      progress: { midway: true, inOrder: true },
      added: 10_000,
      counts: {
        invited: '10000',
        accountants: '1000',
        tokens: '10000',
        mails: '10000',
        linked: '10000',
        sourced: '10000',
        histories: '10000',
      },
      audit: [
        {
          actor: ADMIN.email,
          data: {
            importId: report.importId,
            fileName: 'ten-thousand.csv',
            count: 10_000,
            updated: 0,
            skipped: 0,
            problemRows: 0,
            existing: 'skip',
          },
          traced: true,
        },
      ],
      again: { code: 'CONFLICT', message: 'This import has already been started.' },
    });
  });
});

describe('when the commit is interrupted', () => {
  it('retries a commit a failure interrupted: nothing half-written, and the retry completes', async () => {
    const csv = 'email,name\nretry1@retry.test,Retry One\nretry2@retry.test,Retry Two\n';
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'retry.csv', csv });
    const ctx = () => systemContext(t.app.services, newTraceId());
    // The invites are the last thing written: the users before them must be rolled back too.
    const first = await t.refusingInserts('mail_messages', "new.to_address like '%@retry.test'", () =>
      commitUserImport(ctx(), { importId: report.importId, existing: 'skip' }, { last: false }).then(
        () => 'committed',
        (e: Error) => e.message,
      ),
    );
    const between = await admin.trpc.users.bulkStatus.query({ importId: report.importId });
    const writtenBetween = await t.sql<{ n: string }>(
      "select count(*) as n from users where email like '%@retry.test'",
    );
    const retried = await commitUserImport(ctx(), { importId: report.importId, existing: 'skip' }, { last: true });
    const after = await admin.trpc.users.bulkStatus.query({ importId: report.importId });
    expect({
      first,
      between: [between.status, between.error, writtenBetween[0]?.n],
      retried,
      after: [after.status, after.processedRows, after.error],
    }).toEqual({
      first: expect.stringContaining('refused by the test'),
      between: ['queued', 'A problem interrupted the registration; retrying shortly.', '0'],
      retried: 'done',
      after: ['done', 2, null],
    });
  });

  it('closes imports whose job was lost, so their page stops waiting, and leaves live ones alone', async () => {
    const stuck = await admin.trpc.users.bulkValidate.mutate({
      fileName: 'stuck.csv',
      csv: 'email,name\ns@stuck.test,S\n',
    });
    const live = await admin.trpc.users.bulkValidate.mutate({
      fileName: 'live.csv',
      csv: 'email,name\nl@live.test,L\n',
    });
    await t.sql(
      `update imports set status = 'running', updated_at = now() - (case when id = ? then interval '31 minutes' else interval '5 minutes' end)
       where id in (?, ?)`,
      [stuck.importId, stuck.importId, live.importId],
    );
    const closed = await failAbandonedImports(systemContext(t.app.services, newTraceId()));
    const states = await Promise.all(
      [stuck, live].map(async ({ importId }) => {
        const s = await admin.trpc.users.bulkStatus.query({ importId });
        return [s.status, s.error];
      }),
    );
    expect({ closed, states }).toEqual({
      closed: 1,
      states: [
        ['failed', 'The registration stopped without finishing, so nothing was saved. Check the file again to retry.'],
        ['running', null],
      ],
    });
  });
});
