/**
 * Every procedure of the router, walked from the router's own definition so a new procedure is
 * covered the day it is added: anonymous callers get UNAUTHORIZED from every protected one, and a
 * signed-in non-admin gets FORBIDDEN from every admin one. Role checks run before input parsing,
 * so an empty input is enough to reach them.
 */
import { startTestApp, type TestApp } from '@goalpost/testing';
import { rawCall } from '@goalpost/testing/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appRouter } from './root.ts';

const PUBLIC = new Set([
  'auth.me',
  'auth.options',
  'auth.login',
  'auth.requestPasswordReset',
  'auth.checkToken',
  'auth.resetPassword',
  'auth.acceptInvite',
  'auth.signUp',
]);
const SIGNED_IN = new Set(['auth.logout', 'auth.changePassword']);
/**
 * Domains whose procedures any signed-in person may call: access is decided per object by the
 * policy (policy/access.ts), so someone else's ids answer NOT_FOUND (each domain's router test
 * walks that).
 */
const PER_OBJECT = ['goals.', 'budgets.', 'forecasts.', 'sharing.', 'workflow.', 'comments.', 'reminders.'];
/** Admin procedures inside those domains: they answer like the admin ones. */
const ADMIN_IN_PER_OBJECT = new Set(['sharing.whoHasAccess', 'tokens.adminList', 'tokens.adminRevoke']);
/**
 * Procedures about the caller's own notifications (and budgets they may message about, checked per
 * object), their own API tokens, and their own imports (each visible only to the person who started
 * it; its target budget or forecast checked per object).
 */
const OWN = ['notifications.', 'tokens.', 'imports.'];
const perObject = (path: string) =>
  [...PER_OBJECT, ...OWN].some((prefix) => path.startsWith(prefix)) && !ADMIN_IN_PER_OBJECT.has(path);

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
).map(([path, p]) => ({ path, type: p._def.type as 'query' | 'mutation' | 'subscription' }));

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

/** Calls a procedure by path over HTTP with an empty input, as a hand-written client would. */
async function call(
  cookie: string | null,
  path: string,
  type: 'query' | 'mutation' | 'subscription',
): Promise<number | string> {
  const headers: Record<string, string> = { Origin: t.url };
  if (cookie) headers.Cookie = cookie;
  const answer = await rawCall(t.url, path, { type, input: {}, headers });
  return answer.code ?? answer.status;
}

it('lists the procedures this test knows how to classify', () => {
  expect(procedures.length).toBeGreaterThan(20);
});

it('answers UNAUTHORIZED to an anonymous caller on every protected procedure', async () => {
  const outcomes: Record<string, number | string> = {};
  for (const p of procedures.filter((p) => !PUBLIC.has(p.path))) outcomes[p.path] = await call(null, p.path, p.type);
  expect(outcomes).toEqual(Object.fromEntries(Object.keys(outcomes).map((path) => [path, 'UNAUTHORIZED'])));
});

it('answers FORBIDDEN to a signed-in non-admin on every admin procedure', async () => {
  const outcomes: Record<string, number | string> = {};
  for (const role of ['user', 'accountant', 'supervisor'] as const) {
    const tab = await t.activeUser({
      email: `${role}@access.test`,
      name: `A ${role}`,
      password: 'Access-matrix-pass-1',
      roles: [role],
    });
    const cookie = `goalpost_session=${tab.cookies.get('goalpost_session')}`;
    for (const p of procedures.filter((p) => !PUBLIC.has(p.path) && !SIGNED_IN.has(p.path) && !perObject(p.path))) {
      outcomes[`${role} ${p.path}`] = await call(cookie, p.path, p.type);
    }
  }
  expect(outcomes).toEqual(Object.fromEntries(Object.keys(outcomes).map((key) => [key, 'FORBIDDEN'])));
});

it('lets an admin through to input validation on every admin procedure', async () => {
  const admin = await t.admin();
  const cookie = `goalpost_session=${admin.cookies.get('goalpost_session')}`;
  const outcomes: Record<string, number | string> = {};
  for (const p of procedures.filter((p) => !PUBLIC.has(p.path) && !SIGNED_IN.has(p.path))) {
    outcomes[p.path] = await call(cookie, p.path, p.type);
  }
  // An empty input is either valid (lists answer 200) or refused as BAD_REQUEST: never an auth error, never a crash.
  expect(Object.entries(outcomes).filter(([, o]) => o !== 200 && o !== 'BAD_REQUEST')).toEqual([]);
  expect(Object.keys(outcomes).length).toBe(procedures.length - PUBLIC.size - SIGNED_IN.size);
});

it('lets any signed-in person reach input validation on every per-object procedure', async () => {
  const tab = await t.activeUser({
    email: 'plain@access.test',
    name: 'Plain',
    password: 'Access-matrix-pass-2',
    roles: ['user'],
  });
  const cookie = `goalpost_session=${tab.cookies.get('goalpost_session')}`;
  const outcomes: Record<string, number | string> = {};
  for (const p of procedures.filter((p) => perObject(p.path))) outcomes[p.path] = await call(cookie, p.path, p.type);
  expect(Object.entries(outcomes).filter(([, o]) => o !== 200 && o !== 'BAD_REQUEST')).toEqual([]);
  expect(Object.keys(outcomes).length).toBeGreaterThan(35);
});
