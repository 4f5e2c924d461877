import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { ApiToken } from './api-token.ts';
import { createdStamp } from './columns.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

/** Security and administration audit: lockouts, unlocks, role changes, registrations. */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_events',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    org: tenant,
    actor: () => p.manyToOne(User).nullable().deleteRule('set null'),
    action: p.string().length(60),
    subjectUser: () => p.manyToOne(User).nullable().deleteRule('set null'),
    data: p.json<Record<string, unknown>>().nullable(),
    /** The request (or job) that made the change, as in the logs. */
    traceId: p.string().length(64).nullable(),
    /** The personal access token the change was made with (REST API), null for the app and jobs. */
    token: () => p.manyToOne(ApiToken).nullable().deleteRule('set null'),
    at: createdStamp(),
  },
  indexes: [
    { name: 'audit_events_subject_idx', properties: ['subjectUser', 'at'] },
    { name: 'audit_events_org_at_idx', properties: ['org', 'at'] },
  ],
});
export type AuditEvent = InferEntity<typeof AuditEvent>;
