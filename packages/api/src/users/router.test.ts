/**
 * Admin user management against the real server and PostgreSQL: one person at a time (roles,
 * details, links, deactivation), the list an admin pages, sorts, filters and exports, and actions
 * on many selected people at once. Bulk registration from CSV is in bulk-register.test.ts.
 */
import { failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  // Each mailed link read here signs an admin tab in: more sign-ins from one address than a person makes.
  t = await startTestApp({ RATE_LIMIT_LOGIN_PER_IP: '1000', RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000' });
  admin = await t.admin();
});
afterAll(() => t?.close());

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
    // Put things back for the tests below, whichever way the race went: the first admin is the only one.
    if (outcomes[1] === 'removed') {
      await second.trpc.users.assignRole.mutate({ userId: firstId, role: 'admin' });
      await admin.trpc.users.removeRole.mutate({ userId: secondId, role: 'admin' });
    }
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
    }).toEqual({ me: null, login: 'FORBIDDEN', status: 'deactivated' }); // told, as they know the password
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

describe('a person’s details and links', () => {
  it('edits name and email: the new address gets a fresh invite and links sent to the old one stop working', async () => {
    const typo = await admin.trpc.users.create.mutate({ email: 'grce@example.com', name: 'Grace', roles: ['user'] });
    const oldToken = await t.mailedToken('grce@example.com', 'invite');
    const updated = await admin.trpc.users.update.mutate({
      userId: typo.id,
      name: 'Grace Hopper',
      email: ' Grace@Example.com ',
    });
    const newToken = await t.mailedToken('grace@example.com', 'invite');
    const anon = t.client();
    const taken = await failure(
      admin.trpc.users.update.mutate({ userId: typo.id, name: 'Grace Hopper', email: 'ada@example.com' }),
    );
    expect({
      created: typo.mail,
      updated: [updated.name, updated.email, updated.reinvited],
      history: updated.audit[0],
      oldLink: (await anon.trpc.auth.checkToken.query({ token: oldToken, purpose: 'invite' })).valid,
      newLink: await anon.trpc.auth.checkToken.query({ token: newToken, purpose: 'invite' }),
      taken,
    }).toEqual({
      created: 'captured',
      updated: ['Grace Hopper', 'grace@example.com', 'captured'],
      history: expect.objectContaining({
        action: 'user.updated',
        actorName: 'Administrator',
        data: {
          name: { from: 'Grace', to: 'Grace Hopper' },
          email: { from: 'grce@example.com', to: 'grace@example.com' },
        },
      }),
      oldLink: false,
      newLink: { valid: true, email: 'grace@example.com', name: 'Grace Hopper' },
      taken: {
        code: 'CONFLICT',
        message: 'email: A user with this email already exists. Search for them in the list.',
      },
    });
  });

  it('hands the admin a fresh invite link on request, audited, retiring the earlier one', async () => {
    const grace = (await admin.trpc.users.list.query({ search: 'grace@example.com' })).items[0]!;
    const mailed = await t.mailedToken('grace@example.com', 'invite');
    const copied = await admin.trpc.users.inviteLink.mutate({ userId: grace.id });
    const token = new URL(copied.url).searchParams.get('token')!;
    const anon = t.client();
    const detail = await admin.trpc.users.get.query({ userId: grace.id });
    const me = (await admin.trpc.auth.me.query())!;
    expect({
      path: new URL(copied.url).pathname,
      expiresAt: copied.expiresAt.getTime() === detail.inviteExpiresAt?.getTime(),
      copiedWorks: (await anon.trpc.auth.checkToken.query({ token, purpose: 'invite' })).valid,
      mailedWorks: (await anon.trpc.auth.checkToken.query({ token: mailed, purpose: 'invite' })).valid,
      history: detail.audit[0]?.action,
      notForActive: await failure(admin.trpc.users.inviteLink.mutate({ userId: me.id })),
    }).toEqual({
      path: '/accept-invite',
      expiresAt: true,
      copiedWorks: true,
      mailedWorks: false,
      history: 'user.invite-link-copied',
      notForActive: {
        code: 'CONFLICT',
        message: 'This user has already accepted their invite; send them a password reset instead.',
      },
    });
  });

  it('sends a password reset to an active person (audited), and refuses one for someone still invited', async () => {
    await t.activeUser({ email: 'resetme@example.com', name: 'Reset Me', password: 'Forgettable-pass-phrase' });
    const person = (await admin.trpc.users.list.query({ search: 'resetme@example.com' })).items[0]!;
    const grace = (await admin.trpc.users.list.query({ search: 'grace@example.com' })).items[0]!;
    const sent = await admin.trpc.users.sendPasswordReset.mutate({ userId: person.id });
    const token = await t.mailedToken('resetme@example.com', 'password-reset');
    await t.client().trpc.auth.resetPassword.mutate({ token, password: 'A-fresh-start-passphrase' });
    const login = await t.client().trpc.auth.login.mutate({
      email: 'resetme@example.com',
      password: 'A-fresh-start-passphrase',
    });
    const history = (await admin.trpc.users.get.query({ userId: person.id })).audit.map((a) => a.action);
    expect({
      sent,
      login,
      // (Reading the mail in the outbox is on record too.)
      history: history.filter((a) => a !== 'mail.viewed').slice(0, 2),
      invited: await failure(admin.trpc.users.sendPasswordReset.mutate({ userId: grace.id })),
    }).toEqual({
      sent: { ok: true, mail: 'captured' },
      login: { ok: true },
      history: ['password.reset', 'password.reset-sent'],
      invited: {
        code: 'CONFLICT',
        message: 'This user has not accepted their invite yet; copy or resend the invite instead.',
      },
    });
  });
});

describe('the list', () => {
  /** Five people whose every sortable column differs, created in a known order. */
  beforeAll(async () => {
    const em = t.app.services.orm.em.fork();
    const people = [
      ['sort-c@sort.test', 'Carol Sort', '2026-01-03', '2026-03-01', 'active', false],
      ['sort-a@sort.test', 'Alice Sort', '2026-01-05', null, 'invited', false],
      ['sort-e@sort.test', 'Erin Sort', '2026-01-01', '2026-03-05', 'active', true],
      ['sort-b@sort.test', 'Bob Sort', '2026-01-04', '2026-03-03', 'deactivated', true],
      ['sort-d@sort.test', 'Dan Sort', '2026-01-02', '2026-03-02', 'active', false],
    ] as const;
    for (const [email, name, created, lastLogin, status, locked] of people) {
      const user = await admin.trpc.users.create.mutate({ email, name, roles: ['supervisor'] });
      await em.execute('update users set created_at = ?, last_login_at = ?, status = ?, locked_at = ? where id = ?', [
        new Date(created),
        lastLogin ? new Date(lastLogin) : null,
        status,
        locked ? new Date(created) : null,
        user.id,
      ]);
    }
  });

  const names = async (input: Parameters<typeof admin.trpc.users.list.query>[0]) =>
    (await admin.trpc.users.list.query({ search: 'sort.test', ...input })).items.map((u) =>
      u.name.replace(' Sort', ''),
    );

  it('sorts by each column both ways, on the server, with the order a person expects', async () => {
    expect({
      name: await names({ sort: 'name' }),
      nameDesc: await names({ sort: 'name', dir: 'desc' }),
      email: await names({ sort: 'email', dir: 'desc' }),
      created: await names({ sort: 'createdAt' }),
      lastSignIn: await names({ sort: 'lastLoginAt', dir: 'desc' }),
      lastSignInAsc: await names({ sort: 'lastLoginAt' }),
      status: await names({ sort: 'status' }),
      paged: await names({ sort: 'createdAt', dir: 'desc', page: 2, pageSize: 2 }),
      unknownSort: await failure(
        admin.trpc.users.list.query({ sort: 'password_hash' as never }).then((r) => r.total),
      ).then((f) => f.code),
    }).toEqual({
      name: ['Alice', 'Bob', 'Carol', 'Dan', 'Erin'],
      nameDesc: ['Erin', 'Dan', 'Carol', 'Bob', 'Alice'],
      email: ['Erin', 'Dan', 'Carol', 'Bob', 'Alice'],
      created: ['Erin', 'Dan', 'Carol', 'Bob', 'Alice'],
      // Never signed in comes last both ways.
      lastSignIn: ['Erin', 'Bob', 'Dan', 'Carol', 'Alice'],
      lastSignInAsc: ['Carol', 'Dan', 'Bob', 'Erin', 'Alice'],
      // One status per person: active, deactivated (even if locked), invited, locked.
      status: ['Carol', 'Dan', 'Bob', 'Alice', 'Erin'],
      paged: ['Carol', 'Dan'],
      unknownSort: 'BAD_REQUEST',
    });
  });

  it('filters by the status the list shows, and exports everything the filter matches in its order', async () => {
    const statuses = async (status: 'active' | 'locked' | 'deactivated' | 'invited') => names({ status });
    const exported = await admin.trpc.users.export.query({ search: 'sort.test', sort: 'name', dir: 'desc' });
    expect({
      active: await statuses('active'),
      locked: await statuses('locked'),
      deactivated: await statuses('deactivated'),
      invited: await statuses('invited'),
      displayed: (await admin.trpc.users.list.query({ search: 'sort.test' })).items.map((u) => u.displayStatus),
      exported: {
        total: exported.total,
        truncated: exported.truncated,
        // Typed dates over the wire (superjson), not text from the driver.
        dates: exported.items.every(
          (u) => u.createdAt instanceof Date && (u.lastLoginAt === null || u.lastLoginAt instanceof Date),
        ),
        rows: exported.items.map((u) => [u.email, u.displayStatus, u.roles]),
      },
    }).toEqual({
      active: ['Carol', 'Dan'],
      locked: ['Erin'],
      deactivated: ['Bob'],
      invited: ['Alice'],
      displayed: ['invited', 'deactivated', 'active', 'active', 'locked'],
      exported: {
        total: 5,
        truncated: false,
        dates: true,
        rows: [
          ['sort-e@sort.test', 'locked', ['supervisor']],
          ['sort-d@sort.test', 'active', ['supervisor']],
          ['sort-c@sort.test', 'active', ['supervisor']],
          ['sort-b@sort.test', 'deactivated', ['supervisor']],
          ['sort-a@sort.test', 'invited', ['supervisor']],
        ],
      },
    });
  });
});

describe('many people at once', () => {
  it('applies one action to each selected person in one request, and says what happened to each', async () => {
    const sorted = (await admin.trpc.users.list.query({ search: 'sort.test', sort: 'name' })).items;
    const ids = sorted.map((u) => u.id);
    const me = (await admin.trpc.auth.me.query())!;
    const [alice, bob, carol] = sorted;
    const short = (r: { results: { email: string | null; outcome: string; message: string | null }[] }) =>
      r.results.map((x) => [x.email?.replace('@sort.test', ''), x.outcome, x.message]);

    const assigned = await admin.trpc.users.bulkAssignRole.mutate({ userIds: [...ids, ids[0]!], role: 'accountant' });
    const again = await admin.trpc.users.bulkAssignRole.mutate({ userIds: ids.slice(0, 2), role: 'accountant' });
    const removed = await admin.trpc.users.bulkRemoveRole.mutate({ userIds: [me.id, alice!.id], role: 'admin' });
    const resent = await admin.trpc.users.bulkResendInvite.mutate({ userIds: [alice!.id, carol!.id] });
    const deactivated = await admin.trpc.users.bulkDeactivate.mutate({ userIds: [bob!.id, carol!.id, me.id] });
    const tooMany = await failure(
      admin.trpc.users.bulkDeactivate.mutate({ userIds: Array.from({ length: 501 }, () => crypto.randomUUID()) }),
    );
    expect({
      assigned: [assigned.changed, assigned.unchanged, assigned.refused, assigned.results.length],
      again: short(again),
      removed: short(removed),
      resent: { ...resent, results: short(resent) },
      deactivated: short(deactivated),
      carol: (await admin.trpc.users.get.query({ userId: carol!.id })).status,
      tooMany,
    }).toEqual({
      assigned: [5, 0, 0, 5],
      again: [
        ['sort-a', 'unchanged', null],
        ['sort-b', 'unchanged', null],
      ],
      removed: [
        ['admin@goalpost.test', 'refused', 'At least one active admin must remain. Make someone else an admin first.'],
        ['sort-a', 'unchanged', null],
      ],
      resent: {
        changed: 1,
        unchanged: 0,
        refused: 1,
        mail: 'captured',
        results: [
          ['sort-a', 'changed', null],
          ['sort-c', 'refused', 'This user has already accepted their invite; send them a password reset instead.'],
        ],
      },
      deactivated: [
        ['sort-b', 'unchanged', null],
        ['sort-c', 'changed', null],
        ['admin@goalpost.test', 'refused', 'You cannot deactivate your own account.'],
      ],
      carol: 'deactivated',
      tooMany: { code: 'BAD_REQUEST', message: 'userIds: Select at most 500 users at a time.' },
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
      sameAsDetails: details.map((detail) =>
        Object.fromEntries(Object.keys(twins.items[0] ?? {}).map((k) => [k, detail[k as keyof typeof detail]])),
      ),
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
