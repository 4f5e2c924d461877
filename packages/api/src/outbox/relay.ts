/**
 * The outbox relay: moves committed, unpublished outbox events to the bus and stamps them.
 *
 * Keys are spread over 1024 buckets (a hash of the key); a relay owns a bucket, and so all its
 * keys, while it holds the bucket's advisory lock. One batch is one short transaction:
 *   1. the buckets of the oldest unpublished events;
 *   2. of those, the buckets this relay can lock (`pg_try_advisory_xact_lock`; a bucket another
 *      relay holds is skipped, not waited for), so two relays never publish one key's events at
 *      the same time, and so never out of order (and a batch holds at most 1024 locks, however
 *      many keys it covers);
 *   3. in a new statement (a snapshot taken after the locks, so rows another relay stamped just
 *      before are seen as published), the locked buckets' unpublished events in seq order;
 *   4. publish, stamp published_at, commit (which releases the locks).
 * Rows are chosen by state (`published_at is null`), never by a high-water mark on seq or time: a
 * row that took a lower seq but committed after a later one is still unpublished next time.
 * A relay that dies mid-batch rolls its stamps back; with pg-boss the published jobs roll back
 * with them, with Kafka they were sent and are sent again (consumers are idempotent).
 */
import { query } from '@goalpost/db';
import type { Services } from '../context.ts';
import type { BusEvent } from './bus.ts';
import type { Topic } from './service.ts';

/** The advisory-lock namespace of outbox buckets (the first of pg_try_advisory_xact_lock's two keys). */
const BUCKET_LOCK_SPACE = 0x6f7574; // "out"
/** hashtext(key) & 1023: the bucket of a key, 0–1023 (hashtext may be negative; the mask is not). */
const BUCKET = '(hashtext(key) & 1023)';

export interface RelayLimits {
  /** Events published in one batch (one transaction). */
  events: number;
}

const DEFAULT_LIMITS: RelayLimits = { events: 5000 };

/** Publishes one batch; returns how many events it published (0: nothing it could claim). */
export async function relayBatch(services: Services, limits: RelayLimits = DEFAULT_LIMITS): Promise<number> {
  const em = services.orm.em.fork();
  let claimed: string[] = [];
  try {
    return await em.transactional(async (tx) => {
      const candidates = await query<{ bucket: number }>(
        tx,
        `select distinct ${BUCKET} as bucket
         from (select key from outbox_events where published_at is null order by seq limit $1) oldest`,
        [limits.events],
      );
      if (candidates.length === 0) return 0;
      const locked = await query<{ bucket: number }>(
        tx,
        `select b as bucket from unnest($1::int[]) as b where pg_try_advisory_xact_lock($2, b)`,
        [candidates.map((c) => c.bucket), BUCKET_LOCK_SPACE],
      );
      if (locked.length === 0) return 0;
      const rows = await query<{
        id: string;
        seq: string;
        org_id: string;
        topic: Topic;
        type: string;
        key: string;
        payload: Record<string, unknown>;
        trace_id: string | null;
        created_at: string;
      }>(
        tx,
        `select id, seq, org_id, topic, type, key, payload, trace_id, created_at from outbox_events
         where published_at is null and ${BUCKET} = any($1) order by seq limit $2`,
        [locked.map((l) => l.bucket), limits.events],
      );
      if (rows.length === 0) return 0;
      claimed = rows.map((r) => r.id);
      const events: BusEvent[] = rows.map((r) => ({
        id: r.id,
        seq: Number(r.seq),
        org: r.org_id,
        topic: r.topic,
        type: r.type,
        key: r.key,
        payload: r.payload,
        traceId: r.trace_id,
        createdAt: new Date(r.created_at),
      }));
      await services.bus.publish(tx, events);
      await query(tx, 'update outbox_events set published_at = $1 where id = any($2)', [services.clock.now(), claimed]);
      return rows.length;
    });
  } catch (error) {
    // Counted outside the rolled-back transaction, so a stuck event shows how often it failed.
    if (claimed.length) {
      await query(em.fork(), 'update outbox_events set attempts = attempts + 1 where id = any($1)', [claimed]).catch(
        () => {},
      );
    }
    throw error;
  }
}

/** Publishes batches until nothing is left that this relay can claim; returns the total. */
export async function drainOutbox(services: Services, limits?: RelayLimits): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await relayBatch(services, limits);
    total += n;
    if (n === 0) return total;
  }
}
