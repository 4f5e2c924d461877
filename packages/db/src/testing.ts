/**
 * Test databases. The suite's global setup migrates one template database per run (on
 * DATABASE_URL's server, or on an embedded PostgreSQL when none is set); every test file then gets
 * its own copy (`CREATE DATABASE … TEMPLATE`), so files run in parallel without seeing each
 * other's rows, and each copy is dropped when its file ends.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openOrm } from './config.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded.ts';
import { migrate } from './migrate.ts';

export interface TestCluster {
  adminUrl: string;
  templateName: string;
  teardown(): Promise<void>;
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Called once per test run (vitest globalSetup). */
export async function setUpTestCluster(): Promise<TestCluster> {
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: `/tmp/goalpost-test-pg-${process.pid}-${randomBytes(3).toString('hex')}`,
      persistent: false,
    });
    adminUrl = embedded.adminUrl;
  }
  const templateName = `goalpost_tpl_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`create database ${templateName}`));
  const orm = await openOrm({ clientUrl: databaseUrl(adminUrl, templateName), poolMax: 2 });
  try {
    await migrate(orm);
  } finally {
    await orm.close();
  }
  const admin = adminUrl;
  return {
    adminUrl: admin,
    templateName,
    async teardown() {
      await withAdmin(admin, (c) => c.query(`drop database if exists ${templateName} with (force)`));
      await embedded?.stop();
    },
  };
}

/** A fresh, migrated database for one test file; `{ empty: true }` for one as a first run finds it. */
export async function createTestDatabase(
  cluster: { adminUrl: string; templateName: string },
  options: { empty?: boolean } = {},
) {
  const name = `goalpost_t_${randomBytes(5).toString('hex')}`;
  await withAdmin(cluster.adminUrl, async (c) => {
    // Copies from one template can collide while another copy is starting; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`create database ${name} template ${cluster.templateName}`);
        return;
      } catch (error) {
        if (attempt >= 20 || !String(error).includes('being accessed by other users')) throw error;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
  });
  const url = databaseUrl(cluster.adminUrl, name);
  if (options.empty) {
    await withAdmin(url, (c) => c.query('drop schema public cascade; create schema public'));
  }
  return {
    url,
    drop: () => withAdmin(cluster.adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)),
  };
}
