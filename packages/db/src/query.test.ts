/**
 * query: values travel apart from the SQL text (so a value that looks like SQL stays a value),
 * timestamps come back as Date on the pool, a prepared text is reused on every connection, and
 * inside a transaction the statement runs on the transaction's own connection, so it sees that
 * transaction's uncommitted writes (the pool would not).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openOrm } from './config.ts';
import { query } from './query.ts';
import { createTestDatabase } from './testing.ts';

let orm: MikroORM;
let drop: () => Promise<unknown>;
beforeAll(async () => {
  const db = await createTestDatabase(inject('cluster'));
  drop = db.drop;
  orm = await openOrm({ clientUrl: db.url, poolMax: 2 });
});
afterAll(async () => {
  await orm?.close();
  await drop?.();
});

it('reads plain rows with bound values and Dates, prepared or not, and inside a transaction sees its writes', async () => {
  const sql = `select $1::text as said, $2::timestamptz as at, array['b', 'a'] as keys, $3::bigint::text as big`;
  const values = ["it's'; drop table users; --", new Date('2026-11-26T12:00:00.123Z'), 2n ** 62n];
  const plain = await query(orm.em.fork(), sql, values);
  // More calls than pool connections: each connection prepares the named statement once.
  const prepared = await Promise.all(
    Array.from({ length: 5 }, () => query(orm.em.fork(), sql, values, { prepare: true })),
  );
  const inTransaction = await orm.em.fork().transactional(async (em) => {
    await query(em, 'create temporary table scratch (v int) on commit drop');
    await query(em, 'insert into scratch values ($1)', [7]);
    return query<{ v: number }>(em, 'select v from scratch');
  });
  const row = {
    said: "it's'; drop table users; --",
    at: new Date('2026-11-26T12:00:00.123Z'),
    keys: ['b', 'a'],
    big: '4611686018427387904',
  };
  expect({ plain, prepared, inTransaction }).toEqual({
    plain: [row],
    prepared: Array.from({ length: 5 }, () => [row]),
    inTransaction: [{ v: 7 }],
  });
});
