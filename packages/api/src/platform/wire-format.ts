/**
 * The tRPC transformer: superjson's wire format, so bigint money and dates cross the wire typed
 * (the web client decodes with superjson itself). Answers are written by a faster walk that yields
 * exactly what `superjson.serialize` yields for the shapes procedures return (plain objects and
 * arrays of strings, finite numbers, booleans, null, undefined, Date and bigint). superjson's own
 * walk tries each of its rules on every value and builds a path for every node: about a third of
 * users.list's CPU for a page of 25 rows. Anything else (Map, Set, class instances, NaN, -0, an
 * object reached twice, which superjson records as a referential equality) goes to superjson,
 * which the test beside this file checks value for value.
 */
import type { TRPCDataTransformer } from '@trpc/server';
import superjson, { type SuperJSONResult } from 'superjson';

type Annotation = 'Date' | 'bigint' | 'undefined';

/** Thrown inside the walk (never out of it) when a value needs superjson's full treatment. */
const UNUSUAL = Symbol('unusual');

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || (prototype === null && value !== Object.prototype);
}

/** superjson's path segments: dots and backslashes escaped. */
function escapeKey(key: string): string {
  return key.includes('.') || key.includes('\\') ? key.replace(/\\/g, '\\\\').replace(/\./g, '\\.') : key;
}

/**
 * What a value needs on the wire: a leaf's own annotation, or its descendants' as [path, annotation]
 * pairs with their paths from the answer's root, in the order superjson lists them. superjson
 * gathers annotations level by level into objects, and JavaScript lists an object's integer-like
 * keys first: so at each level the children annotated directly at an array index (or an
 * integer-like key) come first, then everything else in order. Paths are written once, at the leaf,
 * from the prefix of its container; re-prefixing them level by level costs a string and an object
 * key per level for each of the 60,000 amounts of a large budget.
 */
type Found = [Annotation] | [string, [Annotation]][];

/** An array index as a key: JavaScript orders these before other keys. */
const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;
const isIndexKey = (key: string) => INDEX_KEY.test(key) && Number(key) < 4_294_967_295;

class AnswerWalk {
  private readonly seen = new Set<object>();
  /** What the value just copied needs on the wire (undefined: nothing). */
  found: Found | undefined;

  private enter(object: object): void {
    if (this.seen.has(object)) throw UNUSUAL; // superjson would record a referential equality
    this.seen.add(object);
  }

  /** The JSON-ready copy of `value`, whose path from the root is `base` without its final dot; leaves what it needs in `found`. */
  copy(value: unknown, base: string): unknown {
    this.found = undefined;
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        if (!Number.isFinite(value) || Object.is(value, -0)) throw UNUSUAL;
        return value;
      case 'bigint':
        this.found = ['bigint'];
        return String(value);
      case 'undefined':
        this.found = ['undefined'];
        return null;
      case 'object': {
        if (value === null) return null;
        this.enter(value);
        if (value instanceof Date) {
          if (Number.isNaN(value.getTime())) throw UNUSUAL;
          this.found = ['Date'];
          return value.toISOString();
        }
        if (Array.isArray(value)) {
          if (Object.keys(value).length !== value.length) throw UNUSUAL; // holes or extra properties
          const out = new Array(value.length);
          let first: [string, [Annotation]][] | undefined;
          let rest: [string, [Annotation]][] | undefined;
          for (let i = 0; i < value.length; i++) {
            const item = value[i];
            out[i] = this.copy(item, typeof item === 'object' && item !== null ? `${base}${i}.` : base);
            const found = this.found;
            if (!found) continue;
            if (typeof found[0] === 'string') first = add(first, [`${base}${i}`, found as [Annotation]]);
            else rest = append(rest, found as [string, [Annotation]][]);
          }
          this.found = first && rest ? first.concat(rest) : (first ?? rest);
          return out;
        }
        if (!isPlainObject(value)) throw UNUSUAL;
        const out: Record<string, unknown> = {};
        let first: [string, [Annotation]][] | undefined;
        let rest: [string, [Annotation]][] | undefined;
        for (const key of Object.keys(value)) {
          // superjson refuses these (prototype pollution); let it say so.
          if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw UNUSUAL;
          const item = (value as Record<string, unknown>)[key];
          const nested = typeof item === 'object' && item !== null;
          out[key] = this.copy(item, nested ? `${base}${escapeKey(key)}.` : base);
          const found = this.found;
          if (!found) continue;
          if (typeof found[0] === 'string') {
            const entry: [string, [Annotation]] = [`${base}${escapeKey(key)}`, found as [Annotation]];
            if (isIndexKey(key)) first = add(first, entry);
            else rest = add(rest, entry);
          } else rest = append(rest, found as [string, [Annotation]][]);
        }
        this.found = first && rest ? first.concat(rest) : (first ?? rest);
        return out;
      }
      default:
        throw UNUSUAL; // symbols, functions
    }
  }
}

function add<T>(into: T[] | undefined, item: T): T[] {
  if (!into) return [item];
  into.push(item);
  return into;
}

function append<T>(into: T[] | undefined, items: T[]): T[] {
  if (!into) return items;
  for (const item of items) into.push(item);
  return into;
}

/** `superjson.serialize(value)`, faster for the plain shapes that answers have. */
export function serializeAnswer(value: unknown): SuperJSONResult {
  // A lone value (a Date, a string) gains nothing from the walk, and superjson annotates it differently.
  if (typeof value !== 'object' || value === null || value instanceof Date) return superjson.serialize(value);
  const walk = new AnswerWalk();
  let json: unknown;
  try {
    json = walk.copy(value, '');
  } catch (error) {
    if (error === UNUSUAL) return superjson.serialize(value);
    throw error;
  }
  const found = walk.found as [string, [Annotation]][] | undefined;
  if (!found) return { json: json as never };
  const values: Record<string, [Annotation]> = {};
  for (const [path, annotation] of found) values[path] = annotation;
  return { json: json as never, meta: { values, v: 1 } };
}

export const wireFormat: TRPCDataTransformer = {
  serialize: (value: unknown) => serializeAnswer(value),
  deserialize: (payload) => superjson.deserialize(payload),
};
