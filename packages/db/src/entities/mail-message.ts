import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdStamp, uuidKey } from './columns.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

export const MAIL_STATUSES = ['captured', 'queued', 'sending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * Every mail the app sends. With SMTP configured it is queued and delivered by a job; without it
 * it is captured here and admins read it in the in-app outbox.
 */
export const MailMessage = defineEntity({
  name: 'MailMessage',
  tableName: 'mail_messages',
  properties: {
    id: uuidKey(),
    org: tenant,
    toAddress: p.string().length(320),
    toUser: () => p.manyToOne(User).nullable().deleteRule('set null'),
    kind: p.string().length(40),
    subject: p.string().length(300),
    text: p.text(),
    html: p.text(),
    status: p.enum(MAIL_STATUSES),
    /**
     * The id (SHA-256) of the single-use link the mail carries, so the outbox can tell a live link
     * from a used, replaced or expired one. No foreign key: spent links are purged after a week.
     */
    linkTokenId: p.string().length(64).nullable(),
    attempts: p.integer().default(0),
    /** When a delivery attempt claimed the mail (status `sending`); a stale claim is a lost attempt. */
    claimedAt: p.datetime().nullable(),
    lastError: p.text().nullable(),
    createdAt: createdStamp(),
    sentAt: p.datetime().nullable(),
  },
  indexes: [
    // The outbox lists newest first.
    { name: 'mail_messages_org_created_idx', properties: ['org', 'createdAt'] },
    // The outbox searches any part of the recipient (`%term%`): trigrams, not a b-tree.
    {
      name: 'mail_messages_to_trgm_idx',
      expression: `create index "mail_messages_to_trgm_idx" on "mail_messages" using gin ("to_address" gin_trgm_ops)`,
    },
    // The mail sweep looks only at mails still waiting or in flight; the partial index stays tiny.
    { name: 'mail_messages_queued_idx', properties: ['createdAt'], where: "status in ('queued', 'sending')" },
  ],
});
export type MailMessage = InferEntity<typeof MailMessage>;
