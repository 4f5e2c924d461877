/**
 * Mail: recorded with the change that causes it, delivered by the mail-deliver job, read by admins
 * in the in-app outbox (the way to hand out links when no mail server is configured).
 */
import { randomUUID } from 'node:crypto';
import { MailMessage } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { recordAudit } from '../audit/service.ts';
import type { ActorContext, ServiceContext } from '../context.ts';
import { containing } from '../platform/search.ts';
import { queues } from '../queues.ts';
import type * as schema from './schema.ts';
import type { Composed } from './templates.ts';

export interface Recipient {
  address: string;
  userId: string | null;
}

/**
 * Records a mail in the caller's transaction (`ctx.em` must be inside one). With SMTP configured
 * it is `queued` and its delivery job is enqueued in the same transaction, so the mail and its job
 * commit together or not at all; without SMTP it is `captured` for the outbox.
 */
export async function sendMail(ctx: ServiceContext, to: Recipient, mail: Composed): Promise<MailMessage> {
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
    status: services.settings.smtpConfigured ? 'queued' : 'captured',
  });
  await queueDelivery(ctx, [row.id]);
  return row;
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

export async function list({ em, services }: ActorContext, input: z.infer<typeof schema.outboxListInput>) {
  const where = {
    org: services.orgId,
    ...(input.search ? { toAddress: { $ilike: containing(input.search) } } : {}),
  };
  const [items, total] = await em.findAndCount(MailMessage, where, {
    orderBy: { createdAt: 'desc', id: 'desc' },
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
    fields: ['id', 'toAddress', 'kind', 'subject', 'status', 'createdAt', 'sentAt', 'attempts', 'lastError'],
  });
  return {
    items: items.map((m) => ({
      id: m.id,
      toAddress: m.toAddress,
      kind: m.kind,
      subject: m.subject,
      status: m.status,
      createdAt: m.createdAt,
      sentAt: m.sentAt ?? null,
      lastError: m.lastError ?? null,
    })),
    total,
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
  };
}
