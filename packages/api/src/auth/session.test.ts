/**
 * The session check reads the session, the user and their roles (a prepared statement on the
 * pool, for speed), through the session cache: what an admin or a sign-out changes must count from
 * the very next request. Real server, real PostgreSQL. session-cache.test.ts checks every
 * invalidation path against both cache stores.
 */
import { failure, startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashToken } from './token.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

it('counts a role change, a deactivation or a deleted session row from the next request', async () => {
  const admin = await t.admin();
  const alice = await t.activeUser({ email: 'alice@session.test', name: 'Alice', password: 'Correct-horse-battery-1' });
  const bob = await t.activeUser({ email: 'bob@session.test', name: 'Bob', password: 'Correct-horse-battery-2' });
  const aliceId = (await alice.trpc.auth.me.query())!.id;
  const bobId = (await bob.trpc.auth.me.query())!.id;

  const before = (await failure(alice.trpc.users.list.query({}))).code;
  await admin.trpc.users.assignRole.mutate({ userId: aliceId, role: 'admin' });
  const granted = (await alice.trpc.users.list.query({ search: 'alice' })).total;
  await admin.trpc.users.removeRole.mutate({ userId: aliceId, role: 'admin' });
  const removed = (await failure(alice.trpc.users.list.query({}))).code;

  await admin.trpc.users.deactivate.mutate({ userId: bobId });
  const bobAfterDeactivation = await bob.trpc.auth.me.query();

  const [row] = await t.app.services.orm.em
    .fork()
    .execute('delete from sessions where id = ? returning user_id', [
      hashToken(alice.cookies.get('goalpost_session')!),
    ]);
  expect({
    before,
    granted,
    removed,
    bobAfterDeactivation,
    deletedRowWasAlices: row?.user_id === aliceId,
    aliceAfterDelete: await alice.trpc.auth.me.query(),
    aliceCookieCleared: alice.setCookies.at(-1)?.includes('Max-Age=0'),
    adminStillIn: (await admin.trpc.auth.me.query())?.roles,
  }).toEqual({
    before: 'FORBIDDEN',
    granted: 1,
    removed: 'FORBIDDEN',
    bobAfterDeactivation: null,
    deletedRowWasAlices: true,
    aliceAfterDelete: null,
    aliceCookieCleared: true,
    adminStillIn: ['admin', 'user'],
  });
});
