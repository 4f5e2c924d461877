/**
 * The outbox marks each captured link with what became of it, so an admin handing links over by
 * hand never gives out a dead one: live, used (the person set their password), superseded (a newer
 * link replaced it) or expired. Worked out from the token rows for a whole page in SQL; time moves
 * by hand for the expiry.
 */
import { ManualClock } from '@goalpost/api';
import { startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const clock = new ManualClock(new Date());
let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000' }, { clock });
  admin = await t.admin();
});
afterAll(() => t?.close());

it('marks links live, used, superseded or expired, and filters by kind, status and link state', async () => {
  await admin.trpc.users.create.mutate({ email: 'late@outbox.test', name: 'Late Comer', roles: ['user'] });
  await clock.advance(8 * 86_400_000);
  admin = await t.admin();
  const twice = await admin.trpc.users.create.mutate({ email: 'twice@outbox.test', name: 'Twice', roles: ['user'] });
  await admin.trpc.users.resendInvite.mutate({ userId: twice.id });
  await admin.trpc.users.create.mutate({ email: 'used@outbox.test', name: 'Used Link', roles: ['user'] });
  const token = await t.mailedToken('used@outbox.test', 'invite');
  await t.client().trpc.auth.acceptInvite.mutate({ token, password: 'Accepted-the-invite-1' });
  const usedId = (await admin.trpc.users.list.query({ search: 'used@outbox.test' })).items[0]!.id;
  await admin.trpc.users.sendPasswordReset.mutate({ userId: usedId });

  const rows = async (filter: Omit<Parameters<typeof admin.trpc.mail.list.query>[0], 'search'> = {}) =>
    (await admin.trpc.mail.list.query({ search: 'outbox.test', ...filter })).items
      .map((m) => [m.toAddress.replace('@outbox.test', ''), m.kind, m.linkState].join(' '))
      // The manual clock stands still, so mails made together tie on time: compare as sets.
      .sort();
  const opened = await admin.trpc.mail.open.mutate({
    mailId: (await admin.trpc.mail.list.query({ search: 'late@outbox.test' })).items[0]!.id,
  });
  expect({
    all: await rows(),
    resets: await rows({ kind: 'password-reset' }),
    live: await rows({ link: 'live' }),
    dead: [
      ...(await rows({ link: 'used' })),
      ...(await rows({ link: 'superseded' })),
      ...(await rows({ link: 'expired' })),
    ],
    captured: (await rows({ status: 'captured' })).length,
    sent: await rows({ status: 'sent' }),
    opened: opened.linkState,
    dates: (await admin.trpc.mail.list.query({ search: 'outbox.test' })).items.every(
      (m) => m.createdAt instanceof Date && m.sentAt === null,
    ),
  }).toEqual({
    all: [
      'late invite expired',
      'twice invite live',
      'twice invite superseded',
      'used invite used',
      'used password-reset live',
    ],
    resets: ['used password-reset live'],
    live: ['twice invite live', 'used password-reset live'],
    dead: ['used invite used', 'twice invite superseded', 'late invite expired'],
    captured: 5,
    sent: [],
    opened: 'expired',
    dates: true,
  });
});
