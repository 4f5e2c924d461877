import { GoalLog } from '@goalpost/db';
import type { ServiceContext } from '../context.ts';

/** One goals_log row per changed field, in the caller's unit of work (so with the change). */
export function logGoal(
  ctx: ServiceContext,
  goalId: string,
  entry: { action: string; field?: string | null; oldValue?: unknown; newValue?: unknown },
): void {
  ctx.em.create(GoalLog, {
    org: ctx.services.orgId,
    goal: goalId,
    actor: ctx.actor?.id as string,
    action: entry.action,
    field: entry.field ?? null,
    oldValue: toJson(entry.oldValue),
    newValue: toJson(entry.newValue),
    traceId: ctx.traceId,
    at: ctx.services.clock.now(),
  });
}

/** History keeps money as decimal strings of minor units: JSON has no bigint. */
export function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  return value;
}
