/**
 * How a consumer group handles what the bus delivers, the same on pg-boss and Kafka:
 *   - a batch (of distinct keys) is handled in one transaction, the fast path;
 *   - if that fails, each event is handled alone, so one bad event does not hold back the rest;
 *   - an event that fails is retried by the bus with backoff; on its MAX_ATTEMPTS-th failure it
 *     is written to dead_letters (the admin's list, with a retry button) and counted as done, so
 *     the events after it on its key move on.
 * Handlers must be idempotent: the buses deliver at least once.
 */
import { query } from '@goalpost/db';
import type { ServiceContext, Services } from '../context.ts';
import { beginSpan, within } from '../platform/trace.ts';
import type { BusEvent, Delivery, Outcome, Subscription } from './bus.ts';
import type { Topic } from './service.ts';

/** Attempts before an event is dead-lettered (the first try counts). */
export const MAX_ATTEMPTS = 5;

export interface ConsumerDefinition {
  /** The consumer group's name, also its dead letters' `consumer`. */
  group: string;
  topics: readonly Topic[];
  /** Handles events inside `ctx.em`'s transaction. Idempotent. */
  process(ctx: ServiceContext, events: BusEvent[]): Promise<void>;
}

export function defineConsumer(definition: ConsumerDefinition): ConsumerDefinition {
  return definition;
}

/**
 * Runs `process` for `events` in one transaction on a fresh context, in a span continuing the
 * event's trace (its `traceparent` from Kafka, else its trace id); a batch of several starts one.
 */
export async function processInTransaction(
  services: Services,
  definition: ConsumerDefinition,
  events: BusEvent[],
  actor: ServiceContext['actor'] = null,
): Promise<void> {
  const single = events.length === 1 ? events[0] : undefined;
  const scope = beginSpan(`consume ${definition.group}`, {
    traceparent: single?.traceparent,
    traceId: single?.traceId,
    kind: 'consumer',
    attributes: { 'messaging.consumer.group.name': definition.group, 'messaging.batch.message_count': events.length },
  });
  const traceId = scope.traceId;
  try {
    await within(scope, () =>
      services.orm.em.fork().transactional((em) => definition.process({ em, services, actor, traceId }, events)),
    );
    scope.end();
  } catch (error) {
    scope.end(error);
    throw error;
  }
}

export function subscription(services: Services, definition: ConsumerDefinition): Subscription {
  const log = services.log.child({ consumer: definition.group });
  const one = async (delivery: Delivery): Promise<Outcome> => {
    const { event, attempt } = delivery;
    try {
      await processInTransaction(services, definition, [event]);
      return { ok: true };
    } catch (error) {
      const last = attempt >= MAX_ATTEMPTS;
      log.error(
        { err: error, eventId: event.id, type: event.type, key: event.key, traceId: event.traceId, attempt, last },
        last ? 'event dead-lettered' : 'event failed; the bus retries it',
      );
      if (!last) return { ok: false, error };
      try {
        await deadLetter(services, definition.group, delivery, error);
        return { ok: true };
      } catch (writeError) {
        return { ok: false, error: writeError };
      }
    }
  };
  return {
    group: definition.group,
    topics: definition.topics,
    async handle(deliveries) {
      const started = performance.now();
      if (deliveries.length > 1) {
        try {
          await processInTransaction(
            services,
            definition,
            deliveries.map((d) => d.event),
          );
          log.info({ events: deliveries.length, ms: Math.round(performance.now() - started) }, 'events handled');
          return deliveries.map(() => ({ ok: true }));
        } catch (error) {
          log.warn({ err: error, events: deliveries.length }, 'batch failed; handling its events one by one');
        }
      }
      const outcomes: Outcome[] = [];
      for (const delivery of deliveries) outcomes.push(await one(delivery));
      log.info(
        {
          events: deliveries.length,
          failed: outcomes.filter((o) => !o.ok).length,
          traceIds: deliveries.map((d) => d.event.traceId),
          ms: Math.round(performance.now() - started),
        },
        'events handled',
      );
      return outcomes;
    },
  };
}

async function deadLetter(services: Services, consumer: string, { event, attempt }: Delivery, error: unknown) {
  const em = services.orm.em.fork();
  const now = services.clock.now();
  const message = String((error as Error)?.stack ?? error).slice(0, 4000);
  await query(
    em,
    `insert into dead_letters (id, org_id, consumer, event_id, topic, type, key, payload, trace_id, occurred_at, error,
                               attempts, created_at, last_failed_at)
     values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
     on conflict (consumer, event_id) do update
       set error = excluded.error, attempts = dead_letters.attempts + excluded.attempts,
           last_failed_at = excluded.last_failed_at, resolved_at = null`,
    [
      event.org,
      consumer,
      event.id,
      event.topic,
      event.type,
      event.key,
      JSON.stringify(event.payload),
      event.traceId,
      event.createdAt,
      message,
      attempt,
      now,
    ],
  );
}
