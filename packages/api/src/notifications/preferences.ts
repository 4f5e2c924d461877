/**
 * Channels per person and family. Nobody has to set anything: a family without a row of theirs
 * uses these defaults. What needs an answer (workflow steps, @mentions, messages sent to you) also
 * goes by mail at once; the rest stays in the app.
 */
import { type EmailChannel, NOTIFICATION_FAMILIES, type NotificationFamily, query } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface Channels {
  inApp: boolean;
  email: EmailChannel;
}

export const DEFAULT_CHANNELS: Record<NotificationFamily, Channels> = {
  workflow: { inApp: true, email: 'instant' },
  mentions: { inApp: true, email: 'instant' },
  messages: { inApp: true, email: 'instant' },
  comments: { inApp: true, email: 'off' },
  sharing: { inApp: true, email: 'off' },
  imports: { inApp: true, email: 'off' },
  reminders: { inApp: true, email: 'off' },
};

/** One person's channels for every family, defaults filled in. */
export async function channelsOf(em: EntityManager, userId: string): Promise<Record<NotificationFamily, Channels>> {
  const rows = await query<{ family: NotificationFamily; in_app: boolean; email: EmailChannel }>(
    em,
    'select family, in_app, email from notification_preferences where user_id = $1',
    [userId],
  );
  const chosen = new Map(rows.map((r) => [r.family, { inApp: r.in_app, email: r.email }]));
  return Object.fromEntries(NOTIFICATION_FAMILIES.map((f) => [f, chosen.get(f) ?? DEFAULT_CHANNELS[f]])) as Record<
    NotificationFamily,
    Channels
  >;
}

/** Channels for many (person, family) pairs at once, for a consumer's batch. Key: `${userId}:${family}`. */
export async function channelsFor(
  em: EntityManager,
  userIds: readonly string[],
): Promise<(userId: string, family: NotificationFamily) => Channels> {
  const rows = userIds.length
    ? await query<{ user_id: string; family: NotificationFamily; in_app: boolean; email: EmailChannel }>(
        em,
        'select user_id, family, in_app, email from notification_preferences where user_id = any($1)',
        [[...new Set(userIds)]],
      )
    : [];
  const chosen = new Map(rows.map((r) => [`${r.user_id}:${r.family}`, { inApp: r.in_app, email: r.email }]));
  return (userId, family) => chosen.get(`${userId}:${family}`) ?? DEFAULT_CHANNELS[family];
}
