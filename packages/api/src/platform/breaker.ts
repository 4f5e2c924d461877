/**
 * Circuit breakers (opossum) around the calls that leave for another system: SMTP sends, Google
 * Sheets downloads, Kafka publishes. When most recent calls fail or time out the circuit opens and
 * calls fail at once with CircuitOpenError instead of each waiting for its own timeout; after
 * `resetTimeoutMs` one trial call goes through (half-open) and its outcome closes or re-opens it.
 * Callers that are jobs let the failure go back to pg-boss, whose backoff retries them later.
 *
 * Metrics: goalpost_circuit_state{breaker} (0 closed, 1 half-open, 2 open) and
 * goalpost_circuit_events_total{breaker,event} (success, failure, timeout, reject, open,
 * half-open, close).
 */
import CircuitBreaker from 'opossum';
import type { Logger } from './logger.ts';
import { counter, gauge } from './metrics.ts';

const circuitState = gauge<'breaker'>({
  name: 'goalpost_circuit_state',
  help: 'Circuit breaker state: 0 closed, 1 half-open (one trial call), 2 open (calls fail at once).',
  labelNames: ['breaker'],
});
const circuitEvents = counter<'breaker' | 'event'>({
  name: 'goalpost_circuit_events_total',
  help: 'Circuit breaker calls and transitions: success, failure, timeout, reject (failed fast while open), open, half-open, close.',
  labelNames: ['breaker', 'event'],
});

export interface BreakerOptions {
  /** A call slower than this counts as failed (and its caller gets an error). */
  timeoutMs?: number;
  /** Opens when at least this share of the calls in the rolling window failed… */
  errorThresholdPercentage?: number;
  /** …and the window holds at least this many calls. */
  volumeThreshold?: number;
  /** How long it stays open before a trial call. */
  resetTimeoutMs?: number;
  /** The rolling window the shares are counted over. */
  rollingWindowMs?: number;
}

export const defaultBreakerOptions: Required<BreakerOptions> = {
  timeoutMs: 30_000,
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  resetTimeoutMs: 30_000,
  rollingWindowMs: 60_000,
};

/** Thrown instead of calling while the circuit is open. */
export class CircuitOpenError extends Error {
  readonly code = 'CIRCUIT_OPEN';
  readonly breaker: string;
  constructor(breaker: string) {
    super(`${breaker} is failing: circuit open, not tried; a retry will try again later.`);
    this.breaker = breaker;
  }
}

export interface Breaker<A extends unknown[], R> {
  fire(...args: A): Promise<R>;
  /** False while open: a caller can skip work it would only undo (claiming a mail) before calling. */
  accepting(): boolean;
  state(): 'closed' | 'half-open' | 'open';
  shutdown(): void;
}

export function circuitBreaker<A extends unknown[], R>(
  name: string,
  action: (...args: A) => Promise<R>,
  options: BreakerOptions & { log?: Logger } = {},
): Breaker<A, R> {
  const o = { ...defaultBreakerOptions, ...options };
  const breaker = new CircuitBreaker(action, {
    name,
    timeout: o.timeoutMs,
    errorThresholdPercentage: o.errorThresholdPercentage,
    volumeThreshold: o.volumeThreshold,
    resetTimeout: o.resetTimeoutMs,
    rollingCountTimeout: o.rollingWindowMs,
  });
  const labels = { breaker: name };
  circuitState.set(labels, 0);
  const count = (event: string) => circuitEvents.inc({ ...labels, event });
  breaker.on('success', () => count('success'));
  breaker.on('failure', () => count('failure'));
  breaker.on('timeout', () => count('timeout'));
  breaker.on('reject', () => count('reject'));
  breaker.on('open', () => {
    count('open');
    circuitState.set(labels, 2);
    options.log?.warn({ breaker: name }, 'circuit open: calls fail fast until a trial call succeeds');
  });
  breaker.on('halfOpen', () => {
    count('half-open');
    circuitState.set(labels, 1);
  });
  breaker.on('close', () => {
    count('close');
    circuitState.set(labels, 0);
    options.log?.info({ breaker: name }, 'circuit closed');
  });
  return {
    async fire(...args) {
      try {
        return (await breaker.fire(...args)) as R;
      } catch (error) {
        if ((error as { code?: string }).code === 'EOPENBREAKER') throw new CircuitOpenError(name);
        throw error;
      }
    },
    accepting: () => !breaker.opened,
    state: () => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed'),
    shutdown: () => breaker.shutdown(),
  };
}
