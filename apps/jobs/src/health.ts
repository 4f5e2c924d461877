import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * The jobs process's HTTP port, for the orchestrator: /healthz (the process answers: liveness) and
 * /readyz (the workers run: not while waiting for migrations, nor once stopping). It serves no
 * traffic; other read-only routes (metrics) can be added through `routes`.
 */
export async function serveHealth(options: {
  host: string;
  port: number;
  ready: () => boolean;
  routes?: Record<string, RequestListener>;
}): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = options.routes?.[path];
    if (route) return route(req, res);
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (path === '/healthz') return answer(200, { status: 'ok' });
    if (path === '/readyz') {
      const ready = options.ready();
      return answer(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
    }
    answer(404, { error: 'Not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return server;
}
