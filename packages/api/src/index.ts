export { purgeSpentLinks } from './auth/links.ts';
export { sendPasswordResetLink } from './auth/service.ts';
export { purgeExpiredSessions, readSessionToken, SESSION_COOKIE } from './auth/session.ts';
export { bootstrap, findOrganisation, firstAdminSetupLink } from './bootstrap.ts';
export {
  type Actor,
  type ActorContext,
  type BaseContext,
  type Context,
  type RequestInfo,
  type ServiceContext,
  type Services,
  systemContext,
} from './context.ts';
export { deliverMail, MAX_ATTEMPTS, type MailTransport, smtpTransport } from './mail/delivery.ts';
export { requeueStuckMail } from './mail/service.ts';
export { type Clock, ManualClock, systemClock } from './platform/clock.ts';
export { bossJobQueue, type JobQueue, jobTrace, type QueueDefinition } from './platform/jobs.ts';
export { createLogger, type Logger } from './platform/logger.ts';
export { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './platform/rate-limit.ts';
export { newTraceId, traceIdFrom } from './platform/trace.ts';
export { queueList, queues } from './queues.ts';
export { type AppRouter, appRouter } from './root.ts';
export { defaultSettings, type Settings, settingsEnv, settingsFrom } from './settings.ts';
export { createContext } from './trpc.ts';
export { commit as commitUserImport, expireStaleImports, failAbandonedImports } from './users/bulk.ts';
export { CommandRefused, operatorResetLink, operatorUnlock } from './users/operator.ts';
