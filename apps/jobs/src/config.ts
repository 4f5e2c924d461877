import { settingsEnv } from '@goalpost/api';
import { z } from 'zod';

/** The standalone jobs process reads the server's settings plus these. */
export const jobsEnv = settingsEnv.extend({
  DATABASE_URL: z.string({ error: 'DATABASE_URL is required: the jobs process works on the server database.' }).min(1),
  JOBS_CONCURRENCY_POOL: z.coerce.number().int().min(2).default(6),
  /** How often pg-boss looks for jobs whose worker died (no heartbeat) and hands them out again. */
  JOBS_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Interface and port of /healthz and /readyz (0.0.0.0 in containers, as the server's HOST). */
  HOST: z.string().default('127.0.0.1'),
  JOBS_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type JobsConfig = z.infer<typeof jobsEnv>;

export function loadJobsConfig(env: NodeJS.ProcessEnv = process.env): JobsConfig {
  const parsed = jobsEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}
