/**
 * The REST API for integrators: /api/v1 (trpc-to-openapi's node handler over the procedures that
 * carry `meta.openapi`), its OpenAPI document at /api/v1/openapi.json, and that document rendered
 * at /api/docs by Scalar's standalone bundle, served from the npm package (nothing from a CDN).
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openApiDocument, REST_BASE_PATH } from '@goalpost/api';
import { readableSize, restBodyLimit } from '@goalpost/api/imports';
import type { AnyTRPCRouter } from '@trpc/server';
import { type CreateOpenApiNodeHttpHandlerOptions, createOpenApiNodeHttpHandler } from 'trpc-to-openapi';

export const REST_PREFIX = REST_BASE_PATH;

/**
 * /api/v1/…: the operation's path is matched without the prefix. The largest body is an import file
 * at IMPORT_MAX_BYTES in base64 (restBodyLimit); a declared length beyond it is refused unread, naming
 * both limits (trpc-to-openapi would say only "Request body too large").
 */
export function createRestHandler<TRouter extends AnyTRPCRouter>(
  opts: Omit<CreateOpenApiNodeHttpHandlerOptions<TRouter, IncomingMessage, ServerResponse>, 'maxBodySize'> & {
    importMaxBytes: number;
  },
) {
  const { importMaxBytes, ...rest } = opts;
  const maxBodySize = restBodyLimit(importMaxBytes);
  const handler = createOpenApiNodeHttpHandler({ ...rest, maxBodySize } as CreateOpenApiNodeHttpHandlerOptions<
    TRouter,
    IncomingMessage,
    ServerResponse
  >);
  return (req: IncomingMessage, res: ServerResponse): void => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > maxBodySize) {
      res.writeHead(413, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
      res.end(
        JSON.stringify({
          code: 'PAYLOAD_TOO_LARGE',
          message: `The request is ${readableSize(length)}; the REST API takes at most ${readableSize(maxBodySize)}, room for an import file of ${readableSize(importMaxBytes)} (IMPORT_MAX_BYTES) in base64. Split the file, or remove what the budget does not need.`,
        }),
      );
      return;
    }
    req.url = (req.url ?? '/').slice(REST_PREFIX.length) || '/';
    void handler(req, res);
  };
}

/** The docs page: no inline script (the CSP forbids it), Scalar configured by data attributes. */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Goalpost REST API</title>
<link rel="icon" href="data:,">
</head>
<body>
<script id="api-reference" data-url="${REST_BASE_PATH}/openapi.json" data-configuration='${JSON.stringify({
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
  showDeveloperTools: 'never',
  // "Ask AI" talks to Scalar's service: nothing here may leave this server.
  agent: { disabled: true },
  authentication: { preferredSecurityScheme: 'Authorization' },
})}'></script>
<script src="/api/docs/scalar.js"></script>
</body>
</html>`;

/** Scalar renders with inline styles and talks only to this server; no other origin is allowed. */
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export function apiDocs() {
  // Generated once per process: the router does not change while it runs.
  let document: Buffer | undefined;
  let bundle: Buffer | undefined;
  return {
    document(_req: IncomingMessage, res: ServerResponse): void {
      document ??= Buffer.from(JSON.stringify(openApiDocument(), null, 2));
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
      res.end(document);
    },
    page(req: IncomingMessage, res: ServerResponse, path: string): void {
      res.setHeader('Content-Security-Policy', DOCS_CSP);
      if (path === '/api/docs' || path === '/api/docs/') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
        res.end(PAGE);
        return;
      }
      if (path === '/api/docs/scalar.js') {
        // The package's standalone browser bundle (4.7 MB), gzipped once on first request.
        bundle ??= gzipSync(readFileSync(scalarBundlePath()));
        const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        res.writeHead(200, {
          'Content-Type': 'text/javascript; charset=utf-8',
          'Cache-Control': 'public, max-age=86400',
          ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
        });
        res.end(gzip ? bundle : readFileSync(scalarBundlePath()));
        return;
      }
      res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: 'Not found' }));
    },
  };
}

function scalarBundlePath(): string {
  // The package exports no subpath for it: find it beside its entry point (dist/index.js).
  const entry = createRequire(import.meta.url).resolve('@scalar/api-reference');
  return join(dirname(entry), 'browser', 'standalone.js');
}
