import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Organisation } from './organisation.ts';
import { User } from './user.ts';

/** Security and administration audit: lockouts, unlocks, role changes, registrations. */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_events',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    org: () => p.manyToOne(Organisation).deleteRule('cascade'),
    actor: () => p.manyToOne(User).nullable().deleteRule('set null'),
    action: p.string().length(60),
    subjectUser: () => p.manyToOne(User).nullable().deleteRule('set null'),
    data: p.json<Record<string, unknown>>().nullable(),
    at: p.datetime().onCreate(() => new Date()),
  },
  indexes: [
    { name: 'audit_events_subject_idx', properties: ['subjectUser', 'at'] },
    { name: 'audit_events_org_at_idx', properties: ['org', 'at'] },
  ],
});
export type AuditEvent = InferEntity<typeof AuditEvent>;
