/**
 * Mail: recorded with the change that causes it, delivered by the mail-deliver job, read by admins
 * in the in-app outbox (the way to hand out links when no mail server is configured).
 */
import { randomUUID } from 'node:crypto';
import { MailMessage, type MailStatus } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { recordAudit } from '../audit/service.ts';
import type { ActorContext, ServiceContext, Services } from '../context.ts';
import { containing } from '../platform/search.ts';
import { queues } from '../queues.ts';
import type * as schema from './schema.ts';
import type { LinkState } from './schema.ts';
import type { Composed } from './templates.ts';

export interface Recipient {
  address: string;
  userId: string | null;
}

/**
 * Records a mail in the caller's transaction (`ctx.em` must be inside one). A mail carrying a
 * single-use link names it (`linkTokenId`, the token's hash) so the outbox can show its state. With SMTP configured
 * it is `queued` and its delivery job is enqueued in the same transaction, so the mail and its job
 * commit together or not at all; without SMTP it is `captured` for the outbox.
 */
export async function sendMail(
  ctx: ServiceContext,
  to: Recipient,
  mail: Composed,
  options: { linkTokenId?: string } = {},
): Promise<MailMessage> {
  const { em, services } = ctx;
  const row = em.create(MailMessage, {
    id: randomUUID(),
    org: services.orgId,
    toAddress: to.address,
    toUser: to.userId,
    kind: mail.kind,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    status: newMailStatus(services),
    linkTokenId: options.linkTokenId ?? null,
  });
  await queueDelivery(ctx, [row.id]);
  return row;
}

/**
 * What becomes of a mail written now: `queued` for the mail server, or `captured` for the outbox
 * when none is configured (the admin hands its link over). Pages say which, never "sent" for both.
 */
export function newMailStatus(services: Services): 'queued' | 'captured' {
  return services.settings.smtpConfigured ? 'queued' : 'captured';
}

/** Enqueues delivery of mails written in `ctx.em`'s open transaction (bulk writers insert rows themselves). */
export async function queueDelivery(ctx: ServiceContext, mailIds: string[]): Promise<void> {
  if (!ctx.services.settings.smtpConfigured || mailIds.length === 0) return;
  await ctx.services.jobs.sendMany(
    queues.mailDeliver,
    mailIds.map((mailId) => ({ mailId })),
    { em: ctx.em, traceId: ctx.traceId },
  );
}

/**
 * The mail-sweep job: a delivery whose job was lost (its retries used up by a worker killed
 * mid-send, or expired) leaves the mail `queued` or with a stale `sending` claim. Hand those over
 * again with a fresh job; the claim in deliverMail keeps a mail from being sent by two jobs at once.
 */
export async function requeueStuckMail(ctx: ServiceContext, olderThanMinutes = 10): Promise<number> {
  const cutoff = new Date(ctx.services.clock.now().getTime() - olderThanMinutes * 60_000);
  const stuck = await ctx.em.find(
    MailMessage,
    {
      $or: [
        { status: 'queued', createdAt: { $lte: cutoff } },
        { status: 'sending', claimedAt: { $lte: cutoff } },
      ],
    },
    { fields: ['id'], limit: 5000, orderBy: { createdAt: 'asc' } },
  );
  await ctx.em.transactional((tx) =>
    queueDelivery(
      { ...ctx, em: tx },
      stuck.map((m) => m.id),
    ),
  );
  return stuck.length;
}

/**
 * The state of each mail's link, worked out in SQL for a whole page at once: the mail names its
 * token (by hash), and the token row says whether it was used, replaced by a newer link, or ran out.
 * A token purged by housekeeping (a week after it was spent or ran out) counts as expired.
 */
const LINK_STATE_SQL = `(case when m.link_token_id is null then null
  when t.id is null then 'expired'
  when t.superseded_at is not null then 'superseded'
  when t.used_at is not null then 'used'
  when t.expires_at <= ? then 'expired'
  else 'live' end)`;

interface MailListRow {
  id: string;
  to_address: string;
  kind: string;
  subject: string;
  status: MailStatus;
  // Timestamps arrive from the driver as text.
  created_at: string;
  sent_at: string | null;
  last_error: string | null;
  link_state: LinkState | null;
}

export async function list({ em, services }: ActorContext, input: z.infer<typeof schema.outboxListInput>) {
  const now = services.clock.now();
  const clauses = ['m.org_id = ?'];
  const params: unknown[] = [services.orgId];
  if (input.search) {
    // Matches mail_messages_to_trgm_idx.
    clauses.push('m.to_address ilike ?');
    params.push(containing(input.search));
  }
  if (input.kind) {
    clauses.push('m.kind = ?');
    params.push(input.kind);
  }
  if (input.status) {
    clauses.push('m.status = ?');
    params.push(input.status);
  }
  if (input.link) {
    clauses.push(`${LINK_STATE_SQL} = ?`);
    params.push(now, input.link);
  }
  const from = `from mail_messages m left join password_reset_tokens t on t.id = m.link_token_id
    where ${clauses.join(' and ')}`;
  const [rows, [count]] = await Promise.all([
    em.execute<MailListRow[]>(
      `select m.id, m.to_address, m.kind, m.subject, m.status, m.created_at, m.sent_at, m.last_error,
              ${LINK_STATE_SQL} as link_state
       ${from} order by m.created_at desc, m.id desc limit ? offset ?`,
      [now, ...params, input.pageSize, (input.page - 1) * input.pageSize],
    ),
    em.execute<{ n: string }[]>(`select count(*) as n ${from}`, params),
  ]);
  return {
    items: rows.map((m) => ({
      id: m.id,
      toAddress: m.to_address,
      kind: m.kind,
      subject: m.subject,
      status: m.status,
      createdAt: new Date(m.created_at),
      sentAt: m.sent_at === null ? null : new Date(m.sent_at),
      lastError: m.last_error,
      linkState: m.link_state,
    })),
    total: Number(count?.n ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
}

/**
 * Opens one mail, with its body. A captured mail may hold a live invite or reset link, so opening
 * is an action on record (a mutation, so a refetch cannot write the audit log again).
 */
export async function open(ctx: ActorContext, { mailId }: z.infer<typeof schema.mailId>) {
  const { em, services } = ctx;
  const m = await em.findOne(MailMessage, { id: mailId, org: services.orgId });
  if (!m) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such mail.' });
  const [state] = await em.execute<{ link_state: LinkState | null }[]>(
    `select ${LINK_STATE_SQL} as link_state from mail_messages m
     left join password_reset_tokens t on t.id = m.link_token_id where m.id = ?`,
    [services.clock.now(), m.id],
  );
  recordAudit(ctx, 'mail.viewed', m.toUser?.id ?? null, { mailId: m.id, kind: m.kind, status: m.status });
  await em.flush();
  return {
    id: m.id,
    toAddress: m.toAddress,
    kind: m.kind,
    subject: m.subject,
    text: m.text,
    html: m.html,
    status: m.status,
    createdAt: m.createdAt,
    sentAt: m.sentAt ?? null,
    lastError: m.lastError ?? null,
    linkState: state?.link_state ?? null,
  };
}
