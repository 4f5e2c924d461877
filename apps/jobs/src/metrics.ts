/**
 * What /metrics says about jobs and the database, on the one registry of packages/api's
 * platform/metrics.ts. Jobs are counted and timed where every handler runs (workers.ts). The
 * gauges are read when Prometheus scrapes, cheaply: queue depth is the count pg-boss's monitor keeps
 * on its queue table (refreshed every minute, no scan of the job table), the outbox lag one indexed
 * row (outbox_events_unpublished_idx), the pool figures pg's own counters.
 *
 * The gauges read the parts of the app that registered last (`observeRuntime`); several apps in
 * one test process each register on start and unregister on close.
 */
import { type Clock, counter, gauge, histogram } from '@goalpost/api';
import { type MikroORM, query } from '@goalpost/db';
import type pg from 'pg';
import type { PgBoss } from 'pg-boss';

export const jobsDone = counter({
  name: 'goalpost_jobs_total',
  help: 'Jobs handled, by queue and outcome (done, or failed: pg-boss retries it if its policy allows).',
  labelNames: ['queue', 'outcome'],
});
export const jobSeconds = histogram({
  name: 'goalpost_job_duration_seconds',
  help: 'Time a job took to handle, by queue and outcome.',
  labelNames: ['queue', 'outcome'],
  buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
});

interface Parts {
  orm: MikroORM;
  /** Given where workers run: queue depth and outbox lag are the database's, read by them. */
  boss?: PgBoss;
  clock: Clock;
}

const registered: Parts[] = [];
const current = () => registered.at(-1);

gauge({
  name: 'goalpost_queue_jobs',
  help: "Jobs in each pg-boss queue by state (queued: waiting to run; active; deferred: retry or start later), as pg-boss's monitor last counted them (every minute).",
  labelNames: ['queue', 'state'],
  async collect() {
    this.reset();
    const boss = current()?.boss;
    if (!boss) return;
    try {
      for (const q of await boss.getQueues()) {
        this.set({ queue: q.name, state: 'queued' }, Number(q.queuedCount ?? 0));
        this.set({ queue: q.name, state: 'active' }, Number(q.activeCount ?? 0));
        this.set({ queue: q.name, state: 'deferred' }, Number(q.deferredCount ?? 0));
      }
    } catch {
      // The database is away: no figure rather than a failed scrape (the pool gauges still tell).
    }
  },
});

gauge({
  name: 'goalpost_outbox_lag_seconds',
  help: 'Age of the oldest outbox event not yet published to the bus (0 when none waits).',
  async collect() {
    this.reset();
    const parts = current();
    if (!parts?.boss) return;
    try {
      const [row] = await query<{ oldest: Date | null }>(
        parts.orm.em.fork(),
        'select min(created_at) as oldest from outbox_events where published_at is null',
        [],
      );
      const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
      this.set(oldest === null ? 0 : Math.max(0, (parts.clock.now().getTime() - oldest) / 1000));
    } catch {
      // As above.
    }
  },
});

gauge({
  name: 'goalpost_db_pool_connections',
  help: "The ORM's PostgreSQL pool: connections open (total), idle, in use, the most it may open (max), and requests waiting for one (waiting).",
  labelNames: ['state'],
  async collect() {
    this.reset();
    const orm = current()?.orm;
    if (!orm) return;
    const pool = (await orm.em.getConnection().getNativeClient()) as pg.Pool;
    this.set({ state: 'total' }, pool.totalCount);
    this.set({ state: 'idle' }, pool.idleCount);
    this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
    this.set({ state: 'waiting' }, pool.waitingCount);
    this.set({ state: 'max' }, pool.options.max ?? 0);
  },
});

/** Registers this app's parts for the gauges above; the returned function unregisters them. */
export function observeRuntime(parts: Parts): () => void {
  registered.push(parts);
  return () => {
    const at = registered.indexOf(parts);
    if (at >= 0) registered.splice(at, 1);
  };
}
