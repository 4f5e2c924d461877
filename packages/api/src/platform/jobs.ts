/**
 * Background work goes through pg-boss queues. A queue is defined once (queues.ts: its name, zod
 * payload, retry policy and schedule); apps/jobs/src/queues/<name>.ts holds its handler. Sending
 * is typed by the definition, validates the payload, and carries the sender's trace id.
 *
 * `send(queue, payload, { em })` enqueues inside `em`'s open transaction, on the same connection:
 * the job exists exactly when the transaction commits, so "write, then send" needs no sweep.
 */
import { query } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SendOptions as BossSendOptions, PgBoss, QueueOptions } from 'pg-boss';
import type { z } from 'zod';
import { traceparentFor } from './trace.ts';

export interface QueueDefinition<P extends z.ZodType = z.ZodType> {
  name: string;
  payload: P;
  /** pg-boss queue policy: retries, backoff, expiry, heartbeat. */
  options: QueueOptions;
  /** Scheduled queues: a cron expression, evaluated in UTC. */
  cron?: string;
  /** Jobs of this queue handled at once by one worker process. */
  concurrency?: number;
}

export function defineQueue<P extends z.ZodType>(definition: QueueDefinition<P>): QueueDefinition<P> {
  return definition;
}

export interface SendOptions {
  /** Enqueue inside this EntityManager's open transaction (see above). */
  em?: EntityManager;
  /** The trace the job continues (its logs carry it). */
  traceId?: string;
}

export interface JobQueue {
  send<P extends z.ZodType>(queue: QueueDefinition<P>, payload: z.input<P>, options?: SendOptions): Promise<void>;
  sendMany<P extends z.ZodType>(
    queue: QueueDefinition<P>,
    payloads: z.input<P>[],
    options?: SendOptions,
  ): Promise<void>;
}

/**
 * The trace travels in the job's data beside the payload: its id (`traceId`, what logs and rows
 * carry) and the sender's W3C `traceparent`, whose span the job's span continues. Handlers read
 * them back with `jobTrace` and `jobTraceparent`.
 */
const TRACE_KEY = 'traceId';
const TRACEPARENT_KEY = 'traceparent';

export function jobTrace(data: unknown): string | null {
  const value = (data as Record<string, unknown> | null)?.[TRACE_KEY];
  return typeof value === 'string' ? value : null;
}

export function jobTraceparent(data: unknown): string | null {
  const value = (data as Record<string, unknown> | null)?.[TRACEPARENT_KEY];
  return typeof value === 'string' ? value : null;
}

/** pg-boss's database adapter over a MikroORM transaction: its SQL runs on the transaction's connection. */
function transactionDb(em: EntityManager) {
  if (!em.isInTransaction()) {
    throw new Error('send({ em }) needs an EntityManager inside a transaction (em.transactional).');
  }
  return { executeSql: async (text: string, values: unknown[] = []) => ({ rows: await query(em, text, values) }) };
}

export function bossJobQueue(boss: PgBoss): JobQueue {
  const options = (opts: SendOptions | undefined): BossSendOptions => (opts?.em ? { db: transactionDb(opts.em) } : {});
  const data = (queue: QueueDefinition, payload: unknown, traceId: string | undefined) => ({
    ...(queue.payload.parse(payload) as object),
    ...(traceId ? { [TRACE_KEY]: traceId, [TRACEPARENT_KEY]: traceparentFor(traceId) } : {}),
  });
  return {
    async send(queue, payload, opts) {
      await boss.send(queue.name, data(queue, payload, opts?.traceId), options(opts));
    },
    async sendMany(queue, payloads, opts) {
      for (let i = 0; i < payloads.length; i += 1000) {
        const jobs = payloads.slice(i, i + 1000).map((p) => ({ data: data(queue, p, opts?.traceId) }));
        await boss.insert(queue.name, jobs, options(opts));
      }
    },
  };
}
