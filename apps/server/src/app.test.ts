/**
 * First run and restarts of the whole app on one database: the first start migrates and creates
 * the admin with a generated password (printed once); a restart before that admin ever signed in
 * offers a set-password link instead; once they have signed in, restarts offer nothing.
 *
 * Several instances start at once in a rollout. A new link retires the last, so only the first
 * start that finds no live link issues one; the others say when it was issued, and it keeps working.
 */
import { migrate, migrationsList, openOrm } from '@goalpost/db';
import { createTestDatabase } from '@goalpost/db/testing';
import { testClient } from '@goalpost/testing/client';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startApp } from './app.ts';
import { loadConfig } from './config.ts';

let db: { url: string; drop(): Promise<unknown> };
beforeAll(async () => {
  // The template is already migrated; start from an empty database as a real first run does.
  db = await createTestDatabase(inject('cluster'), { empty: true });
});
afterAll(() => db?.drop());

const start = (env: Record<string, string> = {}) =>
  startApp(
    loadConfig({ DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'silent', REDIS_URL: '', ...env } as NodeJS.ProcessEnv),
  );

it('creates the first admin once, then offers a set-password link until they sign in', async () => {
  const first = await start();
  const created = first.createdAdmin;
  const firstRun = { migrations: first.appliedMigrations.length, email: created?.email, link: first.firstAdminLink };
  await first.close();

  const second = await start();
  const peer = await start();
  const link = second.firstAdminLink?.url;
  const token = link ? new URL(link).searchParams.get('token')! : '';
  const tab = testClient(second.url);
  await tab.trpc.auth.resetPassword.mutate({ token, password: 'Chosen-chief-passphrase-1' });
  await tab.trpc.auth.login.mutate({ email: 'admin@goalpost.local', password: 'Chosen-chief-passphrase-1' });
  const oldPassword = await testClient(second.url)
    .trpc.auth.login.mutate({ email: 'admin@goalpost.local', password: created!.password })
    .then(
      () => 'accepted',
      () => 'refused',
    );
  await Promise.all([second.close(), peer.close()]);

  const third = await start();
  const thirdRun = {
    migrations: third.appliedMigrations.length,
    created: third.createdAdmin,
    link: third.firstAdminLink,
  };
  await third.close();

  expect({
    firstRun,
    generatedPasswordLength: created!.password.length,
    secondRun: { created: second.createdAdmin, linkPath: link && new URL(link).pathname },
    peer: {
      url: peer.firstAdminLink?.url,
      sameLink: peer.firstAdminLink?.expiresAt.getTime() === second.firstAdminLink?.expiresAt.getTime(),
    },
    oldPassword,
    thirdRun,
  }).toEqual({
    firstRun: { migrations: migrationsList.length, email: 'admin@goalpost.local', link: null },
    generatedPasswordLength: 20,
    secondRun: { created: null, linkPath: '/reset-password' },
    peer: { url: null, sameLink: true },
    oldPassword: 'refused',
    thirdRun: { migrations: 0, created: null, link: null },
  });
});

it('leaves the schema to the migration job with MIGRATE_ON_START=false, and waits for it', async () => {
  // The chart's hook Job migrates with a role that may change the schema; the servers' need not.
  const empty = await createTestDatabase(inject('cluster'), { empty: true });
  try {
    const starting = startApp(
      loadConfig({
        DATABASE_URL: empty.url,
        PORT: '0',
        LOG_LEVEL: 'silent',
        REDIS_URL: '',
        MIGRATE_ON_START: 'false',
      } as NodeJS.ProcessEnv),
    );
    const orm = await openOrm({ clientUrl: empty.url, poolMax: 2 });
    const byTheJob = await migrate(orm).finally(() => orm.close());
    const server = await starting;
    const ready = await (await fetch(`${server.url}/readyz`)).json();
    await server.close();
    expect({ byTheJob: byTheJob.length, byTheServer: server.appliedMigrations, ready }).toEqual({
      byTheJob: migrationsList.length,
      byTheServer: [],
      ready: { status: 'ready', database: 'reachable', pendingMigrations: [] },
    });
  } finally {
    await empty.drop();
  }
});
