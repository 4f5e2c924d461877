import { randomUUID } from 'node:crypto';

/**
 * Trace ids in the W3C Trace Context shape (32 lowercase hex digits). A request continues the
 * caller's trace when it sends a valid `traceparent`; otherwise it starts a new one. Whatever the
 * client puts in other headers (X-Request-Id) is not trusted as an id that support staff search for.
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

export function traceIdFrom(traceparent: string | string[] | undefined): string {
  const value = Array.isArray(traceparent) ? traceparent[0] : traceparent;
  const match = value ? TRACEPARENT.exec(value.trim()) : null;
  const id = match?.[1];
  // The all-zero id is invalid by the spec.
  if (id && !/^0+$/.test(id) && !/^0+$/.test(match?.[2] ?? '')) return id;
  return newTraceId();
}

/**
 * 32 hex digits from a version-4 UUID: its last 7 bytes are random as W3C's "random" trace flag
 * expects, and randomUUID draws from a cached entropy pool, where randomBytes(16) went to the
 * CSPRNG on every request.
 */
export function newTraceId(): string {
  return randomUUID().replaceAll('-', '');
}
