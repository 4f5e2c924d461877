/**
 * The jobs process on its own (production: JOBS_IN_PROCESS=false on the servers, N of these).
 * It does not migrate: the server (or `npm run migrate`) owns the schema, and this waits for it.
 */
import {
  bossJobQueue,
  createEventBus,
  createLogger,
  MemoryRateLimiter,
  noticeOnlySessionCache,
  postgresLiveNotifications,
  type Services,
  settingsFrom,
  smtpTransport,
  systemClock,
} from '@goalpost/api';
import { Organisation, openOrm, pendingMigrations, useClock } from '@goalpost/db';
import { startBoss } from './boss.ts';
import { loadJobsConfig } from './config.ts';
import { serveHealth } from './health.ts';
import { startWorkers } from './workers.ts';

const config = loadJobsConfig();
const log = createLogger(config.LOG_LEVEL);
const orm = await openOrm({ clientUrl: config.DATABASE_URL, poolMax: config.JOBS_CONCURRENCY_POOL });
useClock(orm, systemClock);
let state: 'waiting' | 'running' | 'stopping' = 'waiting';
const health = await serveHealth({ host: config.HOST, port: config.JOBS_HTTP_PORT, ready: () => state === 'running' });
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
      bus: createEventBus({ settings, boss, log }),
      // Nobody subscribes here; notifications written by this process reach the servers' listeners.
      live: postgresLiveNotifications(config.DATABASE_URL, log),
      // Caches nothing; a bulk import's changes reach the servers' session caches as notices.
      sessionCache: noticeOnlySessionCache(),
    };
    const workers = await startWorkers(boss, services);
    state = 'running';
    log.info({ bus: services.bus.kind }, 'jobs worker started');
    const stop = async () => {
      state = 'stopping';
      health.close();
      await workers.stop();
      await boss.stop({ graceful: true, timeout: 30_000 });
      await orm.close();
      process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    break;
  }
  if (waited % 30 === 0) log.info({ pending }, 'waiting for the server to migrate and set up the database');
  await new Promise((r) => setTimeout(r, 2000));
}
