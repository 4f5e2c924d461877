import { randomUUID } from 'node:crypto';
import {
  type Context,
  context,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

/**
 * Traces in the W3C Trace Context shape (32 lowercase hex digits of trace id, 16 of span id). A
 * request continues the caller's trace when it sends a valid `traceparent`; otherwise it starts a
 * new one. Whatever the client puts in other headers (X-Request-Id) is not trusted as an id that
 * support staff search for. The trace id is the one in X-Request-Id, in every log line, on audit
 * and history rows and in the jobs and events a request causes.
 *
 * Spans go through OpenTelemetry's API. With OTEL_EXPORTER_OTLP_ENDPOINT set, platform/otel.ts
 * starts the SDK and spans are recorded and exported; without it no SDK is loaded, and a request,
 * a job or an event still gets a span context of its own (a fresh span id in the caller's trace)
 * that nothing records: the log lines carry trace_id and span_id either way. The context travels
 * through async calls by AsyncLocalStorage (OpenTelemetry's context manager, registered here).
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function traceIdFrom(traceparent: string | string[] | undefined): string {
  return parentOf(traceparent)?.traceId ?? newTraceId();
}

/** The caller's span context from a `traceparent`, or null when absent or invalid. */
function parentOf(traceparent: string | string[] | undefined): SpanContext | null {
  const value = Array.isArray(traceparent) ? traceparent[0] : traceparent;
  const match = value ? TRACEPARENT.exec(value.trim()) : null;
  const [, traceId, spanId, flags] = match ?? [];
  // The all-zero ids are invalid by the spec.
  if (!traceId || !spanId || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return null;
  return { traceId, spanId, traceFlags: Number.parseInt(flags ?? '0', 16), isRemote: true };
}

/**
 * 32 hex digits from a version-4 UUID: its last 7 bytes are random as W3C's "random" trace flag
 * expects, and randomUUID draws from a cached entropy pool, where randomBytes(16) went to the
 * CSPRNG on every request.
 */
export function newTraceId(): string {
  return randomUUID().replaceAll('-', '');
}

/** 16 hex digits (the UUID's random tail), for the span ids of spans nothing records. */
function newSpanId(): string {
  return randomUUID().replaceAll('-', '').slice(-16);
}

let contextManagerReady = false;
/** Set by platform/otel.ts when the SDK runs; spans are recorded only then. */
let recording = false;

function ensureContextManager(): void {
  if (contextManagerReady) return;
  contextManagerReady = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

export function setRecording(on: boolean): void {
  ensureContextManager();
  recording = on;
}

const tracer = () => trace.getTracer('goalpost');

export interface TraceScope {
  traceId: string;
  /** Run the work of this span inside it: `context.with(scope.context, fn)` (see `within`). */
  context: Context;
  span: Span;
  /** Ends the span; an error marks it failed. */
  end(error?: unknown): void;
}

/**
 * Begins the span of a unit of work that arrives from outside (an HTTP request, a job, a bus
 * event), continuing `traceparent` when it is valid, else the trace `traceId` names (work queued
 * before traceparent travelled with it, or by something without a span), else a new trace.
 */
export function beginSpan(
  name: string,
  options: {
    traceparent?: string | string[] | null;
    traceId?: string | null;
    kind: 'server' | 'consumer';
    attributes?: Record<string, string | number>;
  },
): TraceScope {
  ensureContextManager();
  const parent =
    parentOf(options.traceparent ?? undefined) ??
    (options.traceId ? parentOf(`00-${options.traceId}-${newSpanId()}-01`) : null);
  let span: Span;
  let base = ROOT_CONTEXT;
  if (recording) {
    if (parent) base = trace.setSpanContext(ROOT_CONTEXT, parent);
    const kind = options.kind === 'server' ? SpanKind.SERVER : SpanKind.CONSUMER;
    span = tracer().startSpan(name, { kind, attributes: options.attributes }, base);
  } else {
    span = trace.wrapSpanContext({
      traceId: parent?.traceId ?? newTraceId(),
      spanId: newSpanId(),
      traceFlags: parent?.traceFlags ?? TraceFlags.NONE,
    });
  }
  return {
    traceId: span.spanContext().traceId,
    context: trace.setSpan(base, span),
    span,
    end(error) {
      if (error !== undefined) fail(span, error);
      span.end();
    },
  };
}

/** Runs `fn` inside `scope`: spans and log lines made meanwhile belong to it. */
export function within<T>(scope: TraceScope, fn: () => T): T {
  return context.with(scope.context, fn);
}

/**
 * A child span of the active one around `fn` (a tRPC procedure, a queue's handler), recorded only
 * while the SDK runs; otherwise `fn` runs as it is. `fn` may name a failure it answers with
 * instead of throwing (a tRPC error result) through `failed`.
 */
export async function inSpan<T>(
  name: string,
  attributes: Record<string, string | number>,
  fn: (failed: (error: unknown) => void) => Promise<T>,
): Promise<T> {
  if (!recording) return fn(() => {});
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn((error) => fail(span, error));
    } catch (error) {
      fail(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

function fail(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** The active span's ids, for log lines (trace_id, span_id); null outside any span. */
export function activeSpanIds(): { trace_id: string; span_id: string } | null {
  const ids = trace.getSpanContext(context.active());
  return ids ? { trace_id: ids.traceId, span_id: ids.spanId } : null;
}

/**
 * The `traceparent` a job or message sent now should carry: the active span's when it belongs to
 * `traceId`, else one that names only the trace (its span id made up: the sender had no span).
 */
export function traceparentFor(traceId: string, madeUpSpanId = newSpanId()): string {
  const active = trace.getSpanContext(context.active());
  if (active && active.traceId === traceId) {
    return `00-${active.traceId}-${active.spanId}-${active.traceFlags.toString(16).padStart(2, '0')}`;
  }
  return `00-${traceId}-${madeUpSpanId}-01`;
}
