/**
 * serializeAnswer must put on the wire exactly what superjson.serialize does, byte for byte (the
 * web client decodes with superjson): for the plain shapes it writes itself, and for everything it
 * hands back to superjson. Each case is compared as JSON text, so key order counts too; then a few
 * thousand generated answers shaped like ours (nested rows with dates, bigint money, undefined)
 * are compared the same way.
 */
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { serializeAnswer } from './wire-format.ts';

const wire = (value: unknown) => JSON.stringify(serializeAnswer(value));
const reference = (value: unknown) => JSON.stringify(superjson.serialize(value as never));

class Money {
  readonly minor: number;
  constructor(minor: number) {
    this.minor = minor;
  }
}

describe('serializeAnswer', () => {
  it('writes what superjson writes, for plain shapes and for the ones it leaves to superjson', () => {
    const shared = { role: 'admin' };
    const when = new Date('2026-11-26T12:00:00.123Z');
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const nullPrototype = Object.assign(Object.create(null), { a: 1 });
    const withExtra = Object.assign([1, 2], { extra: true });
    const withHole = [1, 2, 3];
    delete withHole[1];
    const cases: Record<string, unknown> = {
      page: {
        items: [
          { id: 'a', createdAt: when, lockedAt: null, roles: ['admin', 'user'], amount: 12_345n, note: undefined },
          { id: 'b', createdAt: new Date(0), lockedAt: new Date(1), roles: [], amount: -1n },
        ],
        total: 2,
        page: 1,
      },
      plain: { ok: true, count: 3, ratio: 0.25, name: 'Ada', nested: { deeper: [[1, 2], [3]] } },
      emptyObject: {},
      emptyArray: [],
      arrayRoot: [when, 1n, undefined, null, 'x'],
      escapedKeys: { 'a.b': when, 'c\\d': 1n, 'e\\.f': undefined, '': when },
      sharedObject: { first: shared, second: shared },
      sharedDate: { from: when, to: when },
      cyclic,
      nullPrototype,
      arrayWithHole: withHole,
      arrayWithExtraProperty: withExtra,
      specialNumbers: { nan: Number.NaN, infinity: Number.POSITIVE_INFINITY, minusZero: -0 },
      invalidDate: { at: new Date(Number.NaN) },
      map: { byId: new Map([['a', 1]]) },
      set: { ids: new Set(['a']) },
      error: { cause: new Error('boom') },
      regexp: { pattern: /a.b/g },
      classInstance: { price: new Money(500) },
      lonelyDate: when,
      lonelyBigint: 7n,
      lonelyString: 'hello',
      lonelyNumber: 42,
      lonelyNull: null,
      lonelyUndefined: undefined,
    };
    const ours = Object.fromEntries(Object.entries(cases).map(([name, value]) => [name, wire(value)]));
    const theirs = Object.fromEntries(Object.entries(cases).map(([name, value]) => [name, reference(value)]));
    expect(ours).toEqual(theirs);
  });

  it('refuses what superjson refuses', () => {
    const polluted = JSON.parse('{"__proto__": {"admin": true}}');
    expect(() => serializeAnswer(polluted)).toThrow(/prototype pollution/);
  });

  it('agrees with superjson on generated answers', () => {
    // A small linear congruential generator: the same answers on every run.
    let seed = 20261126;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const leaf = (): unknown => {
      const kinds = [
        () => `text ${Math.floor(next() * 100)}`,
        () => Math.floor(next() * 1e6) / 100,
        () => next() > 0.5,
        () => null,
        () => undefined,
        () => new Date(Math.floor(next() * 2e12)),
        () => BigInt(Math.floor(next() * 1e12)) - 500_000_000_000n,
      ];
      return kinds[Math.floor(next() * kinds.length)]!();
    };
    const node = (depth: number): unknown => {
      const pick = next();
      if (depth > 3 || pick < 0.4) return leaf();
      if (pick < 0.7) return Array.from({ length: Math.floor(next() * 5) }, () => node(depth + 1));
      const keys = ['id', 'name', 'a.b', 'amount', '7', 'createdAt', '01', 'items', '4294967295', 'c\\d', '2'];
      return Object.fromEntries(keys.filter(() => next() > 0.4).map((key) => [key, node(depth + 1)]));
    };
    const answers = Array.from({ length: 3000 }, () => ({ result: node(0) }));
    const disagreements = answers.filter((answer) => wire(answer) !== reference(answer));
    expect(disagreements).toEqual([]);
  });
});
