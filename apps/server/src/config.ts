import { resolve } from 'node:path';
import { settingsEnv } from '@goalpost/api';
import { z } from 'zod';

/** Every variable the server reads, with its default. The README lists the same table. */
export const serverEnv = settingsEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().optional(),
  REDIS_URL: z.string().optional(),
  /** Prefix of every key this deployment writes, so several can share one Redis. */
  REDIS_PREFIX: z.string().default('goalpost:'),
  /** How long a session check may be answered from the cache (Redis, or memory without it); 0: off. */
  SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /** How many proxies in front of the server append to X-Forwarded-For (0: trust none). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Apply pending migrations before serving. The chart turns it off: its hook Job migrates (with a
   * role that may change the schema) and the servers, whose role need not, wait for it.
   */
  MIGRATE_ON_START: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Database connections for requests (per server process). */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /** Database connections for the in-process job workers, apart from the requests' (JOBS_IN_PROCESS=true). */
  JOBS_DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(5),
  JOBS_IN_PROCESS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  FIRST_ADMIN_EMAIL: z.email().default('admin@goalpost.local'),
  FIRST_ADMIN_PASSWORD: z.string().min(10).optional(),
  ORGANISATION_NAME: z.string().default('Goalpost'),
  WEB_DIST: z.string().default(resolve(import.meta.dirname, '../../web/dist')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type ServerConfig = z.infer<typeof serverEnv>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = serverEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** The server's own address, the default PUBLIC_URL (`port` when PORT=0 picked a free one). */
export function localUrl(config: ServerConfig, port = config.PORT): string {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  return `http://${host}:${port}`;
}
