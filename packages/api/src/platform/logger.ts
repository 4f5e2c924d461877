import { pino } from 'pino';

/**
 * Structured JSON logs: one line per request and per job, each carrying its trace id.
 * Lines reach stdout in batches of 4 KiB, and at least every second, as pino's guide for
 * asynchronous logging does: one write per line cost the server a write call per request. pino
 * flushes what is buffered when the process exits, crash or not.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info') {
  const options = { level, base: { service: 'goalpost' }, redact: ['password', '*.password', 'token', '*.token'] };
  if (level === 'silent') return pino(options);
  return pino(options, pino.destination({ dest: 1, minLength: 4096, periodicFlush: 1000, sync: false }));
}
export type Logger = ReturnType<typeof createLogger>;
