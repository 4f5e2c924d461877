import type { ApiTokenScope, RoleKey } from '@goalpost/db';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { SessionCache } from './auth/session-cache.ts';
import type { MailTransport } from './mail/delivery.ts';
import type { LiveNotifications } from './notifications/live.ts';
import type { EventBus } from './outbox/bus.ts';
import type { Clock } from './platform/clock.ts';
import type { JobQueue } from './platform/jobs.ts';
import type { Logger } from './platform/logger.ts';
import type { RateLimiter } from './platform/rate-limit.ts';
import type { Settings } from './settings.ts';

/** Long-lived parts, made once per process by apps/server or apps/jobs (or by a test). */
export interface Services {
  orm: MikroORM;
  orgId: string;
  settings: Settings;
  clock: Clock;
  rateLimiter: RateLimiter;
  jobs: JobQueue;
  log: Logger;
  /** SMTP when SMTP_URL is set; null means mail is captured in the app (the outbox). */
  mailer: MailTransport | null;
  /** Where the outbox relay publishes domain events: pg-boss, or Kafka when KAFKA_BROKERS is set. */
  bus: EventBus;
  /** Wakes this process's live notification subscriptions when notifications are written anywhere. */
  live: LiveNotifications;
  /** The session check's cache (Redis, memory, or notices only); see auth/session-cache.ts. */
  sessionCache: SessionCache;
}

/** The signed-in person, as procedures and the policy see them. */
export interface Actor {
  id: string;
  orgId: string;
  email: string;
  name: string;
  roles: RoleKey[];
  /** The browser session ('' when the person acts through a personal access token). */
  sessionId: string;
  /** Set when the request came to /api/v1 with a personal access token: which one, and its scope. */
  token?: { id: string; scope: ApiTokenScope };
}

/**
 * What every service function takes first, whoever calls it (a procedure, a job, a command):
 * its unit of work, the process's parts, who acts (null for the system), and the trace id that
 * ties its logs, history rows and queued jobs to the request that started them.
 * The one calling convention: `service.doThing(ctx, input)`.
 */
export interface ServiceContext extends BaseContext {
  services: Services;
}

/**
 * The least a service context has: the database, settings and clock, without queue, mail or rate
 * limits. Functions that need no more take this, so an operator command (apps/server/src/cli)
 * can call them without starting the rest of the server.
 */
export interface BaseContext {
  em: EntityManager;
  services: Pick<Services, 'orm' | 'orgId' | 'settings' | 'clock'>;
  actor: Actor | null;
  traceId: string;
}

/** A service context with someone signed in. */
export interface ActorContext extends ServiceContext {
  actor: Actor;
}

/** What the HTTP layer tells a procedure about the request. */
export interface RequestInfo {
  method: string;
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
  sessionToken: string | null;
  traceId: string;
  setCookie(cookie: string): void;
}

/** A procedure's context: a service context plus the request (cookies, address, origin). */
export interface Context extends ServiceContext {
  req: RequestInfo;
  /** A REST call (/api/v1), authenticated by a personal access token rather than a session. */
  api?: boolean;
}

/** A context for work no person started (jobs, schedules, commands), on a fresh EntityManager. */
export function systemContext(services: Services, traceId: string): ServiceContext {
  return { em: services.orm.em.fork(), services, actor: null, traceId };
}
