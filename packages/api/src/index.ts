export { purgeSpentLinks } from './auth/links.ts';
export { hashPassword } from './auth/password.ts';
export { sendPasswordResetLink } from './auth/service.ts';
export { purgeExpiredSessions, readSessionToken, SESSION_COOKIE } from './auth/session.ts';
export {
  memorySessionCache,
  noticeOnlySessionCache,
  redisSessionCache,
  SESSION_CACHE_CHANNEL,
  type SessionCache,
} from './auth/session-cache.ts';
export { bootstrap, findOrganisation, firstAdminSetupLink } from './bootstrap.ts';
export { consumerList, consumers } from './consumers.ts';
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
export { commitImportJob, parseImportJob, tidyBudgetImports } from './imports/jobs.ts';
export * as importsService from './imports/service.ts';
export { deliverMail, MAX_ATTEMPTS, type MailTransport, smtpTransport } from './mail/delivery.ts';
export { requeueStuckMail } from './mail/service.ts';
export { sendDigests } from './notifications/digest.ts';
export { type LiveNotifications, postgresLiveNotifications } from './notifications/live.ts';
export type { BusEvent, Delivery, EventBus, Outcome, Subscription } from './outbox/bus.ts';
export { type KafkaClient, kafkaEventBus } from './outbox/bus-kafka.ts';
export { bossEventBus } from './outbox/bus-pgboss.ts';
export { createEventBus } from './outbox/buses.ts';
export { type ConsumerDefinition, MAX_ATTEMPTS as MAX_EVENT_ATTEMPTS, subscription } from './outbox/consume.ts';
export { drainOutbox, relayBatch } from './outbox/relay.ts';
export {
  type DomainEvent,
  emit,
  emitMany,
  OUTBOX_RETENTION_DAYS,
  purgePublishedEvents,
  TOPICS,
  type Topic,
} from './outbox/service.ts';
export { type BreakerOptions, CircuitOpenError, circuitBreaker } from './platform/breaker.ts';
export { type Clock, ManualClock, systemClock } from './platform/clock.ts';
export { bossJobQueue, type JobQueue, jobTrace, jobTraceparent, type QueueDefinition } from './platform/jobs.ts';
export { listen } from './platform/listen.ts';
export { createLogger, type Logger } from './platform/logger.ts';
export {
  collectNodeMetrics,
  counter,
  gauge,
  histogram,
  metricsEndpoint,
  metricsRegistry,
} from './platform/metrics.ts';
export { startTracing, type Tracing } from './platform/otel.ts';
export { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './platform/rate-limit.ts';
export { connectRedis, type RedisConnection } from './platform/redis.ts';
export { beginSpan, inSpan, newTraceId, type TraceScope, traceIdFrom, within } from './platform/trace.ts';
export { queueList, queues } from './queues.ts';
export { fireDueReminders } from './reminders/scheduler.ts';
export { openApiDocument, REST_BASE_PATH } from './rest/openapi.ts';
export { type AppRouter, appRouter } from './root.ts';
export { defaultSettings, type Settings, settingsEnv, settingsFrom } from './settings.ts';
export { createApiContext, createContext, TooManyRequests } from './trpc.ts';
export { commit as commitUserImport, expireStaleImports, failAbandonedImports } from './users/bulk.ts';
export { CommandRefused, operatorResetLink, operatorUnlock } from './users/operator.ts';
