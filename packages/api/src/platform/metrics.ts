/**
 * Prometheus metrics (prom-client): one registry per process, read by GET /metrics on the server
 * and on the jobs process. Metrics are made through the functions below, which return the one
 * already registered under a name, so several app instances in one process (tests) share them
 * instead of failing on a second registration. Tests read deltas, never absolute values.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();

type Config<T extends string> = { name: string; help: string; labelNames?: readonly T[] };

function existing<M>(name: string): M | undefined {
  return metricsRegistry.getSingleMetric(name) as M | undefined;
}

export function counter<T extends string = string>(config: Config<T>): Counter<T> {
  return existing<Counter<T>>(config.name) ?? new Counter<T>({ ...config, registers: [metricsRegistry] });
}

export function gauge<T extends string = string>(
  config: Config<T> & { collect?: (this: Gauge<T>) => void | Promise<void> },
): Gauge<T> {
  return existing<Gauge<T>>(config.name) ?? new Gauge<T>({ ...config, registers: [metricsRegistry] });
}

export function histogram<T extends string = string>(config: Config<T> & { buckets?: number[] }): Histogram<T> {
  return existing<Histogram<T>>(config.name) ?? new Histogram<T>({ ...config, registers: [metricsRegistry] });
}

let defaultsCollected = false;

/** Node's own metrics (event-loop lag, heap and resident memory, GC, handles), once per process. */
export function collectNodeMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/**
 * GET /metrics in Prometheus's text format. With a token, only `Authorization: Bearer <token>` is
 * answered (compared in constant time); anything else gets 401 and no figures.
 */
export function metricsEndpoint(token: string | undefined): RequestListener {
  const expected = token ? createHash('sha256').update(`Bearer ${token}`).digest() : null;
  return (req, res) => {
    if (expected) {
      const given = createHash('sha256')
        .update(req.headers.authorization ?? '')
        .digest();
      if (!timingSafeEqual(given, expected)) {
        res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' });
        res.end('A bearer token (METRICS_TOKEN) is required.\n');
        return;
      }
    }
    metricsRegistry.metrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': metricsRegistry.contentType, 'Cache-Control': 'no-store' });
        res.end(text);
      },
      (error: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`Collecting metrics failed: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  };
}
