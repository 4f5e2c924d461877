/**
 * The events sharing writes to the outbox (topic 'sharing'), in the transaction of the change.
 * The key is the budget id when the subject is a budget or a forecast (so they order with the
 * budget's workflow events), else the goal id. Types: grant.created, grant.updated, grant.revoked.
 * The notifications work consumes them; change the shape only by adding fields.
 */
import type { GrantLevel } from '@goalpost/db';
import type { SubjectType } from '../policy/objects.ts';

export interface SharingEventPayload {
  grantId: string;
  subject: { type: SubjectType; id: string };
  subjectName: string;
  goalId: string;
  budgetId: string | null;
  forecastId: string | null;
  granteeId: string;
  level: GrantLevel;
  /** ISO time, or null for a grant without an end. */
  expiresAt: string | null;
  grantedById: string;
  /** Added by `emit`: whoever made the change. */
  actorId?: string;
}
