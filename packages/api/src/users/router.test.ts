/**
 * Admin user management against the real server and PostgreSQL, including bulk registration:
 * the dry run reports every bad row and writes no user; the commit runs as a pg-boss job and
 * writes every row or none.
 */
import { ADMIN, eventually, failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.admin();
});
afterAll(() => t?.close());

async function userCount(): Promise<number> {
  const [row] = await t.app.services.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from users');
  return Number(row!.n);
}

describe('one user at a time', () => {
  it('creates an invited user with roles and mails the invite', async () => {
    const created = await admin.trpc.users.create.mutate({
      email: ' Ada@Example.com ',
      name: 'Ada Lovelace',
      roles: ['accountant'],
    });
    const { items } = await admin.trpc.mail.list.query({ search: 'ada@example.com' });
    expect({ created, mails: items.map((m) => [m.kind, m.subject, m.status]) }).toEqual({
      created: expect.objectContaining({
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        status: 'invited',
        roles: ['accountant'],
      }),
      mails: [['invite', 'You are invited to Goalpost', 'captured']],
    });
  });

  it('refuses a second user with the same email, naming the field', async () => {
    expect(
      await failure(admin.trpc.users.create.mutate({ email: 'ada@example.com', name: 'Other', roles: ['user'] })),
    ).toEqual({
      code: 'CONFLICT',
      message: 'email: A user with this email already exists. Search for them in the list.',
    });
  });

  it('rejects bad input with the field path', async () => {
    expect(await failure(admin.trpc.users.create.mutate({ email: 'not-an-email', name: '', roles: [] }))).toEqual({
      code: 'BAD_REQUEST',
      message:
        'email: Enter a valid email address, like name@example.com.; name: Enter a name.; roles: Give the user at least one role.',
    });
  });

  it('assigns and removes roles, but never removes the last admin', async () => {
    const ada = (await admin.trpc.users.list.query({ search: 'ada' })).items[0]!;
    await admin.trpc.users.assignRole.mutate({ userId: ada.id, role: 'supervisor' });
    const afterAssign = await admin.trpc.users.get.query({ userId: ada.id });
    await admin.trpc.users.removeRole.mutate({ userId: ada.id, role: 'accountant' });
    const afterRemove = await admin.trpc.users.get.query({ userId: ada.id });
    const me = await admin.trpc.auth.me.query();
    expect({
      afterAssign: afterAssign.roles,
      afterRemove: afterRemove.roles,
      audit: afterRemove.audit.map((a) => a.action),
      lastAdmin: await failure(admin.trpc.users.removeRole.mutate({ userId: me!.id, role: 'admin' })),
      selfDeactivate: (await failure(admin.trpc.users.deactivate.mutate({ userId: me!.id }))).code,
    }).toEqual({
      afterAssign: ['accountant', 'supervisor'],
      afterRemove: ['supervisor'],
      audit: ['user.role-removed', 'user.role-assigned', 'user.invited'],
      lastAdmin: {
        code: 'CONFLICT',
        message: 'At least one active admin must remain. Make someone else an admin first.',
      },
      selfDeactivate: 'CONFLICT',
    });
  });

  it('never lets two admins demoting each other at once leave nobody in charge', async () => {
    const second = await t.activeUser({
      email: 'second-admin@example.com',
      name: 'Second Admin',
      password: 'Deputy-in-charge-pass',
      roles: ['admin'],
    });
    const firstId = (await admin.trpc.auth.me.query())!.id;
    const secondId = (await second.trpc.auth.me.query())!.id;
    const outcomes = await Promise.all([
      admin.trpc.users.removeRole.mutate({ userId: secondId, role: 'admin' }).then(
        () => 'removed',
        async (e) => (await failure(Promise.reject(e))).code,
      ),
      second.trpc.users.removeRole.mutate({ userId: firstId, role: 'admin' }).then(
        () => 'removed',
        async (e) => (await failure(Promise.reject(e))).code,
      ),
    ]);
    const [row] = await t.app.services.orm.em
      .fork()
      .execute<{ n: string }[]>(
        "select count(*) as n from user_roles ur join roles r on r.id = ur.role_id join users u on u.id = ur.user_id where r.key = 'admin' and u.status = 'active'",
      );
    // The loser is refused under the lock (CONFLICT), or, if the winner's change committed before
    // the loser's request started, for no longer being an admin (FORBIDDEN).
    expect({ outcomes: [...outcomes].sort(), admins: row!.n }).toEqual({
      outcomes: [expect.toSatisfy((o: string) => o === 'CONFLICT' || o === 'FORBIDDEN'), 'removed'],
      admins: '1',
    });
    // Put things back for the tests below: the first admin must remain one.
    if (outcomes[1] === 'removed') await second.trpc.users.assignRole.mutate({ userId: firstId, role: 'admin' });
  });

  it('deactivating a user signs them out and stops them signing in', async () => {
    const tab = await t.activeUser({
      email: 'leaver@example.com',
      name: 'Leaver',
      password: 'Leaving-soon-passphrase',
    });
    const leaver = (await admin.trpc.users.list.query({ search: 'leaver' })).items[0]!;
    await admin.trpc.users.deactivate.mutate({ userId: leaver.id });
    expect({
      me: await tab.trpc.auth.me.query(),
      login: (
        await failure(
          t.client().trpc.auth.login.mutate({ email: 'leaver@example.com', password: 'Leaving-soon-passphrase' }),
        )
      ).code,
      status: (await admin.trpc.users.get.query({ userId: leaver.id })).status,
    }).toEqual({ me: null, login: 'UNAUTHORIZED', status: 'deactivated' });
  });

  it('searches by email prefix or name, filters by role and pages', async () => {
    for (let i = 0; i < 7; i++) {
      await admin.trpc.users.create.mutate({
        email: `pager${i}@example.com`,
        name: `Pager ${i}`,
        roles: ['supervisor'],
      });
    }
    const page1 = await admin.trpc.users.list.query({ search: 'pager', pageSize: 3, page: 1 });
    const page3 = await admin.trpc.users.list.query({ search: 'pager', pageSize: 3, page: 3 });
    const supervisors = await admin.trpc.users.list.query({ role: 'supervisor', pageSize: 100 });
    expect({
      total: page1.total,
      page1: page1.items.map((u) => u.name),
      page3: page3.items.map((u) => u.name),
      supervisors: supervisors.total,
      wildcard: (await admin.trpc.users.list.query({ search: '%' })).total,
    }).toEqual({
      total: 7,
      page1: ['Pager 0', 'Pager 1', 'Pager 2'],
      page3: ['Pager 6'],
      supervisors: 8,
      wildcard: 0,
    });
  });
});

describe('the admin list', () => {
  it('shows each person as users.get does, ordered by name then email, filtered and paged', async () => {
    await admin.trpc.users.create.mutate({ email: 'twin-b@example.com', name: 'Twin', roles: ['user', 'accountant'] });
    await admin.trpc.users.create.mutate({ email: 'twin-a@example.com', name: 'Twin', roles: ['supervisor'] });
    const able = await admin.trpc.users.create.mutate({
      email: 'twin-c@example.com',
      name: 'Twin Able',
      roles: ['user'],
    });
    await admin.trpc.users.deactivate.mutate({ userId: able.id });
    const twins = await admin.trpc.users.list.query({ search: 'twin' });
    const details = await Promise.all(twins.items.map((u) => admin.trpc.users.get.query({ userId: u.id })));
    const emails = async (input: Parameters<typeof admin.trpc.users.list.query>[0]) =>
      (await admin.trpc.users.list.query(input)).items.map((u) => u.email);
    expect({
      emails: twins.items.map((u) => u.email),
      // The list reads plain rows, users.get the ORM's entities: both must show the same person.
      sameAsDetails: details.map(({ audit: _audit, ...detail }) => detail),
      total: twins.total,
      deactivated: await emails({ search: 'twin', status: 'deactivated' }),
      invited: await emails({ search: 'twin', status: 'invited' }),
      accountants: await emails({ search: 'twin', role: 'accountant' }),
      secondPage: await emails({ search: 'twin', page: 2, pageSize: 2 }),
      pastTheEnd: await admin.trpc.users.list.query({ search: 'twin', page: 4, pageSize: 1 }),
      noMatch: await admin.trpc.users.list.query({ search: 'nobody-is-called-this' }),
    }).toEqual({
      emails: ['twin-a@example.com', 'twin-b@example.com', 'twin-c@example.com'],
      sameAsDetails: twins.items,
      total: 3,
      deactivated: ['twin-c@example.com'],
      invited: ['twin-a@example.com', 'twin-b@example.com'],
      accountants: ['twin-b@example.com'],
      secondPage: ['twin-c@example.com'],
      pastTheEnd: { items: [], total: 3, page: 4, pageSize: 1 },
      noMatch: { items: [], total: 0, page: 1, pageSize: 25 },
    });
  });
});

describe('bulk registration from CSV', () => {
  it('reports every bad row with line, field and reason, and writes nothing', async () => {
    const csv = [
      'email,name,roles',
      'good1@bulk.test,Good One,user',
      'not-an-email,Bad Email,user',
      'good2@bulk.test,,accountant',
      'good3@bulk.test,Bad Role,boss;user',
      'GOOD1@bulk.test,Duplicate In File,user',
      'ada@example.com,Already Registered,user',
      '',
      'good4@bulk.test,Good Four,supervisor;accountant',
    ].join('\n');
    const before = await userCount();
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'people.csv', csv });
    expect({
      summary: [report.status, report.totalRows, report.validRows, report.errorCount],
      errors: report.errors,
      usersWritten: (await userCount()) - before,
      commit: await failure(admin.trpc.users.bulkCommit.mutate({ importId: report.importId })),
    }).toEqual({
      summary: ['failed', 7, 2, 5],
      errors: [
        { line: 3, field: 'email', value: 'not-an-email', message: 'Not a valid email address.' },
        { line: 4, field: 'name', value: '', message: 'Name is missing.' },
        {
          line: 5,
          field: 'roles',
          value: 'boss;user',
          message: 'Unknown role "boss". Use admin, user, accountant, supervisor.',
        },
        { line: 6, field: 'email', value: 'GOOD1@bulk.test', message: 'Same email as line 2.' },
        { line: 7, field: 'email', value: 'ada@example.com', message: 'A user with this email already exists.' },
      ],
      usersWritten: 0,
      commit: { code: 'CONFLICT', message: 'This file has problems; fix them and check the file again.' },
    });
  });

  it('writes nothing when a row has become invalid between the check and the commit', async () => {
    const csv = 'email,name\nlate1@late.test,Late One\nlate2@late.test,Late Two\n';
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'late.csv', csv });
    await admin.trpc.users.create.mutate({ email: 'late2@late.test', name: 'Got There First', roles: ['user'] });
    const before = await userCount();
    await admin.trpc.users.bulkCommit.mutate({ importId: report.importId });
    const final = await eventually(async () => {
      const s = await admin.trpc.users.bulkStatus.query({ importId: report.importId });
      return s.status === 'done' || s.status === 'failed' ? s : undefined;
    });
    const errors = await admin.trpc.users.bulkErrors.query({ importId: report.importId });
    expect({
      checked: report.status,
      final: [final.status, final.processedRows, final.errorCount],
      written: (await userCount()) - before,
      errors: errors.items,
    }).toEqual({
      checked: 'validated',
      final: ['failed', 0, 1],
      written: 0,
      errors: [
        { line: 3, field: 'email', value: 'late2@late.test', message: 'A user with this email already exists.' },
      ],
    });
  });

  it('refuses a file without the header row', async () => {
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'x.csv', csv: 'a@b.test,Someone,user\n' });
    expect(report.errors).toEqual([
      {
        line: 1,
        field: 'file',
        value: 'a@b.test,Someone,user',
        message: 'The first line must name the columns: email, name and (optionally) roles.',
      },
    ]);
  });

  it('registers 10,000 users in one job, with progress, invites and an audit row', async () => {
    const rows = Array.from(
      { length: 10_000 },
      (_, i) => `bulk${i}@bulk.test;Bulk Person ${i};${i % 10 === 0 ? 'accountant|user' : ''}`,
    );
    const csv = `\uFEFFEmail;Name;Roles\n${rows.join('\n')}\n`;
    const before = await userCount();
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'ten-thousand.csv', csv });
    expect([report.status, report.validRows, report.errorCount]).toEqual(['validated', 10_000, 0]);
    await admin.trpc.users.bulkCommit.mutate({ importId: report.importId });
    // Progress, as the page polls it: every processed count seen on the way, in order.
    const seen: number[] = [];
    const done = await eventually(async () => {
      const status = await admin.trpc.users.bulkStatus.query({ importId: report.importId });
      if (status.status === 'running') seen.push(status.processedRows);
      return status.status === 'done' || status.status === 'failed' ? status : undefined;
    }, 90_000);
    const em = t.app.services.orm.em.fork();
    const [counts] = await em.execute<{ invited: string; accountants: string; tokens: string; mails: string }[]>(
      `select (select count(*) from users where email like '%@bulk.test' and status = 'invited') as invited,
              (select count(*) from user_roles ur join roles r on r.id = ur.role_id join users u on u.id = ur.user_id
                where r.key = 'accountant' and u.email like '%@bulk.test') as accountants,
              (select count(*) from password_reset_tokens t join users u on u.id = t.user_id where u.email like '%@bulk.test') as tokens,
              (select count(*) from mail_messages where to_address like '%@bulk.test' and kind = 'invite') as mails`,
    );
    const audit = await em.execute<{ actor: string; data: Record<string, unknown>; traced: boolean }[]>(
      `select u.email as actor, a.data, a.trace_id is not null as traced from audit_events a
       join users u on u.id = a.actor_id where a.action = 'user.bulk-registered'`,
    );
    expect({
      status: [done.status, done.processedRows, done.totalRows],
      progress: {
        midway: seen.some((n) => n > 0 && n < 10_000),
        inOrder: seen.every((n, i) => i === 0 || n >= seen[i - 1]!),
      },
      added: (await userCount()) - before,
      counts,
      audit,
      again: await failure(admin.trpc.users.bulkCommit.mutate({ importId: report.importId })),
    }).toEqual({
      status: ['done', 10_000, 10_000],
      progress: { midway: true, inOrder: true },
      added: 10_000,
      counts: { invited: '10000', accountants: '1000', tokens: '10000', mails: '10000' },
      audit: [
        {
          actor: ADMIN.email,
          data: { importId: report.importId, count: 10_000, fileName: 'ten-thousand.csv' },
          traced: true,
        },
      ],
      again: { code: 'CONFLICT', message: 'This import has already been started.' },
    });
  });
});
