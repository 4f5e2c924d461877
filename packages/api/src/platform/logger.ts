import { pino } from 'pino';

/** Structured JSON logs: one line per request and per job, each carrying its trace id. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info') {
  return pino({ level, base: { service: 'goalpost' }, redact: ['password', '*.password', 'token', '*.token'] });
}
export type Logger = ReturnType<typeof createLogger>;
