/**
 * The notifications consumer: turns a batch of bus events into notifications, in the consumer's
 * transaction. recipients.ts decides who hears of each event and what they read; each person's
 * preferences decide the channels. Idempotent: a notification is unique per (recipient, event),
 * the insert skips ones that exist, and only rows it inserted get a mail or a live wake-up, so an
 * event delivered twice notifies once.
 */
import { type EmailChannel, type NotificationFamily, query } from '@goalpost/db';
import type { ServiceContext } from '../context.ts';
import { sendMail } from '../mail/service.ts';
import { notificationMail } from '../mail/templates.ts';
import type { BusEvent } from '../outbox/bus.ts';
import { announce } from './live.ts';
import { channelsFor } from './preferences.ts';
import { type Draft, draftsFor, type Mentioned, mentionsOf, type Names } from './recipients.ts';

/** Where the bell's "all notifications" page and the preferences live in the web app. */
export const NOTIFICATIONS_PATH = '/notifications';
export const PREFERENCES_PATH = '/account#notifications';

interface Person {
  id: string;
  name: string;
  email: string;
  status: string;
}

async function people(ctx: ServiceContext, ids: Iterable<string>): Promise<Map<string, Person>> {
  const list = [...new Set(ids)];
  if (list.length === 0) return new Map();
  const rows = await query<Person>(ctx.em, 'select id, name, email, status from users where id = any($1)', [list]);
  return new Map(rows.map((r) => [r.id, r]));
}

async function namesOf(ctx: ServiceContext, m: Mentioned): Promise<Names> {
  const table = async (sql: string, ids: Set<string>) =>
    ids.size
      ? new Map((await query<{ id: string; name: string }>(ctx.em, sql, [[...ids]])).map((r) => [r.id, r.name]))
      : new Map<string, string>();
  // One after the other: inside the consumer's transaction they share one connection.
  const users = await table('select id, name from users where id = any($1)', m.users);
  const budgets = await table('select id, name from budgets where id = any($1)', m.budgets);
  const goals = await table('select id, name from goals where id = any($1)', m.goals);
  const forecasts = await table('select id, name from forecasts where id = any($1)', m.forecasts);
  return {
    user: (id) => (id ? users.get(id) : undefined) ?? 'Someone',
    budget: (id) => budgets.get(id) ?? 'a budget',
    goal: (id) => goals.get(id) ?? 'a goal',
    forecast: (id) => forecasts.get(id) ?? 'a forecast',
  };
}

export async function deliverNotifications(ctx: ServiceContext, events: BusEvent[]): Promise<void> {
  const mentioned: Mentioned = { users: new Set(), budgets: new Set(), goals: new Set(), forecasts: new Set() };
  for (const event of events) mentionsOf(event, mentioned);
  const names = await namesOf(ctx, mentioned);
  const drafts: (Draft & { event: BusEvent })[] = events.flatMap((event) =>
    draftsFor(event, names).map((d) => ({ ...d, event })),
  );
  if (drafts.length === 0) return;
  const recipients = await people(
    ctx,
    drafts.map((d) => d.recipientId),
  );
  const channels = await channelsFor(ctx.em, [...recipients.keys()]);
  const rows = drafts
    .filter((d) => recipients.get(d.recipientId)?.status === 'active')
    .map((d) => ({ draft: d, channels: channels(d.recipientId, d.family) }))
    .filter(({ channels: c }) => c.inApp || c.email !== 'off')
    .map(({ draft: d, channels: c }) => ({
      org_id: d.event.org,
      recipient_id: d.recipientId,
      event_id: d.event.id,
      kind: d.kind,
      family: d.family,
      title: d.title,
      body: d.body,
      link: d.link,
      actor_id: typeof d.event.payload.actorId === 'string' ? d.event.payload.actorId : null,
      in_app: c.inApp,
      email: c.email,
    }));
  if (rows.length === 0) return;
  const inserted = await query<{
    recipient_id: string;
    in_app: boolean;
    email: EmailChannel;
    family: NotificationFamily;
    title: string;
    body: string | null;
    link: string | null;
  }>(
    ctx.em,
    `insert into notifications (id, org_id, recipient_id, event_id, kind, family, title, body, link, actor_id, in_app,
                                email, created_at)
     select gen_random_uuid(), org_id, recipient_id, event_id, kind, family, title, body, link, actor_id, in_app,
            email, $2
     from json_to_recordset($1::json) as x(org_id uuid, recipient_id uuid, event_id uuid, kind text, family text,
                                          title text, body text, link text, actor_id uuid, in_app boolean, email text)
     on conflict (recipient_id, event_id) do nothing
     returning recipient_id, in_app, email, family, title, body, link`,
    [JSON.stringify(rows), ctx.services.clock.now()],
  );
  const base = ctx.services.settings.publicUrl.replace(/\/$/, '');
  for (const n of inserted) {
    if (n.email !== 'instant') continue;
    const person = recipients.get(n.recipient_id);
    if (!person) continue;
    await sendMail(
      ctx,
      { address: person.email, userId: person.id },
      notificationMail({
        name: person.name,
        title: n.title,
        body: n.body,
        url: `${base}${n.link ?? NOTIFICATIONS_PATH}`,
        preferencesUrl: `${base}${PREFERENCES_PATH}`,
      }),
    );
  }
  await announce(
    ctx.em,
    inserted.filter((n) => n.in_app).map((n) => n.recipient_id),
  );
}
