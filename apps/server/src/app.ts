import { createServer, type Server } from 'node:http';
import {
  bootstrap,
  bossJobQueue,
  type Clock,
  collectNodeMetrics,
  connectRedis,
  createEventBus,
  createLogger,
  firstAdminSetupLink,
  MemoryRateLimiter,
  memorySessionCache,
  metricsEndpoint,
  newTraceId,
  noticeOnlySessionCache,
  postgresLiveNotifications,
  RedisRateLimiter,
  redisSessionCache,
  type Services,
  settingsFrom,
  smtpTransport,
  startTracing,
  systemClock,
  systemContext,
} from '@goalpost/api';
import { freePort, type MikroORM, migrate, openOrm, pendingMigrations, resolveDatabase, useClock } from '@goalpost/db';
import { observeRuntime, startBoss, startWorkers } from '@goalpost/jobs';
import { localUrl, type ServerConfig } from './config.ts';
import { ServerHealth } from './health.ts';
import { createRequestListener } from './http.ts';

export interface RunningApp {
  url: string;
  /** Where /metrics is served: `${url}/metrics`, or its own port with METRICS_PORT. */
  metricsUrl: string;
  services: Services;
  /** What the in-process job workers use (their own database pool), or null with JOBS_IN_PROCESS=false. */
  workerServices: Services | null;
  /** The embedded cluster's data folder, or null when DATABASE_URL is used. */
  embeddedDataDir: string | null;
  appliedMigrations: string[];
  createdAdmin: { email: string; password: string } | null;
  /**
   * Set when the first admin exists but has never signed in (and no password was configured): a
   * new set-password link, or (url null) when the live one was issued, by this or another instance.
   */
  firstAdminLink: { url: string | null; issuedAt: Date; expiresAt: Date } | null;
  close(): Promise<void>;
}

/**
 * Starts the whole app in this process: database (embedded unless DATABASE_URL), migrations,
 * first-run bootstrap, pg-boss (and its workers unless JOBS_IN_PROCESS=false), then HTTP.
 */
export async function startApp(config: ServerConfig, options: { clock?: Clock } = {}): Promise<RunningApp> {
  const clock = options.clock ?? systemClock;
  const log = createLogger(config.LOG_LEVEL);
  const tracing = await startTracing({
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: config.OTEL_SERVICE_NAME ?? 'goalpost-server',
  });
  collectNodeMetrics();
  const db = await resolveDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    embeddedPort: config.EMBEDDED_PG_PORT,
  });
  const orm = await openOrm({ clientUrl: db.url, poolMax: config.DB_POOL_MAX });
  useClock(orm, clock);
  const appliedMigrations = config.MIGRATE_ON_START ? await migrate(orm) : [];
  if (appliedMigrations.length) log.info({ applied: appliedMigrations }, 'migrations applied');
  if (!config.MIGRATE_ON_START) await awaitMigrations(orm, log);
  const boot = await bootstrap(orm.em.fork(), {
    organisationName: config.ORGANISATION_NAME,
    adminEmail: config.FIRST_ADMIN_EMAIL,
    adminPassword: config.FIRST_ADMIN_PASSWORD,
    clock,
  });
  // Once closing, pg-boss losing its connections is expected (on Ctrl-C the terminal signals the
  // embedded PostgreSQL too, which ends them): not an error worth a line.
  let closing = false;
  const boss = await startBoss(db.url, {
    clock,
    onError: (error) =>
      closing ? log.debug({ err: error }, 'pg-boss during shutdown') : log.error({ err: error }, 'pg-boss error'),
  });
  const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL, log) : null;
  const cacheMs = config.SESSION_CACHE_SECONDS * 1000;
  const sessionCache =
    cacheMs === 0
      ? noticeOnlySessionCache()
      : redis
        ? redisSessionCache({
            redis,
            connectionString: db.url,
            log,
            ttlMs: cacheMs,
            prefix: `${config.REDIS_PREFIX}sc:`,
          })
        : memorySessionCache({ connectionString: db.url, log, ttlMs: cacheMs });

  const port = config.PORT === 0 ? await freePort() : config.PORT;
  const url = localUrl(config, port);
  const settings = settingsFrom(config, url);
  const services: Services = {
    orm,
    orgId: boot.orgId,
    settings,
    clock,
    rateLimiter: redis ? new RedisRateLimiter(redis.client, `${config.REDIS_PREFIX}rl:`) : new MemoryRateLimiter(clock),
    jobs: bossJobQueue(boss),
    log,
    mailer: config.SMTP_URL ? smtpTransport(config.SMTP_URL, { log }) : null,
    bus: await createEventBus({ settings, boss, log }),
    live: postgresLiveNotifications(db.url, log),
    sessionCache,
  };
  // A bulkhead: jobs run in this process on a database pool of their own, so a burst of jobs
  // (a 50,000-row import, a mail storm) cannot take the connections requests need.
  const jobsOrm = config.JOBS_IN_PROCESS
    ? await openOrm({ clientUrl: db.url, poolMax: config.JOBS_DB_POOL_MAX })
    : null;
  if (jobsOrm) useClock(jobsOrm, clock);
  const workerServices = jobsOrm ? { ...services, orm: jobsOrm } : null;
  const workers = workerServices ? await startWorkers(boss, workerServices) : null;
  // Queue depth and outbox lag are the database's: the processes running workers report them.
  const unobserve = observeRuntime({ orm, boss: workers ? boss : undefined, clock });
  const health = new ServerHealth({ url: db.url, orm, log });
  await health.start();
  const metrics = metricsEndpoint(config.METRICS_TOKEN);
  const apart = config.METRICS_PORT !== undefined;
  if (settings.production && !apart && !config.METRICS_TOKEN)
    log.warn('/metrics is served on the traffic port without METRICS_TOKEN: set it, or METRICS_PORT to serve it apart');
  const server = createServer(
    createRequestListener(services, {
      webDist: config.WEB_DIST,
      trustedProxies: config.TRUST_PROXY,
      health,
      metrics: apart ? null : metrics,
    }),
  );
  await listen(server, port, config.HOST);
  const metricsServer = apart
    ? createServer((req, res) => {
        if ((req.url ?? '/').split('?')[0] === '/metrics') return metrics(req, res);
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Only /metrics is served here.\n');
      })
    : null;
  const metricsPort = metricsServer
    ? await listen(metricsServer, config.METRICS_PORT ? config.METRICS_PORT : await freePort(), config.HOST)
    : port;

  const firstAdminLink =
    boot.createdAdmin || config.FIRST_ADMIN_PASSWORD
      ? null
      : await firstAdminSetupLink(systemContext(services, newTraceId()), { email: config.FIRST_ADMIN_EMAIL });

  return {
    url,
    metricsUrl: `${localUrl(config, metricsPort)}/metrics`,
    firstAdminLink,
    services,
    workerServices,
    embeddedDataDir: db.dataDir,
    appliedMigrations,
    createdAdmin: boot.createdAdmin,
    async close() {
      closing = true;
      health.stop();
      // Live subscriptions end first: their open SSE responses would keep the server from closing.
      await services.live.close();
      await closeServer(server);
      if (metricsServer) await closeServer(metricsServer);
      unobserve();
      await workers?.stop();
      await services.bus.close();
      await boss.stop({ graceful: true, timeout: 10_000 });
      await jobsOrm?.close();
      await sessionCache.close();
      await orm.close();
      await redis?.close();
      await db.stop();
      await tracing.stop();
    },
  };
}

/**
 * With MIGRATE_ON_START=false someone else migrates (the chart's hook Job, `npm run migrate`):
 * wait for them rather than serve a schema this release does not know.
 */
async function awaitMigrations(orm: MikroORM, log: RunningApp['services']['log']): Promise<void> {
  for (let waited = 0; ; waited += 2) {
    const pending = await pendingMigrations(orm);
    if (!pending.length) return;
    if (waited % 30 === 0)
      log.info({ pending }, 'waiting for migrations (MIGRATE_ON_START=false: run `npm run migrate`)');
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
