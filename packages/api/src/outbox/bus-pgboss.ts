/**
 * The event bus on pg-boss, the default. Each consumer group gets a queue per topic it reads
 * (`events.<group>.<topic>`) under pg-boss's key_strict_fifo policy: jobs with the same key (the
 * event's key, a budget id) run one at a time in creation order, while other keys run in
 * parallel. Subscriptions are pg-boss's own (`boss.subscribe(topic, queue)`, its subscription
 * table), so a publisher needs no list of consumers.
 *
 * Publishing inserts the jobs on the relay's transaction (the `db` option), so an event is on the
 * bus exactly when the relay's "published" stamp commits: no duplicates from the relay itself.
 * pg-boss's `publish` sends one job per call; with thousands of events per relay batch we read
 * the same subscription table and insert in batches instead.
 *
 * Order inside one insert: pg-boss stamps a whole insert with one created_on and breaks ties by
 * job id, so each job id is derived from the event's seq (its first 16 hex digits), which keeps a
 * key's events in write order however they are batched.
 */
import { query } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobResult, PgBoss } from 'pg-boss';
import { type BusEvent, type EventBus, fromWire, type Subscription, toWire } from './bus.ts';

export interface BossBusOptions {
  /** pg-boss's schema (apps/jobs uses `pgboss`). */
  schema: string;
  /** Jobs one worker fetches at once (distinct keys), handled together in one transaction. */
  batchSize?: number;
  /** Workers per queue in this process. */
  concurrency?: number;
  pollingIntervalSeconds?: number;
}

/**
 * Retries are the consumer's (consume.ts dead-letters after its last attempt and completes the
 * job), so pg-boss's limit is only a backstop for attempts that died (a killed process): a
 * key_strict_fifo job that ends `failed` would hold its key back for good.
 */
const QUEUE_OPTIONS = {
  retryLimit: 20,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 300,
  expireInSeconds: 300,
  // A worker that dies mid-batch stops its heartbeat; its jobs are handed out again soon after.
  heartbeatSeconds: 10,
} as const;

/**
 * Families whose events need no order among themselves: each reminder occurrence is its own event
 * (keyed by the reminder), so its queue skips key_strict_fifo's per-key bookkeeping, which costs
 * a scan of the queue's waiting jobs per fetch and would cap a 100,000-reminder minute.
 */
export const UNORDERED_TOPICS: ReadonlySet<string> = new Set(['reminders']);

export function queueName(group: string, topic: string): string {
  return `events.${group}.${topic}`;
}

/** A uuid that sorts like the event's seq (the first 16 hex digits), unique through the event id. */
export function jobIdFor(event: BusEvent): string {
  const seq = event.seq.toString(16).padStart(16, '0');
  const rest = event.id.replaceAll('-', '').slice(-16);
  return `${seq.slice(0, 8)}-${seq.slice(8, 12)}-${seq.slice(12, 16)}-${rest.slice(0, 4)}-${rest.slice(4)}`;
}

export function bossEventBus(boss: PgBoss, options: BossBusOptions): EventBus {
  const worked: string[] = [];
  return {
    kind: 'pg-boss',
    async publish(em: EntityManager, events: BusEvent[]) {
      if (events.length === 0) return;
      const topics = [...new Set(events.map((e) => e.topic))];
      const subscribers = await query<{ event: string; name: string }>(
        em,
        `select event, name from ${options.schema}.subscription where event = any($1)`,
        [topics],
      );
      const db = {
        executeSql: async (text: string, values: unknown[] = []) => ({ rows: await query(em, text, values) }),
      };
      for (const { event: topic, name } of subscribers) {
        const jobs = events
          .filter((e) => e.topic === topic)
          .map((e) => ({ id: jobIdFor(e), singletonKey: e.key, data: toWire(e) }));
        for (let i = 0; i < jobs.length; i += 2000) await boss.insert(name, jobs.slice(i, i + 2000), { db });
      }
    },
    async subscribe(subscription: Subscription) {
      for (const topic of subscription.topics) {
        const name = queueName(subscription.group, topic);
        // A family whose events stand alone needs no per-key order, and is fetched much faster.
        const policy = UNORDERED_TOPICS.has(topic) ? 'standard' : 'key_strict_fifo';
        if (!(await boss.getQueue(name))) await boss.createQueue(name, { ...QUEUE_OPTIONS, policy });
        await boss.subscribe(topic, name);
        await boss.work(
          name,
          {
            batchSize: options.batchSize ?? 1000,
            localConcurrency: options.concurrency ?? 4,
            // A worker that found a full batch still waits this long before fetching again.
            pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5,
            perJobResults: true,
          },
          async (jobs): Promise<JobResult[]> => {
            const deliveries = jobs.map((job) => ({
              event: fromWire(job.data as Record<string, unknown>),
              attempt: job.retryCount + 1,
            }));
            const outcomes = await subscription.handle(deliveries);
            return jobs.map((job, i) => {
              const outcome = outcomes[i];
              if (outcome?.ok) return { id: job.id, status: 'completed' };
              const error = outcome && !outcome.ok ? outcome.error : new Error('no outcome');
              return { id: job.id, status: 'failed', output: { message: String((error as Error)?.message ?? error) } };
            });
          },
        );
        worked.push(name);
      }
    },
    async close() {
      for (const name of worked.splice(0)) await boss.offWork(name, { wait: true }).catch(() => {});
    },
  };
}
