import type { Logger } from '@goalpost/api';
import { type MikroORM, pendingMigrations } from '@goalpost/db';
import pg from 'pg';

/**
 * What readiness means here. A pod is ready while it can serve its part of the traffic: the web
 * app (static files), and the API as far as the database lets it. So /readyz fails only for what
 * is this pod's own: it is shutting down (the Service should stop sending it requests) or its
 * release's migrations have not run (it would answer with a schema it does not know). A database
 * outage is every pod's at once: failing readiness for it would take every pod out of the Service,
 * and the ingress would answer 503 even for the web app. Instead /readyz reports the database as
 * unreachable (still 200), and /trpc answers 503 at once while it is, rather than holding each
 * request until the pool gives up.
 *
 * The database is checked on a connection of its own every few seconds (more often while it is
 * away), not on the request pool, which slow queries may hold.
 */
export class ServerHealth {
  database: 'reachable' | 'unreachable' = 'reachable';
  pendingMigrations: string[] = [];
  stopping = false;
  readonly #url: string;
  readonly #orm: MikroORM;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: { url: string; orm: MikroORM; log: Logger }) {
    this.#url = options.url;
    this.#orm = options.orm;
    this.#log = options.log;
  }

  /** Checks now, then every 5 s (every second while the database is unreachable). */
  async start(): Promise<void> {
    await this.check();
    const next = () => {
      this.#timer = setTimeout(
        () => void this.check().finally(() => !this.stopping && next()),
        this.database === 'reachable' ? 5_000 : 1_000,
      );
      this.#timer.unref();
    };
    next();
  }

  stop(): void {
    this.stopping = true;
    clearTimeout(this.#timer);
  }

  async check(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#url,
      connectionTimeoutMillis: 2_000,
      query_timeout: 2_000,
      application_name: 'goalpost-health',
    });
    client.on('error', () => {}); // a connection dropped mid-check is what the check reports
    let reachable = true;
    try {
      await client.connect();
      await client.query('select 1');
    } catch (error) {
      reachable = false;
      if (this.database === 'reachable') this.#log.warn({ err: error }, 'database unreachable');
    } finally {
      await client.end().catch(() => {});
    }
    if (reachable && this.database === 'unreachable') this.#log.info('database reachable again');
    this.database = reachable ? 'reachable' : 'unreachable';
    // The list only shrinks while this process runs (its code is fixed): stop asking once empty.
    if (reachable && this.pendingMigrations.length) this.pendingMigrations = await pendingMigrations(this.#orm);
  }

  readiness(): { ok: boolean; body: Record<string, unknown> } {
    const status = this.stopping ? 'stopping' : this.pendingMigrations.length ? 'migrations pending' : 'ready';
    return {
      ok: status === 'ready',
      body: { status, database: this.database, pendingMigrations: this.pendingMigrations },
    };
  }
}
