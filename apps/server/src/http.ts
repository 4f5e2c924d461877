import { existsSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  appRouter,
  beginSpan,
  counter,
  createApiContext,
  createContext,
  type Logger,
  readSessionToken,
  type Services,
  TooManyRequests,
  traceIdFrom,
  within,
} from '@goalpost/api';
import sirv from 'sirv';
import type { ServerHealth } from './health.ts';
import { apiDocs, createRestHandler, REST_PREFIX } from './rest.ts';
import { createTrpcHandler } from './trpc-handler.ts';

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self' about:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
};

/**
 * The client's address for rate limits. Behind `trustedProxies` proxies it is the entry that many
 * places from the end of X-Forwarded-For (the one our outermost proxy appended); entries before it
 * come from the client and could be forged. With no trusted proxy the header is ignored.
 *
 * Null when the header is shorter than the proxies said to append to it: the request did not come
 * the way TRUST_PROXY describes, and the socket's address would be a proxy's, the same for every
 * client behind it (one shared rate-limit bucket). Per-address limits refuse such requests.
 */
export function clientIp(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustedProxies: number): string | null {
  if (trustedProxies > 0) {
    const forwarded = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((h) => h.trim());
    return hops.filter(Boolean).at(-trustedProxies) ?? null;
  }
  return req.socket.remoteAddress ?? null;
}

/** Most calls one /trpc request may bundle (the web app's batch link sends at most as many). */
const MAX_BATCH_CALLS = 20;

/**
 * How many calls a /trpc batch request bundles, counted from the procedure paths in the URL before
 * tRPC reads any input: 800 anonymous reset requests in one request used to stall the server.
 */
function batchCalls(url: URL): number {
  if (url.searchParams.get('batch') !== '1') return 1;
  const paths = url.pathname.slice('/trpc/'.length);
  try {
    // tRPC decodes the path before splitting it, so an encoded comma (%2C) separates calls too.
    return decodeURIComponent(paths).split(',').length;
  } catch {
    return paths.split(',').length; // malformed escapes: tRPC answers those with its own 400
  }
}

/**
 * Every HTTP answer by route and status, including those no procedure gives: the SPA, the 503s
 * answered at once while the database is away, refused batches, refused scrapes.
 */
const httpAnswers = counter({
  name: 'goalpost_http_requests_total',
  help: 'HTTP answers by route (/trpc, static, /healthz, /readyz, /metrics) and status code.',
  labelNames: ['route', 'status'],
});

/** Paths whose requests are not logged: probes and scrapes would drown the request log. */
const UNLOGGED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The HTTP surface: /trpc (the API), /healthz (alive), /readyz (see ServerHealth for what it means),
 * /metrics (unless METRICS_PORT serves it apart: `metrics` is then absent), and the built SPA with
 * index.html for every other path.
 */
export function createRequestListener(
  services: Services,
  options: { webDist: string; trustedProxies: number; health: ServerHealth; metrics?: RequestListener | null },
): RequestListener {
  const trpc = createTrpcHandler({
    router: appRouter,
    basePath: '/trpc/',
    // Room for the largest import upload (IMPORT_MAX_BYTES) and its multipart framing.
    maxBodySize: Math.max(25 * 1024 * 1024, services.settings.importMaxBytes + 1024 * 1024),
    createContext: ({ req, res }) => {
      const traceId = (res as ServerResponse & { traceId?: string }).traceId ?? traceIdFrom(undefined);
      return createContext(services, {
        method: req.method ?? 'GET',
        ip: clientIp(req, options.trustedProxies),
        userAgent: req.headers['user-agent'] ?? null,
        origin: req.headers.origin ?? null,
        sessionToken: readSessionToken(req.headers.cookie),
        traceId,
        setCookie: (cookie) => res.appendHeader('Set-Cookie', cookie),
      });
    },
    onError: ({ error, path, ctx }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        services.log.error({ path, traceId: ctx?.traceId, err: error.cause ?? error }, 'procedure failed');
    },
  });
  const rest = createRestHandler({
    router: appRouter,
    // POST /imports carries a file as base64 (or a JSON document) inline: an upload-sized file in
    // base64 gets through, so the service can refuse a larger one by name (413).
    importMaxBytes: services.settings.importMaxBytes,
    createContext: async ({ req, res }) => {
      const traceId = (res as ServerResponse & { traceId?: string }).traceId ?? traceIdFrom(undefined);
      try {
        return await createApiContext(
          services,
          {
            method: req.method ?? 'GET',
            ip: clientIp(req, options.trustedProxies),
            userAgent: req.headers['user-agent'] ?? null,
            origin: req.headers.origin ?? null,
            // Cookies are never read on /api/v1: a browser session does not authenticate it.
            sessionToken: null,
            traceId,
            setCookie: () => {},
          },
          req.headers.authorization,
        );
      } catch (error) {
        if (error instanceof TooManyRequests) res.setHeader('Retry-After', String(error.retryAfterSeconds));
        throw error;
      }
    },
    onError: ({ error, path, ctx }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        services.log.error({ path, traceId: ctx?.traceId, err: error.cause ?? error }, 'REST operation failed');
    },
  });
  const docs = apiDocs();
  const spa = existsSync(options.webDist)
    ? sirv(options.webDist, { single: true, etag: true, gzip: false, dev: false })
    : null;

  let warnedForwarded = false;
  return (req, res) => {
    const started = performance.now();
    if (!options.trustedProxies && req.headers['x-forwarded-for'] && !warnedForwarded) {
      warnedForwarded = true;
      services.log.warn(
        'requests arrive through a proxy (X-Forwarded-For) but TRUST_PROXY=0: rate limits count every client behind that proxy as one address; set TRUST_PROXY to the number of proxies',
      );
    }
    // Continue the caller's W3C trace (traceparent) or start one; the id is echoed for support.
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = path.startsWith('/trpc/') ? '/trpc' : UNLOGGED.has(path) ? path : 'static';
    const scope = beginSpan(`${req.method} ${route}`, {
      traceparent: req.headers.traceparent,
      kind: 'server',
      attributes: { 'http.request.method': req.method ?? 'GET', 'url.path': path },
    });
    const traceId = scope.traceId;
    (res as ServerResponse & { traceId?: string }).traceId = traceId;
    res.setHeader('X-Request-Id', traceId);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    // Production runs behind HTTPS (settings refuse an http PUBLIC_URL there): browsers should never try http.
    if (services.settings.production) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      scope.span.setAttribute('http.response.status_code', res.statusCode);
      httpAnswers.inc({ route, status: String(res.statusCode) });
      scope.end(res.statusCode >= 500 ? new Error(`HTTP ${res.statusCode}`) : undefined);
      if (UNLOGGED.has(path)) return;
      within(scope, () =>
        requestLog(services.log).info(
          { traceId, method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) },
          'request',
        ),
      );
    };
    res.on('finish', end);
    res.on('close', end);
    within(scope, () => answer(req, res, path));
  };

  function answer(req: IncomingMessage, res: ServerResponse, path: string) {
    if (path === '/metrics' && options.metrics) return options.metrics(req, res);
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const { ok, body } = options.health.readiness();
      return json(res, ok ? 200 : 503, body);
    }
    if (path.startsWith('/trpc/')) {
      const calls = batchCalls(new URL(req.url ?? '/', 'http://localhost'));
      if (calls > MAX_BATCH_CALLS) {
        const message = `This request bundles ${calls} calls; at most ${MAX_BATCH_CALLS} are allowed in one request. Send fewer at a time.`;
        return json(res, 400, { error: { code: -32600, message, data: { code: 'BAD_REQUEST', httpStatus: 400 } } });
      }
      // Answers hold personal data (users, mail): no browser or proxy cache may keep them.
      res.setHeader('Cache-Control', 'no-store');
      if (options.health.database === 'unreachable') {
        // At once, rather than after the pool's timeout; the web app itself is still served.
        const message = 'The service is briefly unavailable (its database cannot be reached). Try again in a moment.';
        const error = {
          error: { json: { message, code: -32603, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 } } },
        };
        res.setHeader('Retry-After', '5');
        const batched = new URL(req.url ?? '/', 'http://localhost').searchParams.get('batch') === '1';
        return json(res, 503, batched ? Array.from({ length: calls }, () => error) : error);
      }
      return trpc(req, res);
    }
    if (path === REST_PREFIX || path.startsWith(`${REST_PREFIX}/`)) {
      res.setHeader('Cache-Control', 'no-store');
      if (path === `${REST_PREFIX}/openapi.json`) return docs.document(req, res);
      if (options.health.database === 'unreachable') {
        res.setHeader('Retry-After', '5');
        const message = 'The service is briefly unavailable (its database cannot be reached). Try again in a moment.';
        return json(res, 503, { message, code: 'SERVICE_UNAVAILABLE' });
      }
      return rest(req, res);
    }
    if (path === '/api/docs' || path.startsWith('/api/docs/')) return docs.page(req, res, path);
    if (!spa) return json(res, 404, { error: 'The web app is not built. Run `npm run build:web`.' });
    spa(req, res, () => json(res, 404, { error: 'Not found' }));
  }
}

/**
 * The logger for request lines. A request line holds only its fixed fields and the trace ids, none a
 * secret or an object, so it skips the logger's redaction: pino runs the '*.password' and '*.token'
 * paths over every field of a line (about 1.5 % of the server's CPU per auth.me). Every other line
 * is still redacted. Made per logger, as a test may swap `services.log`.
 */
function requestLog(log: Logger): Logger {
  let child = requestLogs.get(log);
  if (!child) {
    child = log.child({}, { redact: [] });
    requestLogs.set(log, child);
  }
  return child;
}
const requestLogs = new WeakMap<Logger, Logger>();

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
