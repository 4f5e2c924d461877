/**
 * A rollout starts several servers at once, each applying migrations on start. They must take
 * turns: exactly one applies each migration, the others find nothing pending.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openOrm } from './config.ts';
import { migrate } from './migrate.ts';
import { migrationsList } from './migrations/index.ts';
import { createTestDatabase } from './testing.ts';

let db: { url: string; drop(): Promise<unknown> };
beforeAll(async () => {
  // The template is already migrated; start from an empty database as a real first run does.
  db = await createTestDatabase(inject('cluster'), { empty: true });
});
afterAll(() => db?.drop());

it('applies each migration once when three servers migrate at the same moment', async () => {
  const orms = await Promise.all([1, 2, 3].map(() => openOrm({ clientUrl: db.url, poolMax: 2 })));
  try {
    const results = await Promise.all(orms.map((orm) => migrate(orm)));
    expect(results.map((r) => r.length).sort()).toEqual([0, 0, migrationsList.length]);
  } finally {
    await Promise.all(orms.map((orm) => orm.close()));
  }
});
