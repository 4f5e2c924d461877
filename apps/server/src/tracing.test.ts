/**
 * OpenTelemetry traces end to end. A real HTTP server on loopback plays the OTLP/HTTP collector
 * (the exporter posts JSON to /v1/traces); the app runs with OTEL_EXPORTER_OTLP_ENDPOINT pointing
 * at it. A password-reset request that continues a caller's `traceparent` must arrive there as one
 * trace: the HTTP span (child of the caller's span), the tRPC procedure's span inside it, and the
 * span of the job it queued, whose parent is the procedure's span (the traceparent travelled in the
 * job's data) — with the same id in X-Request-Id and on the audit row the job wrote, and the
 * job's database queries as its children (their SQL text, never their values). A request
 * without traceparent starts a trace whose id is the one X-Request-Id reports.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { startTracing } from '@goalpost/api';
import { ADMIN, startTestApp, type TestApp } from '@goalpost/testing';
import { rawCall } from '@goalpost/testing/client';
import { afterAll, beforeAll, expect, it } from 'vitest';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  status?: { code?: number };
  attributes?: { key: string; value: { stringValue?: string } }[];
}

let t: TestApp;
let collector: Server;
const spans: ExportedSpan[] = [];
const services: string[] = [];

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (req.url === '/v1/traces' && req.headers['content-type']?.startsWith('application/json')) {
        const payload = JSON.parse(body.toString('utf8')) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: { stringValue?: string } }[] };
            scopeSpans: { spans: ExportedSpan[] }[];
          }[];
        };
        for (const rs of payload.resourceSpans) {
          const name = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
          if (name) services.push(name);
          for (const ss of rs.scopeSpans) spans.push(...ss.spans);
        }
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const { port } = collector.address() as AddressInfo;
  t = await startTestApp({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => collector?.close(resolve));
});

/** Exports what has finished (the SDK batches), then looks for spans matching `check`. */
async function exported(check: (all: ExportedSpan[]) => boolean): Promise<ExportedSpan[]> {
  const tracing = await startTracing({ endpoint: 'http://unused', serviceName: 'unused' }); // the running SDK
  return t.eventually(async () => {
    await tracing.flush();
    return check(spans) ? spans : undefined;
  }, 20_000);
}

it('exports the request, its procedure and the job it queued as one trace that continues the caller', async () => {
  const traceId = '5af7183fb1d4cf5f2b0a4c1e9d8f7e61';
  const callerSpan = '1d2c3b4a59687766';
  const answer = await rawCall(t.url, 'auth.requestPasswordReset', {
    input: { email: ADMIN.email },
    headers: { Origin: t.url, traceparent: `00-${traceId}-${callerSpan}-01` },
  });
  const [audit] = await t.eventually(async () => {
    const rows = await t.sql<{ trace_id: string }>(
      "select trace_id from audit_events where action = 'password.reset-requested' and trace_id = ?",
      [traceId],
    );
    return rows.length ? rows : undefined;
  });
  const all = await exported((s) => s.some((x) => x.traceId === traceId && x.name === 'job password-reset-request'));
  const trace = all.filter((s) => s.traceId === traceId);
  const byName = (name: string) => trace.find((s) => s.name === name);
  const http = byName('POST /trpc');
  const procedure = byName('trpc auth.requestPasswordReset');
  const job = byName('job password-reset-request');
  const underJob = trace.filter((s) => s.parentSpanId === job?.spanId);
  const auditInsert = trace.find(
    (s) => s.name === 'pg INSERT audit_events' && s.attributes?.some((a) => a.value.stringValue?.includes('?')),
  );
  expect({
    requestId: answer.headers.get('x-request-id'),
    audit: audit?.trace_id,
    services: [...new Set(services)],
    http: { parent: http?.parentSpanId, kind: http?.kind },
    procedureParent: procedure?.parentSpanId === http?.spanId,
    jobParent: job?.parentSpanId === procedure?.spanId,
    jobKind: job?.kind,
    jobQueries: underJob.some((s) => s.name.startsWith('pg ') && s.kind === 3),
    auditInsertInJob: Boolean(auditInsert) && trace.some((s) => s.spanId === auditInsert?.parentSpanId),
    // MikroORM writes values into its SQL: the exported text must have none (no email, no token).
    valuesLeft: trace.filter((s) => /admin@goalpost|token=/.test(JSON.stringify(s))).map((s) => s.name),
  }).toEqual({
    requestId: traceId,
    audit: traceId,
    services: ['goalpost-server'],
    // SpanKind in OTLP: 2 = server, 5 = consumer.
    http: { parent: callerSpan, kind: 2 },
    procedureParent: true,
    jobParent: true,
    jobKind: 5,
    // 3 = client.
    jobQueries: true,
    auditInsertInJob: true,
    valuesLeft: [],
  });
});

it('starts a trace for a request without traceparent, under the id X-Request-Id reports', async () => {
  const answer = await rawCall(t.url, 'auth.me', { type: 'query', headers: { traceparent: 'not-a-traceparent' } });
  const requestId = answer.headers.get('x-request-id') ?? '';
  const all = await exported((s) => s.some((x) => x.traceId === requestId && x.name === 'trpc auth.me'));
  const http = all.find((s) => s.traceId === requestId && s.name === 'GET /trpc');
  expect({ idShape: /^[0-9a-f]{32}$/.test(requestId), root: http?.parentSpanId ?? '' }).toEqual({
    idShape: true,
    root: '',
  });
});
