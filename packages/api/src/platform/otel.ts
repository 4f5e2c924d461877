/**
 * OpenTelemetry's SDK, started only when OTEL_EXPORTER_OTLP_ENDPOINT is set: spans (see trace.ts)
 * are then batched and exported over OTLP/HTTP in its JSON encoding to `<endpoint>/v1/traces`.
 * Without an endpoint nothing here is loaded (the imports are dynamic) and spans cost nothing
 * beyond their ids. Database queries made inside a span become its child spans (`traceQueries`).
 * One SDK per process: a second start (several apps in one test process) shares the first's, and
 * stopping it is left to whoever started it.
 */
import { setRecording } from './trace.ts';

export interface Tracing {
  /** Exports every finished span now (tests; shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

let running: Tracing | null = null;

export async function startTracing(options: { endpoint: string | undefined; serviceName: string }): Promise<Tracing> {
  if (!options.endpoint) {
    if (!running) setRecording(false); // (registers the context manager the span ids travel by)
    return { flush: async () => {}, stop: async () => {} };
  }
  if (running) return { flush: running.flush, stop: async () => {} };
  const [{ TracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }, { trace }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/api'),
    ]);
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  trace.setGlobalTracerProvider(provider);
  setRecording(true);
  await traceQueries();
  const tracing: Tracing = {
    flush: () => provider.forceFlush(),
    async stop() {
      setRecording(false);
      running = null;
      await provider.shutdown();
      trace.disable();
    },
  };
  running = tracing;
  return tracing;
}

let queriesTraced = false;

/**
 * A client span per PostgreSQL query made inside a span (the ORM's, pg-boss's and the raw query
 * helper's all go through `pg.Client#query`), named by its operation and first table, with the
 * statement's text stripped of every literal: MikroORM writes values into the SQL itself, so the
 * raw text would carry emails, mail bodies and reset tokens to the collector (the tracing test
 * checks none arrives). Queries outside any span (pg-boss polling, the health check) make none. What
 * @opentelemetry/instrumentation-pg does, by hand: its module hooks need the process started with
 * an ESM loader hook, and these few lines need nothing.
 */
async function traceQueries(): Promise<void> {
  if (queriesTraced) return;
  queriesTraced = true;
  const [{ default: pg }, api] = await Promise.all([import('pg'), import('@opentelemetry/api')]);
  const { context, trace, SpanKind, SpanStatusCode } = api;
  const tracer = trace.getTracer('goalpost-pg');
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function query(this: unknown, ...args: unknown[]) {
    const [config] = args;
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    // Streams (cursors) and queries outside a trace pass through untouched.
    const submittable = typeof (config as { submit?: unknown } | null)?.submit === 'function';
    if (!trace.getSpan(context.active()) || submittable || typeof text !== 'string') return original.apply(this, args);
    const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
    const table = /\b(?:from|into|update|join)\s+("?[\w.]+"?(?:\."?\w+"?)?)/i.exec(text)?.[1]?.replaceAll('"', '');
    const span = tracer.startSpan(table ? `pg ${operation} ${table}` : `pg ${operation}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'postgresql',
        'db.operation.name': operation,
        ...(table ? { 'db.collection.name': table } : {}),
        'db.query.text': withoutLiterals(text).slice(0, 2000),
      },
    });
    const finish = (error?: unknown) => {
      if (error)
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
    };
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) => {
        finish(error ?? undefined);
        return (callback as (e: unknown, r: unknown) => unknown)(error, result);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args) as Promise<unknown>;
    result.then(
      () => finish(),
      (error: unknown) => finish(error),
    );
    return result;
  };
}

/** SQL with every string, dollar-quoted and numeric literal replaced by `?`. */
function withoutLiterals(sql: string): string {
  return sql
    .replace(/\$(\w*)\$[\s\S]*?\$\1\$/g, '?')
    .replace(/[eE]'(?:[^'\\]|\\.|'')*'/g, '?')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/(?<![\w$"])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, '?');
}
