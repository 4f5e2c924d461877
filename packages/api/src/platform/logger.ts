import { type DestinationStream, pino } from 'pino';
import { activeSpanIds } from './trace.ts';

/**
 * Structured JSON logs: one line per request and per job. Every line written inside a request, a
 * job or a bus event carries its `trace_id` and `span_id` (platform/trace.ts), read from the
 * active span; callers need not pass them.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream) {
  return pino(
    {
      level,
      base: { service: 'goalpost' },
      redact: ['password', '*.password', 'token', '*.token'],
      mixin: () => activeSpanIds() ?? {},
    },
    destination,
  );
}
export type Logger = ReturnType<typeof createLogger>;
