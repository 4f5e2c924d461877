/**
 * The jobs process on its own (production: JOBS_IN_PROCESS=false on the servers, N of these).
 * It does not migrate: the server (or `npm run migrate`) owns the schema, and this waits for it.
 */
import { createServer } from 'node:http';
import {
  bossJobQueue,
  collectNodeMetrics,
  createEventBus,
  createLogger,
  MemoryRateLimiter,
  metricsEndpoint,
  noticeOnlySessionCache,
  postgresLiveNotifications,
  type Services,
  settingsFrom,
  smtpTransport,
  startTracing,
  systemClock,
} from '@goalpost/api';
import { Organisation, openOrm, pendingMigrations, useClock } from '@goalpost/db';
import { startBoss } from './boss.ts';
import { loadJobsConfig } from './config.ts';
import { serveHealth } from './health.ts';
import { observeRuntime } from './metrics.ts';
import { startWorkers } from './workers.ts';

const config = loadJobsConfig();
const log = createLogger(config.LOG_LEVEL);
const tracing = await startTracing({
  endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  serviceName: config.OTEL_SERVICE_NAME ?? 'goalpost-jobs',
});
collectNodeMetrics();
const orm = await openOrm({ clientUrl: config.DATABASE_URL, poolMax: config.JOBS_CONCURRENCY_POOL });
useClock(orm, systemClock);
let state: 'waiting' | 'running' | 'stopping' = 'waiting';
// /metrics beside the probes on JOBS_HTTP_PORT, or alone on METRICS_PORT; METRICS_TOKEN guards it either way.
const metrics = metricsEndpoint(config.METRICS_TOKEN);
const health = await serveHealth({
  host: config.HOST,
  port: config.JOBS_HTTP_PORT,
  ready: () => state === 'running',
  routes: config.METRICS_PORT === undefined ? { '/metrics': metrics } : {},
});
const metricsServer =
  config.METRICS_PORT === undefined
    ? null
    : createServer((req, res) => {
        if ((req.url ?? '/').split('?')[0] === '/metrics') return metrics(req, res);
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Only /metrics is served here.\n');
      }).listen(config.METRICS_PORT, config.HOST);
for (let waited = 0; ; waited += 2) {
  const pending = await pendingMigrations(orm);
  const [org] = pending.length ? [] : await orm.em.fork().find(Organisation, {}, { limit: 1 });
  if (org) {
    const boss = await startBoss(config.DATABASE_URL, {
      clock: systemClock,
      superviseIntervalSeconds: config.JOBS_SUPERVISE_SECONDS,
      onError: (error) => log.error({ err: error }, 'pg-boss error'),
    });
    const settings = settingsFrom(config, 'http://localhost:3000');
    const services: Services = {
      orm,
      orgId: org.id,
      settings,
      clock: systemClock,
      rateLimiter: new MemoryRateLimiter(systemClock),
      jobs: bossJobQueue(boss),
      log,
      mailer: config.SMTP_URL ? smtpTransport(config.SMTP_URL, { log }) : null,
      bus: await createEventBus({ settings, boss, log }),
      // Nobody subscribes here; notifications written by this process reach the servers' listeners.
      live: postgresLiveNotifications(config.DATABASE_URL, log),
      // Caches nothing; a bulk import's changes reach the servers' session caches as notices.
      sessionCache: noticeOnlySessionCache(),
    };
    observeRuntime({ orm, boss, clock: systemClock });
    const workers = await startWorkers(boss, services);
    state = 'running';
    log.info({ bus: services.bus.kind }, 'jobs worker started');
    const stop = async () => {
      state = 'stopping';
      health.close();
      metricsServer?.close();
      await workers.stop();
      await boss.stop({ graceful: true, timeout: 30_000 });
      await orm.close();
      await tracing.stop();
      process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    break;
  }
  if (waited % 30 === 0) log.info({ pending }, 'waiting for the server to migrate and set up the database');
  await new Promise((r) => setTimeout(r, 2000));
}
