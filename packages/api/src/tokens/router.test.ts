/**
 * Personal access tokens through the real procedures: a token's secret is answered once and only
 * its hash is stored; a person lists and revokes their own tokens and nobody else's (NOT_FOUND);
 * admins list everyone's (searchable, working or all) and revoke any; each creation and revocation
 * is in the owner's history. What a token may do on /api/v1 is in apps/server/src/rest.test.ts.
 */
import { failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashToken } from '../auth/token.ts';

let t: TestApp;
let ada: TestClient;
let bob: TestClient;
beforeAll(async () => {
  t = await startTestApp();
  ada = await t.activeUser({ email: 'ada@tokens.test', name: 'Ada Tokens', password: 'Token-owner-pass-1' });
  bob = await t.activeUser({ email: 'bob@tokens.test', name: 'Bob Tokens', password: 'Token-owner-pass-1' });
});
afterAll(() => t?.close());

it('answers the secret once, stores only its hash, and lists without it', async () => {
  const made = await ada.trpc.tokens.create.mutate({ name: '  Reporting  ', scope: 'read', expiresOn: '2100-12-31' });
  const [row] = await t.sql<{ hash: string; prefix: string; expires_at: Date }>(
    'select hash, prefix, expires_at from api_tokens where id = ?',
    [made.id],
  );
  const listed = await ada.trpc.tokens.list.query();
  expect({
    secret: /^gpat_[a-z2-7]{32}$/.test(made.secret),
    stored: row?.hash === hashToken(made.secret),
    prefix: row?.prefix === made.secret.slice(0, 9),
    expiresAt: new Date(row?.expires_at ?? 0).toISOString(),
    listed: listed.map((l) => ({ name: l.name, scope: l.scope, secret: 'secret' in l })),
  }).toEqual({
    secret: true,
    stored: true,
    prefix: true,
    expiresAt: '2101-01-01T00:00:00.000Z',
    listed: [{ name: 'Reporting', scope: 'read', secret: false }],
  });
});

it('refuses a nameless token and a last day already past, naming the field', async () => {
  expect([
    await failure(ada.trpc.tokens.create.mutate({ name: ' ', scope: 'write' })),
    await failure(ada.trpc.tokens.create.mutate({ name: 'Old', scope: 'write', expiresOn: '2001-01-01' })),
  ]).toEqual([
    { code: 'BAD_REQUEST', message: 'name: Name the token, after what will use it.' },
    { code: 'BAD_REQUEST', message: 'expiresOn: Choose a day from today on, or no expiry.' },
  ]);
});

it("revokes one's own tokens only; admins list and revoke anyone's, written to the owner's history", async () => {
  const adas = await ada.trpc.tokens.create.mutate({ name: 'ERP sync', scope: 'write' });
  const bobs = await bob.trpc.tokens.create.mutate({ name: "Bob's script", scope: 'read' });
  const notMine = await failure(ada.trpc.tokens.revoke.mutate({ tokenId: bobs.id }));
  const revoked = await ada.trpc.tokens.revoke.mutate({ tokenId: adas.id });
  const again = await ada.trpc.tokens.revoke.mutate({ tokenId: adas.id });

  const admin = await t.admin();
  const working = await admin.trpc.tokens.adminList.query({});
  const searched = await admin.trpc.tokens.adminList.query({ status: 'all', search: 'bob@' });
  const byAdmin = await admin.trpc.tokens.adminRevoke.mutate({ tokenId: bobs.id });
  const bobId = (await bob.trpc.auth.me.query())!.id;
  const history = (await admin.trpc.users.get.query({ userId: bobId })).audit
    .filter((a) => a.action.startsWith('token.'))
    .map((a) => [a.action, a.actorName, a.data]);
  expect({
    notMine,
    revoked: revoked.revokedAt !== null,
    sameRevocation: again.revokedAt?.getTime() === revoked.revokedAt?.getTime(),
    working: working.items.map((i) => [i.user.email, i.name]),
    searched: searched.items.map((i) => [i.user.name, i.name, i.scope]),
    byAdmin: byAdmin.revokedAt !== null,
    history,
  }).toEqual({
    notMine: { code: 'NOT_FOUND', message: 'No such token: it may have been deleted.' },
    revoked: true,
    sameRevocation: true,
    working: [
      ['bob@tokens.test', "Bob's script"],
      ['ada@tokens.test', 'Reporting'],
    ],
    searched: [['Bob Tokens', "Bob's script", 'read']],
    byAdmin: true,
    history: [
      ['token.revoked', 'Administrator', { tokenId: bobs.id, name: "Bob's script" }],
      ['token.created', 'Bob Tokens', { tokenId: bobs.id, name: "Bob's script", scope: 'read', expiresAt: null }],
    ],
  });
});
