import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdStamp, uuidKey } from './columns.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

/**
 * An approver's approvals handed to a colleague for a while (holidays, leave): from `startsAt`
 * until `endsAt` the delegate may act on whatever the approver may approve, recorded as "by the
 * delegate on behalf of the approver". Only the approver's own rights pass: delegations never chain.
 */
export const Delegation = defineEntity({
  name: 'Delegation',
  tableName: 'delegations',
  properties: {
    id: uuidKey(),
    org: tenant,
    approver: () => p.manyToOne(User).deleteRule('cascade'),
    delegate: () => p.manyToOne(User).deleteRule('cascade'),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    /** The approver, or an admin who set it up for them. */
    createdBy: () => p.manyToOne(User).deleteRule('restrict'),
    createdAt: createdStamp(),
    revokedAt: p.datetime().nullable(),
  },
  indexes: [
    // The access check looks up the delegations in force for the person acting.
    { name: 'delegations_delegate_idx', properties: ['delegate'], where: 'revoked_at is null' },
    { name: 'delegations_approver_idx', properties: ['approver'] },
  ],
  checks: [
    { name: 'delegations_period_order', expression: 'ends_at > starts_at' },
    { name: 'delegations_not_self', expression: 'approver_id <> delegate_id' },
  ],
});
export type Delegation = InferEntity<typeof Delegation>;
