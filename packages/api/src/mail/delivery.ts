/**
 * Delivery of one mail, in three steps so no database lock or connection is held while the mail
 * server answers:
 *   1. claim: one conditional UPDATE moves the mail from `queued` (or a stale `sending` claim) to
 *      `sending` and counts the attempt; a mail already sent, or claimed by a live attempt, is skipped;
 *   2. send over SMTP, outside any transaction, with a Message-ID derived from the mail's id;
 *   3. record the outcome: `sent` (and the stored copy's links redacted), or back to `queued` with
 *      the reason for the job's retry, or `failed` after the last attempt.
 * Guarantee: at-least-once. A process that dies between 2 and 3 leaves a stale claim; a later
 * attempt sends again with the same Message-ID, which receiving servers use to drop the duplicate.
 */
import type { Transporter } from 'nodemailer';
import type { ServiceContext } from '../context.ts';
import { type BreakerOptions, CircuitOpenError, circuitBreaker } from '../platform/breaker.ts';
import type { Logger } from '../platform/logger.ts';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  /** False while the SMTP circuit is open: delivery then fails before claiming, so no attempt is spent. */
  accepting?(): boolean;
}

/** Replaces the secret in single-use links (…?token=…) so a stored copy cannot be used. */
export function redactLinks(body: string): string {
  return body.replace(/([?&]token=)[A-Za-z0-9]+/g, '$1[sent]');
}

/** Matches the mail-deliver queue's retry limit + 1. */
export const MAX_ATTEMPTS = 5;

/** A claim older than this belongs to an attempt that died (the mail-deliver job expires after 120 s). */
export const CLAIM_LEASE_SECONDS = 180;

/** SMTP through a circuit breaker: a mail server that stops answering makes sends fail fast. */
export function smtpTransport(smtpUrl: string, options: BreakerOptions & { log?: Logger } = {}): MailTransport {
  // nodemailer is loaded by the first mail sent, not by every process that imports the API.
  let transporter: Promise<Transporter> | undefined;
  const breaker = circuitBreaker(
    'smtp',
    async (mail: OutgoingMail) => {
      transporter ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(smtpUrl));
      await (await transporter).sendMail(mail);
    },
    options,
  );
  return {
    send: (mail) => breaker.fire(mail),
    accepting: () => breaker.accepting(),
  };
}

export function messageIdFor(mailId: string, publicUrl: string): string {
  return `<${mailId}@${new URL(publicUrl).hostname}>`;
}

export async function deliverMail(ctx: ServiceContext, { mailId }: { mailId: string }): Promise<'sent' | 'skipped'> {
  const { services } = ctx;
  const transport = services.mailer;
  if (!transport) return 'skipped';
  // While the circuit is open the job fails here, before claiming: pg-boss retries it later with
  // backoff (and the sweep re-queues it if those run out), and the mail keeps all its attempts.
  if (transport.accepting && !transport.accepting()) throw new CircuitOpenError('smtp');
  const connection = ctx.em.getConnection();
  const now = services.clock.now();
  const staleBefore = new Date(now.getTime() - CLAIM_LEASE_SECONDS * 1000);
  const [mail] = await connection.execute<
    { to_address: string; subject: string; text: string; html: string; attempts: number }[]
  >(
    `update mail_messages set status = 'sending', claimed_at = ?, attempts = attempts + 1
     where id = ? and (status = 'queued' or (status = 'sending' and claimed_at < ?))
     returning to_address, subject, text, html, attempts`,
    [now, mailId, staleBefore],
  );
  if (!mail) return 'skipped';
  try {
    await transport.send({
      from: services.settings.mailFrom,
      to: mail.to_address,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: messageIdFor(mailId, services.settings.publicUrl),
    });
  } catch (error) {
    await connection.execute(
      `update mail_messages set last_error = ?, claimed_at = null,
         status = case when attempts >= ? then 'failed' else 'queued' end
       where id = ? and status = 'sending'`,
      [String((error as Error).message ?? error).slice(0, 2000), MAX_ATTEMPTS, mailId],
    );
    throw error;
  }
  // Once sent, the outbox keeps no working link: only the recipient's mailbox has it.
  await connection.execute(
    `update mail_messages set status = 'sent', sent_at = ?, last_error = null, claimed_at = null, text = ?, html = ?
     where id = ?`,
    [services.clock.now(), redactLinks(mail.text), redactLinks(mail.html), mailId],
  );
  return 'sent';
}
