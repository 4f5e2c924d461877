import { MailMessage } from '@goalpost/db';
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { recordAudit } from '../audit/service.ts';
import { permittedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';

const read = permittedProcedure('read-mail-outbox');

/** The in-app outbox: every mail the app sent or captured, newest first. */
export const mailRouter = {
  list: read.input(schema.outboxListInput).query(async ({ ctx, input }) => {
    const where = {
      org: ctx.services.orgId,
      ...(input.search ? { toAddress: { $ilike: `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } } : {}),
    };
    const [items, total] = await ctx.em.findAndCount(MailMessage, where, {
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
  }),
  get: read.input(schema.mailId).query(async ({ ctx, input }) => {
    const m = await ctx.em.findOne(MailMessage, { id: input.mailId, org: ctx.services.orgId });
    if (!m) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such mail.' });
    // A captured mail may hold a live invite or reset link: who read it is on record.
    recordAudit(ctx.em, {
      orgId: ctx.services.orgId,
      at: ctx.services.clock.now(),
      actorId: ctx.actor.id,
      action: 'mail.viewed',
      subjectUserId: m.toUser?.id ?? null,
      data: { mailId: m.id, kind: m.kind, status: m.status },
    });
    await ctx.em.flush();
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
  }),
} satisfies TRPCRouterRecord;
