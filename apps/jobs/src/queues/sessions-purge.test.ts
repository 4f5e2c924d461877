/** Housekeeping: expired sessions and long-spent links go; live ones stay. Time moves by hand. */
import { ManualClock } from '@goalpost/api';
import { ADMIN, startTestApp, type TestApp } from '@goalpost/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sessionsPurge } from './sessions-purge.ts';

const clock = new ManualClock(new Date());
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ SESSION_DAYS: '30' }, { clock });
});
afterAll(() => t?.close());

const count = async (table: string) =>
  Number((await t.app.services.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from ${table}`))[0]!.n);

it('purges sessions past expiry and links spent more than a week ago', async () => {
  await t.client().trpc.auth.login.mutate(ADMIN);
  await t.client().trpc.auth.requestPasswordReset.mutate({ email: ADMIN.email });
  clock.advance(31 * 86_400_000);
  const fresh = await t.admin();
  await t.client().trpc.auth.requestPasswordReset.mutate({ email: ADMIN.email });
  const before = { sessions: await count('sessions'), links: await count('password_reset_tokens') };
  const outcome = await sessionsPurge.handle({ services: t.app.services, transport: null });
  expect({
    before,
    outcome,
    after: { sessions: await count('sessions'), links: await count('password_reset_tokens') },
    stillSignedIn: (await fresh.trpc.auth.me.query())?.email,
  }).toEqual({
    before: { sessions: 2, links: 2 },
    outcome: 'purged 1 sessions, 1 links',
    after: { sessions: 1, links: 1 },
    stillSignedIn: ADMIN.email,
  });
});
