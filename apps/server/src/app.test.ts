/**
 * First run and restarts of the whole app on one database: the first start migrates and creates
 * the admin with a generated password (printed once); a restart before that admin ever signed in
 * offers a set-password link instead; once they have signed in, restarts offer nothing.
 */
import { migrationsList } from '@goalpost/db';
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

const start = () =>
  startApp(loadConfig({ DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'silent', REDIS_URL: '' } as NodeJS.ProcessEnv));

it('creates the first admin once, then offers a set-password link until they sign in', async () => {
  const first = await start();
  const created = first.createdAdmin;
  const firstRun = { migrations: first.appliedMigrations.length, email: created?.email, link: first.firstAdminLink };
  await first.close();

  const second = await start();
  const link = second.firstAdminLink;
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
  await second.close();

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
    oldPassword,
    thirdRun,
  }).toEqual({
    firstRun: { migrations: migrationsList.length, email: 'admin@goalpost.local', link: null },
    generatedPasswordLength: 20,
    secondRun: { created: null, linkPath: '/reset-password' },
    oldPassword: 'refused',
    thirdRun: { migrations: 0, created: null, link: null },
  });
});
