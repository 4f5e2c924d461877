/** The HTTP surface around the API: probes, the SPA with its fallback, headers and request logs. */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createLogger } from '@goalpost/api';
import { startTestApp, type TestApp } from '@goalpost/testing';
import { rawCall } from '@goalpost/testing/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ServerHealth } from './health.ts';
import { createRequestListener } from './http.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ALLOWED_ORIGINS: 'https://partner.example.com' });
});
afterAll(() => t?.close());

it('answers the liveness and readiness probes', async () => {
  const health = await fetch(`${t.url}/healthz`);
  const ready = await fetch(`${t.url}/readyz`);
  expect({
    health: [health.status, await health.json()],
    ready: [ready.status, await ready.json()],
  }).toEqual({
    health: [200, { status: 'ok' }],
    ready: [200, { status: 'ready', database: 'reachable', pendingMigrations: [] }],
  });
});

it('keeps serving the web app while the database is away, and answers the API at once with 503', async () => {
  // A database outage hits every pod at once; readiness stays up so the Service keeps them, the web
  // app loads, and each API call fails fast instead of waiting out the pool (see health.ts).
  const { app } = t;
  const health = new ServerHealth({
    url: 'postgres://goalpost@127.0.0.1:1/nowhere',
    orm: app.services.orm,
    log: app.services.log,
  });
  await health.check();
  const server = createServer(
    createRequestListener(app.services, {
      webDist: resolve(import.meta.dirname, '../../web/dist'),
      trustedProxies: 0,
      health,
    }),
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const ready = await fetch(`${url}/readyz`);
    const page = await fetch(`${url}/goals`);
    const api = await rawCall(url, 'auth.me', { type: 'query' });
    const batch = await fetch(`${url}/trpc/auth.me,auth.me?batch=1&input=%7B%7D`);
    health.stop();
    const stopping = await fetch(`${url}/readyz`);
    expect({
      ready: [ready.status, await ready.json()],
      page: [page.status, page.headers.get('content-type')?.split(';')[0]],
      api: [api.status, api.code, api.message, api.headers.get('retry-after')],
      batch: [batch.status, ((await batch.json()) as unknown[]).length],
      stopping: [stopping.status, ((await stopping.json()) as { status: string }).status],
    }).toEqual({
      ready: [200, { status: 'ready', database: 'unreachable', pendingMigrations: [] }],
      page: [200, 'text/html'],
      api: [
        503,
        'SERVICE_UNAVAILABLE',
        'The service is briefly unavailable (its database cannot be reached). Try again in a moment.',
        '5',
      ],
      batch: [503, 2],
      stopping: [503, 'stopping'],
    });
  } finally {
    server.close();
  }
});

it('serves the built SPA, with index.html for client-side routes and protective headers', async () => {
  const root = await fetch(`${t.url}/`);
  const deep = await fetch(`${t.url}/admin/users?page=2`);
  const rootHtml = await root.text();
  expect({
    root: [root.status, root.headers.get('content-type')?.split(';')[0], rootHtml.includes('<div id="root">')],
    deep: [deep.status, (await deep.text()) === rootHtml],
    headers: {
      nosniff: root.headers.get('x-content-type-options'),
      frame: root.headers.get('x-frame-options'),
      csp: root.headers.get('content-security-policy')?.includes("frame-ancestors 'none'"),
      requestId: /^[0-9a-f]{32}$/.test(root.headers.get('x-request-id') ?? ''),
    },
  }).toEqual({
    root: [200, 'text/html', true],
    deep: [200, true],
    headers: { nosniff: 'nosniff', frame: 'DENY', csp: true, requestId: true },
  });
});

it('keeps API answers out of caches, and sends no HSTS outside production', async () => {
  const api = await fetch(`${t.url}/trpc/auth.me`);
  expect([api.headers.get('cache-control'), api.headers.get('strict-transport-security')]).toEqual(['no-store', null]);
});

it('answers an unknown procedure with a tRPC NOT_FOUND, not the SPA', async () => {
  const answer = await rawCall(t.url, 'nope.nothing', { type: 'query' });
  expect([answer.status, answer.code]).toEqual([404, 'NOT_FOUND']);
});

it('continues a valid W3C traceparent and ignores a client-chosen X-Request-Id', async () => {
  const continued = await fetch(`${t.url}/healthz`, {
    headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
  });
  const forged = await fetch(`${t.url}/healthz`, { headers: { 'X-Request-Id': 'support-ticket-123' } });
  const malformed = await fetch(`${t.url}/healthz`, {
    headers: { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' },
  });
  expect({
    continued: continued.headers.get('x-request-id'),
    forged: /^[0-9a-f]{32}$/.test(forged.headers.get('x-request-id') ?? ''),
    malformed: malformed.headers.get('x-request-id') === '00000000000000000000000000000000',
  }).toEqual({ continued: '4bf92f3577b34da6a3ce929d0e0e4736', forged: true, malformed: false });
});

/**
 * tRPC adds the error's stack to responses unless told it runs in production, and a stack's line
 * numbers tell which branch of sign-in answered (an existing email or an unknown one). No answer
 * carries one in any mode; the server logs unexpected errors, stack included, with the trace id.
 */
it('never sends a stack trace, in development either, and logs unexpected ones with the trace id', async () => {
  const lines: Record<string, unknown>[] = [];
  const log = t.app.services.log;
  t.app.services.log = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
  const post = (path: string, body: unknown) =>
    fetch(`${t.url}/trpc/${path}`, {
      method: 'POST',
      headers: { Origin: t.url, 'Content-Type': 'application/json' },
      body: JSON.stringify({ json: body }),
    });
  const unauthorized = await fetch(`${t.url}/trpc/users.list`);
  const badRequest = await post('auth.login', { email: 'not-an-email', password: 'x' });
  // An unexpected failure: the table sign-in writes to is briefly missing.
  const sql = (query: string) => t.app.services.orm.em.fork().execute(query);
  await sql('alter table login_attempts rename to login_attempts_away');
  const internal = await post('auth.login', { email: 'someone@goalpost.test', password: 'whatever-123' }).finally(() =>
    sql('alter table login_attempts_away rename to login_attempts'),
  );
  t.app.services.log = log;
  const summary = async (res: Response) => {
    const text = await res.text();
    return { status: res.status, hasStack: /stack|\.ts:\d+/.test(text) };
  };
  const failed = lines.find((l) => l.msg === 'procedure failed');
  expect({
    unauthorized: await summary(unauthorized),
    badRequest: await summary(badRequest),
    internal: await summary(internal),
    logged: {
      traceId: failed?.traceId,
      stack: String((failed?.err as { stack?: string } | undefined)?.stack).includes('login_attempts'),
    },
  }).toEqual({
    unauthorized: { status: 401, hasStack: false },
    badRequest: { status: 400, hasStack: false },
    internal: { status: 500, hasStack: false },
    logged: { traceId: internal.headers.get('x-request-id'), stack: true },
  });
});

it('refuses a batch of more than 20 calls before reading any of them', async () => {
  const batch = (calls: number) => fetch(`${t.url}/trpc/${Array(calls).fill('auth.me').join(',')}?batch=1`);
  const allowed = await batch(20);
  const refused = await batch(21);
  const encoded = await fetch(`${t.url}/trpc/${Array(21).fill('auth.me').join('%2C')}?batch=1`);
  expect({
    allowed: [allowed.status, ((await allowed.json()) as unknown[]).length],
    refused: [refused.status, await refused.json()],
    encodedCommas: encoded.status,
  }).toEqual({
    allowed: [200, 20],
    refused: [
      400,
      {
        error: {
          code: -32600,
          message: 'This request bundles 21 calls; at most 20 are allowed in one request. Send fewer at a time.',
          data: { code: 'BAD_REQUEST', httpStatus: 400 },
        },
      },
    ],
    encodedCommas: 400,
  });
});

/**
 * The CSRF check once trusted the request's own Host header, so a page on evil.com reaching the
 * server under that name (DNS rebinding, a misrouted proxy) passed with `Host: evil.com` and
 * `Origin: http://evil.com`. Only PUBLIC_URL's origin and the ALLOWED_ORIGINS entries are accepted
 * now. (node:http, because fetch may not set Host.)
 */
it('accepts state-changing calls only from PUBLIC_URL and ALLOWED_ORIGINS, whatever the Host', async () => {
  const signIn = (headers: Record<string, string>) =>
    new Promise<string>((resolve, reject) => {
      const body = JSON.stringify({ json: { email: 'origin-check@goalpost.test', password: 'not-the-password' } });
      const req = request(
        `${t.url}/trpc/auth.login`,
        { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () =>
            resolve((JSON.parse(text) as { error: { json: { data: { code: string } } } }).error.json.data.code),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  expect({
    evilHostAndOrigin: await signIn({ Host: 'evil.com', Origin: 'http://evil.com' }),
    evilHostHttps: await signIn({ Host: 'evil.com', Origin: 'https://evil.com' }),
    publicUrl: await signIn({ Origin: t.url }),
    allowedOrigin: await signIn({ Origin: 'https://partner.example.com' }),
  }).toEqual({
    evilHostAndOrigin: 'FORBIDDEN',
    evilHostHttps: 'FORBIDDEN',
    publicUrl: 'UNAUTHORIZED', // past the origin check: the password is wrong
    allowedOrigin: 'UNAUTHORIZED',
  });
});

it('logs one line per request, with its trace id, and still redacts secrets in other lines', async () => {
  const lines: Record<string, unknown>[] = [];
  const log = t.app.services.log;
  t.app.services.log = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const res = await fetch(`${t.url}/trpc/auth.me`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
  await res.text();
  t.app.services.log.info({ user: { token: 'gpat_secret' }, password: 'hunter2' }, 'other');
  t.app.services.log = log;
  const { time: _time, ms, span_id: spanId, ...line } = lines.find((l) => l.msg === 'request') ?? {};
  expect({
    line,
    ms: typeof ms,
    spanId: /^[0-9a-f]{16}$/.test(String(spanId)),
    other: lines.find((l) => l.msg === 'other'),
  }).toEqual({
    line: {
      level: 30,
      service: 'goalpost',
      trace_id: traceId,
      traceId,
      method: 'GET',
      path: '/trpc/auth.me',
      status: 200,
      msg: 'request',
    },
    ms: 'number',
    spanId: true,
    other: expect.objectContaining({ user: { token: '[Redacted]' }, password: '[Redacted]' }),
  });
});
