/**
 * readRows goes to the ORM's pg pool directly: values travel apart from the SQL text (so a value
 * that looks like SQL stays a value), timestamps come back as Date, a prepared text is reused on
 * every connection, and an EntityManager inside a transaction is refused, since reads on the pool
 * would not see that transaction's writes.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openOrm } from './config.ts';
import { readRows } from './read-rows.ts';
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

it('reads plain rows with bound values, Dates, prepared or not, and never inside a transaction', async () => {
  const query = {
    text: `select $1::text as said, $2::timestamptz as at, array['b', 'a'] as keys`,
    values: ["it's'; drop table users; --", new Date('2026-11-26T12:00:00.123Z')],
  };
  const plain = await readRows(orm.em.fork(), query);
  // More calls than pool connections: each connection prepares the named statement once.
  const prepared = await Promise.all(
    Array.from({ length: 5 }, () => readRows(orm.em.fork(), { ...query, prepare: true })),
  );
  const refused = await orm.em
    .fork()
    .transactional((em) => readRows(em, query))
    .then(
      () => null,
      (error: Error) => error.message,
    );
  const row = { said: "it's'; drop table users; --", at: new Date('2026-11-26T12:00:00.123Z'), keys: ['b', 'a'] };
  expect({ plain, prepared, refused }).toEqual({
    plain: [row],
    prepared: Array.from({ length: 5 }, () => [row]),
    refused: 'readRows reads outside the transaction; inside one, use em.execute.',
  });
});
