/**
 * Prometheus metrics (prom-client): one registry per process, read by GET /metrics on the server
 * and on the jobs process. Metrics are made through the functions below, which return the one
 * already registered under a name, so several app instances in one process (tests) share them
 * instead of failing on a second registration. Tests read deltas, never absolute values.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

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
