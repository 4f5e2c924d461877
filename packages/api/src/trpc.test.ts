/**
 * Rules every procedure shares, checked once in trpc.ts. PostgreSQL cannot store the NUL
 * character (U+0000) in text or JSON, so a name, email, search or CSV file holding one used to end
 * in a 500 when it reached the database. Every input is now walked before any procedure reads it,
 * and a NUL anywhere is a 400 naming the field (and, in multi-line text such as a CSV file, the line
 * and column), so the person can find and remove it.
 */
import { failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createContext } from './trpc.ts';

let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.admin();
});
afterAll(() => t?.close());

const NUL = '\u0000';
const remove = 'Remove the invisible NUL character (\\u0000) from this text.';

it('refuses a NUL character in any text input with a 400 naming the field', async () => {
  expect({
    name: await failure(
      admin.trpc.users.create.mutate({ email: 'nul@goalpost.test', name: `Ada${NUL}`, roles: ['user'] }),
    ),
    email: await failure(
      t.client().trpc.auth.login.mutate({ email: `ada${NUL}@goalpost.test`, password: 'x-y-z-1-2-3' }),
    ),
    search: await failure(admin.trpc.users.list.query({ search: `ad${NUL}a` })),
    mailSearch: await failure(admin.trpc.mail.list.query({ search: NUL })),
    csv: await failure(
      admin.trpc.users.bulkValidate.mutate({
        fileName: 'people.csv',
        csv: `email,name\nann@goalpost.test,Ann\nbob@goalpost.test,B${NUL}ob\n`,
      }),
    ),
    listItem: await failure(
      admin.trpc.users.create.mutate({
        email: 'nul@goalpost.test',
        name: 'Ada',
        roles: ['user', `admin${NUL}` as 'admin'],
      }),
    ),
    fileName: await failure(admin.trpc.users.bulkValidate.mutate({ fileName: `a${NUL}.csv`, csv: 'email,name\n' })),
  }).toEqual({
    name: { code: 'BAD_REQUEST', message: `name: ${remove}` },
    email: { code: 'BAD_REQUEST', message: `email: ${remove}` },
    search: { code: 'BAD_REQUEST', message: `search: ${remove}` },
    mailSearch: { code: 'BAD_REQUEST', message: `search: ${remove}` },
    csv: { code: 'BAD_REQUEST', message: `csv: ${remove.slice(0, -1)}: line 3, column 20.` },
    listItem: { code: 'BAD_REQUEST', message: `roles.1: ${remove}` },
    fileName: { code: 'BAD_REQUEST', message: `fileName: ${remove}` },
  });
});

it('still answers a body that is not JSON with a 400, and an input-less mutation with no body', async () => {
  const tab = await t.admin();
  const post = (path: string, body?: string) =>
    fetch(`${t.url}/trpc/${path}`, {
      method: 'POST',
      headers: { Origin: t.url, 'Content-Type': 'application/json', Cookie: cookieOf(tab) },
      body,
    });
  const broken = await post('auth.login', '{"email": "a@b.test", "password": ');
  const logout = await post('auth.logout');
  expect([broken.status, logout.status]).toEqual([400, 200]);
});

function cookieOf(tab: TestClient): string {
  return [...tab.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

it("forks a request's unit of work when it is first read, one for the context and every copy of it", async () => {
  const { services } = t.app;
  const forks: unknown[] = [];
  const fork = services.orm.em.fork.bind(services.orm.em);
  services.orm.em.fork = (options) => {
    const em = fork(options);
    forks.push(em);
    return em;
  };
  try {
    const request = {
      method: 'GET',
      ip: null,
      userAgent: null,
      origin: null,
      sessionToken: null,
      traceId: 'trace',
      setCookie: () => {},
    };
    const ctx = await createContext(services, request);
    const before = forks.length;
    const copy = { ...ctx };
    const [row] = await ctx.em.transactional((em) => em.execute('select 1 as one'));
    expect({ before, after: forks.length, shared: copy.em === ctx.em && forks[0] === ctx.em, row }).toEqual({
      before: 0,
      after: 1,
      shared: true,
      row: { one: 1 },
    });
  } finally {
    services.orm.em.fork = fork;
  }
});
