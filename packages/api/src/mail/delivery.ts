import { MailMessage } from '@goalpost/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import nodemailer from 'nodemailer';
import type { Clock } from '../platform/clock.ts';

export interface MailTransport {
  send(mail: { from: string; to: string; subject: string; text: string; html: string }): Promise<void>;
}

/** Replaces the secret in single-use links (…?token=…) so a stored copy cannot be used. */
export function redactLinks(body: string): string {
  return body.replace(/([?&]token=)[A-Za-z0-9]+/g, '$1[sent]');
}

/** Matches the mail-deliver queue's retry limit + 1. */
export const MAX_ATTEMPTS = 5;

export function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transporter.sendMail(mail);
    },
  };
}

/**
 * Sends one queued mail. The row is locked while sending, so two workers given the same job
 * cannot both send it; a mail already sent is skipped. A failure is recorded and rethrown so the
 * job retries with backoff.
 */
export async function deliverMail(
  em: EntityManager,
  transport: MailTransport,
  clock: Clock,
  from: string,
  mailId: string,
): Promise<'sent' | 'skipped'> {
  try {
    return await em.transactional(async (tx) => {
      const mail = await tx.findOne(
        MailMessage,
        { id: mailId, status: 'queued' },
        { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE }, // FOR UPDATE SKIP LOCKED
      );
      if (!mail) return 'skipped';
      await transport.send({ from, to: mail.toAddress, subject: mail.subject, text: mail.text, html: mail.html });
      mail.attempts += 1;
      mail.status = 'sent';
      // Once sent, the outbox keeps no working link: only the recipient's mailbox has it.
      mail.text = redactLinks(mail.text);
      mail.html = redactLinks(mail.html);
      mail.sentAt = clock.now();
      mail.lastError = null;
      return 'sent';
    });
  } catch (error) {
    // Outside the rolled-back transaction: count the attempt, keep the reason, give up after the last.
    await em
      .fork()
      .getConnection()
      .execute(
        `update mail_messages set attempts = attempts + 1, last_error = ?,
           status = case when attempts + 1 >= ? then 'failed' else status end
         where id = ? and status = 'queued'`,
        [String((error as Error).message ?? error).slice(0, 2000), MAX_ATTEMPTS, mailId],
      );
    throw error;
  }
}
