/**
 * PostgreSQL LISTEN on one dedicated connection, for wake-ups that cross processes: the outbox
 * trigger wakes the relay in every jobs process, and each server process hears which users have
 * new notifications. NOTIFY is delivered at commit, so a listener never hears of a row it cannot
 * read yet. A lost connection is re-opened (after a second, then up to 30 s apart). Notices sent
 * while nobody listened are lost, so `onListening` (called each time LISTEN is in place, the first
 * time included) lets the caller catch up by reading the tables.
 */
import pg from 'pg';
import type { Logger } from './logger.ts';

export interface Listener {
  close(): Promise<void>;
}

export function listen(options: {
  connectionString: string;
  channel: string;
  log: Logger;
  onNotify(payload: string): void;
  onListening?(): void;
  /** Called when the LISTEN connection is lost (notices may be missed until onListening again). */
  onLost?(): void;
}): Listener {
  const { connectionString, channel, log } = options;
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Not a plain channel name: ${channel}`);
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = 1000;
  let retryTimer: NodeJS.Timeout | null = null;

  const connect = async () => {
    const c = new pg.Client({ connectionString, application_name: `goalpost-listen-${channel}` });
    client = c;
    c.on('notification', (message) => {
      if (message.channel === channel) options.onNotify(message.payload ?? '');
    });
    c.on('error', (error) => {
      if (!closed) log.warn({ err: error, channel }, 'listener connection lost');
    });
    c.on('end', () => {
      if (client === c) client = null;
      options.onLost?.();
      if (!closed) schedule();
    });
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
      retryMs = 1000;
      options.onListening?.();
    } catch (error) {
      if (closed) return;
      log.warn({ err: error, channel }, 'listener could not connect');
      await c.end().catch(() => {});
      schedule();
    }
  };
  const schedule = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, 30_000);
  };
  const ready = connect();

  return {
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await ready;
      await client?.end().catch(() => {});
    },
  };
}
