import { randomBytes } from 'node:crypto';

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

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}
