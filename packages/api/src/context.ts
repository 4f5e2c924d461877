import type { RoleKey } from '@goalpost/db';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from './platform/clock.ts';
import type { JobQueue } from './platform/jobs.ts';
import type { Logger } from './platform/logger.ts';
import type { RateLimiter } from './platform/rate-limit.ts';
import type { Settings } from './settings.ts';

/** Long-lived parts, made once per process by apps/server (or by a test). */
export interface Services {
  orm: MikroORM;
  orgId: string;
  settings: Settings;
  clock: Clock;
  rateLimiter: RateLimiter;
  jobs: JobQueue;
  log: Logger;
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

/** The signed-in person, as procedures and the policy see them. */
export interface Actor {
  id: string;
  orgId: string;
  email: string;
  name: string;
  roles: RoleKey[];
  sessionId: string;
}

export interface Context {
  services: Services;
  req: RequestInfo;
  /** A fresh EntityManager for this request. */
  em: EntityManager;
  actor: Actor | null;
}
