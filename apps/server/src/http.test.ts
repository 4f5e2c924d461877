/** The HTTP surface around the API: probes, the SPA with its fallback, headers and request logs. */
import { startTestApp, type TestApp } from '@goalpost/testing';
import { rawCall } from '@goalpost/testing/client';
import { afterAll, beforeAll, expect, it } from 'vitest';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
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
    ready: [200, { database: 'reachable', pendingMigrations: [] }],
  });
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
