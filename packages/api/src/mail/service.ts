import { MailMessage } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../context.ts';
import { queues } from '../platform/jobs.ts';
import type { Composed } from './templates.ts';

export interface Recipient {
  address: string;
  userId: string | null;
}

/**
 * Records mails in the caller's unit of work. With SMTP configured they are `queued` for the
 * mail-deliver job; without it they are `captured` and only shown in the in-app outbox. Call
 * `dispatchMail` with the returned ids once the transaction has committed.
 */
export function recordMail(em: EntityManager, services: Services, to: Recipient, mail: Composed): MailMessage {
  return em.create(MailMessage, {
    org: services.orgId,
    toAddress: to.address,
    toUser: to.userId,
    kind: mail.kind,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    status: services.settings.smtpConfigured ? 'queued' : 'captured',
    createdAt: services.clock.now(),
  });
}

export async function dispatchMail(services: Services, mailIds: string[]): Promise<void> {
  if (!services.settings.smtpConfigured || mailIds.length === 0) return;
  // The mail id is the job id, so handing a mail over twice (the sweep) queues it once.
  await services.jobs.sendMany(
    queues.mailDeliver.name,
    mailIds.map((mailId) => ({ id: mailId, data: { mailId } })),
  );
}

/**
 * Mails stay `queued` if the process died between committing them and handing them to the queue.
 * The mail-sweep job hands such mails over again; delivery skips any already sent, so a mail is
 * never sent twice.
 */
export async function requeueStuckMail(services: Services, olderThanMinutes = 5): Promise<number> {
  const cutoff = new Date(services.clock.now().getTime() - olderThanMinutes * 60_000);
  const stuck = await services.orm.em
    .fork()
    .find(
      MailMessage,
      { status: 'queued', createdAt: { $lte: cutoff } },
      { fields: ['id'], limit: 5000, orderBy: { createdAt: 'asc' } },
    );
  await dispatchMail(
    services,
    stuck.map((m) => m.id),
  );
  return stuck.length;
}
