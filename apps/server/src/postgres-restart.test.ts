/**
 * A PostgreSQL restart under load is survived. The app runs on a private embedded PostgreSQL
 * cluster (never the machine's shared server), requests keep coming from several loops, and the
 * cluster is stopped and started again on the same port and data folder. While it is away the API
 * answers 503 SERVICE_UNAVAILABLE at once (the database watcher in health.ts) instead of holding
 * requests; once it is back the API answers again by itself, and the in-process job workers pick
 * up new jobs. The time from PostgreSQL accepting connections again to the first good answer is
 * printed (the README quotes it), not asserted: the machine may be loaded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedDatabase, freePort, startEmbeddedPostgres } from '@goalpost/db';
import { ADMIN, failure } from '@goalpost/testing';
import { testClient } from '@goalpost/testing/client';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, startApp } from './app.ts';
import { loadConfig } from './config.ts';

const folder = mkdtempSync(join(tmpdir(), 'goalpost-pg-restart-'));
let port: number;
let cluster: EmbeddedDatabase;
let app: RunningApp;
const startCluster = () => startEmbeddedPostgres({ dataDir: join(folder, 'pg'), port, persistent: true });

beforeAll(async () => {
  port = await freePort();
  cluster = await startCluster();
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  await admin.query('create database goalpost');
  await admin.end();
  app = await startApp(
    loadConfig({
      DATABASE_URL: cluster.url('goalpost'),
      PORT: '0',
      LOG_LEVEL: 'silent',
      REDIS_URL: '',
      FIRST_ADMIN_EMAIL: ADMIN.email,
      FIRST_ADMIN_PASSWORD: ADMIN.password,
    } as NodeJS.ProcessEnv),
  );
}, 120_000);

afterAll(async () => {
  await app?.close();
  await cluster?.stop();
  rmSync(folder, { recursive: true, force: true });
  rmSync(cluster?.dataDir ?? join(folder, 'pg'), { recursive: true, force: true });
  rmSync(cluster?.passwordFile ?? '', { force: true });
});

it('answers 503 at once while PostgreSQL is down and recovers by itself when it returns, jobs included', async () => {
  const tab = testClient(app.url);
  await tab.trpc.auth.login.mutate(ADMIN);
  const outcomes: { at: number; outcome: string }[] = [];
  const call = () =>
    tab.trpc.goals.list
      .query({})
      .then(() => 'ok')
      .catch(async (error) => (await failure(Promise.reject(error))).code);
  let stop = false;
  const loops = Array.from({ length: 4 }, async () => {
    while (!stop) {
      // Stamped when sent: what the server could know when it answered.
      const at = performance.now();
      const outcome = await call();
      outcomes.push({ at, outcome });
      if (outcome !== 'ok') await new Promise((r) => setTimeout(r, 20));
    }
  });
  const since = (t0: number) => outcomes.filter((o) => o.at >= t0).map((o) => o.outcome);
  const wait = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 600; i++) {
      if (check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`Timed out waiting: ${what}`);
  };

  await wait(() => outcomes.length >= 20, 'requests before the restart');
  const beforeStop = since(0);
  await cluster.stop();
  const stopped = performance.now();
  // Once the watcher has seen it, every call is refused at once with 503.
  await wait(() => since(stopped).includes('SERVICE_UNAVAILABLE'), 'a 503 while PostgreSQL is down');
  const firstRefusal = outcomes.find((o) => o.at >= stopped && o.outcome === 'SERVICE_UNAVAILABLE')!.at;
  await wait(() => since(firstRefusal).length >= 20, 'more refusals');
  const whileDown = since(firstRefusal);

  cluster = await startCluster();
  const back = performance.now();
  await wait(() => since(back).includes('ok'), 'a good answer after PostgreSQL returned');
  const recovered = outcomes.find((o) => o.at >= back && o.outcome === 'ok')!.at;
  console.log(`PostgreSQL restart: first good answer ${Math.round(recovered - back)} ms after it accepted connections`);
  await wait(() => since(recovered).length >= 40, 'answers after recovery');
  stop = true;
  await Promise.all(loops);
  const afterRecovery = since(recovered).slice(5);

  // Jobs resume: a reset request is handled by the in-process workers (pg-boss) and leaves a mail.
  await testClient(app.url).trpc.auth.requestPasswordReset.mutate({ email: ADMIN.email });
  const mailed = await new Promise<boolean>((resolve) => {
    const poll = async (tries: number) => {
      const [row] = await app.services.orm.em
        .fork()
        .execute<{ n: string }[]>("select count(*) as n from mail_messages where kind = 'password-reset'");
      if (Number(row?.n) > 0) return resolve(true);
      if (tries > 400) return resolve(false);
      setTimeout(() => void poll(tries + 1), 50);
    };
    void poll(0);
  });

  expect({
    beforeStop: [...new Set(beforeStop)],
    whileDown: [...new Set(whileDown)],
    afterRecovery: [...new Set(afterRecovery)],
    mailed,
  }).toEqual({
    beforeStop: ['ok'],
    whileDown: ['SERVICE_UNAVAILABLE'],
    afterRecovery: ['ok'],
    mailed: true,
  });
}, 180_000);
