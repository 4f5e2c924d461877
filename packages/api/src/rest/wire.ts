/**
 * REST's JSON form of a procedure's answer. tRPC answers travel in superjson's format (bigint and
 * Date typed); REST callers get plain JSON: money, bigint minor units in code, becomes a string of
 * digits ("125000" is 1,250.00 in a currency with two decimals: exact at any size, which a JSON
 * number is not beyond 2^53), and a Date becomes its ISO 8601 string in UTC. The OpenAPI document
 * says the same (money/schema.ts), and the REST tests validate real answers against it.
 */
export function toRestWire(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toRestWire);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = toRestWire(v);
    return out;
  }
  return value;
}
