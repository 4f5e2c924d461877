/**
 * Notifications as their reader sees them: the bell's list and unread count, marking read, live
 * updates, channel preferences; and messages sent by hand from a budget to its collaborators,
 * which travel the same way as every other event (outbox → bus → notifications consumer).
 */
import { NOTIFICATION_FAMILIES, type NotificationFamily, query, User } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { ActorContext } from '../context.ts';
import { emit } from '../outbox/service.ts';
import { authorize } from '../policy/access.ts';
import { rescheduleForTimeZone } from '../reminders/service.ts';
import { collaboratorsOf } from './collaborators.ts';
import { type Channels, channelsOf, DEFAULT_CHANNELS } from './preferences.ts';
import type * as schema from './schema.ts';

type Ctx = ActorContext;

interface Row {
  id: string;
  kind: string;
  family: NotificationFamily;
  title: string;
  body: string | null;
  link: string | null;
  /** Raw query rows carry timestamps as text. */
  read_at: string | null;
  created_at: string;
  actor_id: string | null;
  actor_name: string | null;
}

const COLUMNS = `n.id, n.kind, n.family, n.title, n.body, n.link, n.read_at, n.created_at, n.actor_id, a.name as actor_name`;

function view(r: Row) {
  return {
    id: r.id,
    kind: r.kind,
    family: r.family,
    title: r.title,
    body: r.body,
    link: r.link,
    readAt: r.read_at ? new Date(r.read_at) : null,
    createdAt: new Date(r.created_at),
    actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null,
  };
}

async function unread(ctx: Ctx): Promise<number> {
  const [row] = await query<{ n: string }>(
    ctx.em,
    'select count(*) as n from notifications where recipient_id = $1 and in_app and read_at is null',
    [ctx.actor.id],
  );
  return Number(row?.n ?? 0);
}

export async function list(ctx: Ctx, input: z.infer<typeof schema.listInput>) {
  const rows = await query<Row & { total: string }>(
    ctx.em,
    `select ${COLUMNS}, count(*) over ()::text as total from notifications n
     left join users a on a.id = n.actor_id
     where n.recipient_id = $1 and n.in_app ${input.unreadOnly ? 'and n.read_at is null' : ''}
     order by n.created_at desc, n.id desc
     limit $2 offset $3`,
    [ctx.actor.id, input.pageSize, (input.page - 1) * input.pageSize],
  );
  return {
    items: rows.map(view),
    total: Number(rows[0]?.total ?? 0),
    page: input.page,
    pageSize: input.pageSize,
    unread: await unread(ctx),
  };
}

export async function unreadCount(ctx: Ctx) {
  return { unread: await unread(ctx) };
}

/** What a live subscriber is sent on every wake-up: the count, and the newest notification. */
export async function snapshot(ctx: Ctx) {
  const [latest] = await query<Row>(
    ctx.em,
    `select ${COLUMNS} from notifications n left join users a on a.id = n.actor_id
     where n.recipient_id = $1 and n.in_app order by n.created_at desc, n.id desc limit 1`,
    [ctx.actor.id],
  );
  return { unread: await unread(ctx), latest: latest ? view(latest) : null };
}

export async function markRead(ctx: Ctx, input: z.infer<typeof schema.markReadInput>) {
  await query(
    ctx.em,
    'update notifications set read_at = $1 where recipient_id = $2 and id = any($3) and read_at is null',
    [ctx.services.clock.now(), ctx.actor.id, input.notificationIds],
  );
  return { unread: await unread(ctx) };
}

export async function markAllRead(ctx: Ctx) {
  const rows = await query(
    ctx.em,
    'update notifications set read_at = $1 where recipient_id = $2 and in_app and read_at is null returning id',
    [ctx.services.clock.now(), ctx.actor.id],
  );
  return { marked: rows.length, unread: 0 };
}

export async function preferences(ctx: Ctx) {
  const user = await ctx.em.findOneOrFail(User, { id: ctx.actor.id }, { fields: ['timeZone'] });
  const chosen = await channelsOf(ctx.em, ctx.actor.id);
  return {
    timeZone: user.timeZone,
    digestHour: ctx.services.settings.digestHour,
    families: NOTIFICATION_FAMILIES.map((family) => ({
      family,
      ...chosen[family],
      defaults: DEFAULT_CHANNELS[family] as Channels,
    })),
  };
}

/**
 * Sets channels (families not listed keep theirs) and the time zone, which moves the person's
 * pending reminders to their local times in the new zone.
 */
export async function setPreferences(ctx: Ctx, input: z.infer<typeof schema.setPreferencesInput>) {
  await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    for (const f of input.families ?? []) {
      await query(
        em,
        `insert into notification_preferences (user_id, family, org_id, in_app, email) values ($1, $2, $3, $4, $5)
         on conflict (user_id, family) do update set in_app = excluded.in_app, email = excluded.email`,
        [ctx.actor.id, f.family, ctx.services.orgId, f.inApp, f.email],
      );
    }
    if (input.timeZone) {
      const user = await em.findOneOrFail(User, { id: ctx.actor.id });
      if (user.timeZone !== input.timeZone) {
        const from = user.timeZone;
        user.timeZone = input.timeZone;
        await rescheduleForTimeZone(tx, ctx.actor.id, { from, to: input.timeZone });
      }
    }
  });
  return preferences(ctx);
}

/** Who the actor may message about this budget (everyone working on it but themselves). */
export async function collaborators(ctx: Ctx, { budgetId }: z.infer<typeof schema.budgetId>) {
  await authorize(ctx, 'read', { budgetId });
  const people = await collaboratorsOf(ctx.em, { budgetId }, ctx.services.clock.now());
  return people.filter((p) => p.id !== ctx.actor.id);
}

/**
 * A message from a budget to chosen collaborators, in the app and by mail (their preferences for
 * "messages" decide; by default both). Needs comment rights on the budget.
 */
export async function send(ctx: Ctx, input: z.infer<typeof schema.sendInput>) {
  const facts = await authorize(ctx, 'comment', { budgetId: input.budgetId });
  const allowed = new Map(
    (await collaboratorsOf(ctx.em, { budgetId: input.budgetId }, ctx.services.clock.now())).map((c) => [c.id, c]),
  );
  const recipients = [...new Set(input.recipientIds)].filter((id) => id !== ctx.actor.id);
  const strangers = recipients.filter((id) => !allowed.has(id));
  if (strangers.length > 0 || recipients.length === 0) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message:
        recipients.length === 0
          ? 'recipientIds: Choose someone other than yourself.'
          : `recipientIds: ${strangers.length === 1 ? 'One person is' : `${strangers.length} people are`} not working on this budget. Choose from its owner, the owner's supervisor and the people it is shared with.`,
    });
  }
  await ctx.em.transactional(async (em) => {
    emit(
      { ...ctx, em },
      {
        topic: 'messages',
        type: 'message.sent',
        key: input.budgetId,
        payload: { budgetId: input.budgetId, goalId: facts.goalId, message: input.message, recipients },
      },
    );
  });
  return { sent: recipients.length, recipients: recipients.map((id) => allowed.get(id)?.name ?? '') };
}
