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
 * Annotations are gathered level by level into objects, as superjson gathers them, so that their
 * keys come out in the same order (JavaScript lists integer-like keys, such as an array index
 * annotated directly, before the others).
 */
type Annotations = Record<string, [Annotation]>;

class AnswerWalk {
  private readonly seen = new Set<object>();
  /** What the value just copied needs on the wire: its own annotation, or its children's. */
  found: [Annotation] | Annotations | undefined;

  private enter(object: object): void {
    if (this.seen.has(object)) throw UNUSUAL; // superjson would record a referential equality
    this.seen.add(object);
  }

  /** The JSON-ready copy of `value`; leaves what it needs in `found`. */
  copy(value: unknown): unknown {
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
          let inner: Annotations | undefined;
          for (let i = 0; i < value.length; i++) {
            out[i] = this.copy(value[i]);
            if (this.found) inner = this.gather(inner, String(i));
          }
          this.found = inner;
          return out;
        }
        if (!isPlainObject(value)) throw UNUSUAL;
        const out: Record<string, unknown> = {};
        let inner: Annotations | undefined;
        for (const key of Object.keys(value)) {
          // superjson refuses these (prototype pollution); let it say so.
          if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw UNUSUAL;
          out[key] = this.copy((value as Record<string, unknown>)[key]);
          if (this.found) inner = this.gather(inner, escapeKey(key));
        }
        this.found = inner;
        return out;
      }
      default:
        throw UNUSUAL; // symbols, functions
    }
  }

  /** Adds what the child at `segment` needs to its parent's annotations. */
  private gather(inner: Annotations | undefined, segment: string): Annotations {
    const into = inner ?? {};
    const found = this.found!;
    if (Array.isArray(found)) into[segment] = found;
    else for (const path of Object.keys(found)) into[`${segment}.${path}`] = found[path]!;
    return into;
  }
}

/** `superjson.serialize(value)`, faster for the plain shapes that answers have. */
export function serializeAnswer(value: unknown): SuperJSONResult {
  // A lone value (a Date, a string) gains nothing from the walk, and superjson annotates it differently.
  if (typeof value !== 'object' || value === null || value instanceof Date) return superjson.serialize(value);
  const walk = new AnswerWalk();
  let json: unknown;
  try {
    json = walk.copy(value);
  } catch (error) {
    if (error === UNUSUAL) return superjson.serialize(value);
    throw error;
  }
  const values = walk.found as Annotations | undefined;
  return values ? { json: json as never, meta: { values, v: 1 } } : { json: json as never };
}

export const wireFormat: TRPCDataTransformer = {
  serialize: (value: unknown) => serializeAnswer(value),
  deserialize: (payload) => superjson.deserialize(payload),
};
