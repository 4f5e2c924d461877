/**
 * Live notifications across processes. Whoever writes notifications (a jobs process, or a server
 * running the workers) calls `pg_notify('notifications', <recipient id>)` in the same transaction;
 * every server process LISTENs on one dedicated connection and wakes the subscriptions
 * (notifications.onNew, over SSE) of that recipient. Wake-ups carry no data: a subscriber reads
 * its unread count and newest notification itself, so several notifications committed together
 * cost one read, and a notice lost while the connection was down is made good by waking everyone
 * when it is back.
 */

import { query } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Listener, listen } from '../platform/listen.ts';
import type { Logger } from '../platform/logger.ts';

export const NOTIFICATIONS_CHANNEL = 'notifications';

export interface LiveNotifications {
  /**
   * Wake-ups for one person until `signal` aborts or the feed closes. The subscription is in
   * place when this returns, so a read done right after misses nothing.
   */
  updates(userId: string, signal?: AbortSignal): AsyncIterable<void>;
  close(): Promise<void>;
}

/** Tells listening servers that these people have new notifications; call in the writing transaction. */
export async function announce(em: EntityManager, recipientIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(recipientIds)];
  if (ids.length === 0) return;
  await query(em, `select pg_notify('${NOTIFICATIONS_CHANNEL}', r) from unnest($1::text[]) as r`, [ids]);
}

interface Waiter {
  dirty: boolean;
  wake: (() => void) | null;
}

/** The LISTEN connection opens with the first subscriber, so processes without any pay nothing. */
export function postgresLiveNotifications(connectionString: string, log: Logger): LiveNotifications {
  const waiters = new Map<string, Set<Waiter>>();
  let listener: Listener | null = null;
  let closed = false;
  const wakeAll = (set: Iterable<Waiter>) => {
    for (const w of set) {
      w.dirty = true;
      w.wake?.();
    }
  };
  const ensureListening = () => {
    listener ??= listen({
      connectionString,
      channel: NOTIFICATIONS_CHANNEL,
      log,
      onNotify: (userId) => wakeAll(waiters.get(userId) ?? []),
      onListening: () => {
        for (const set of waiters.values()) wakeAll(set);
      },
    });
  };
  return {
    updates(userId, signal) {
      ensureListening();
      const waiter: Waiter = { dirty: false, wake: null };
      const set = waiters.get(userId) ?? new Set<Waiter>();
      waiters.set(userId, set);
      set.add(waiter);
      const remove = () => {
        set.delete(waiter);
        if (set.size === 0 && waiters.get(userId) === set) waiters.delete(userId);
        waiter.wake?.();
      };
      signal?.addEventListener('abort', remove, { once: true });
      return {
        async *[Symbol.asyncIterator]() {
          try {
            while (!closed && !signal?.aborted && set.has(waiter)) {
              if (!waiter.dirty) {
                await new Promise<void>((resolve) => {
                  waiter.wake = resolve;
                });
                waiter.wake = null;
              }
              if (closed || signal?.aborted || !set.has(waiter)) return;
              waiter.dirty = false;
              yield;
            }
          } finally {
            remove();
          }
        },
      };
    },
    async close() {
      closed = true;
      for (const set of waiters.values()) for (const w of [...set]) w.wake?.();
      waiters.clear();
      await listener?.close();
    },
  };
}
