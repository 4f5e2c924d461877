/**
 * Loads what the policy decides on for one object and the acting person, in one query, and
 * enforces the decision: NOT_FOUND when the actor may not even read the object (or it does not
 * exist: the two answers are the same on purpose), FORBIDDEN when they may read it but not do this.
 * Also the SQL condition lists use, so a list only returns what the caller may read.
 */
import { TRPCError } from '@trpc/server';
import type { ActorContext } from '../context.ts';
import { type AccessFacts, allows, type ObjectAction } from './objects.ts';

export type Subject = { goalId: string } | { budgetId: string } | { forecastId: string };

export interface GoalFacts extends AccessFacts {
  kind: 'goal';
  goalId: string;
}
export interface BudgetFacts extends AccessFacts {
  kind: 'budget';
  goalId: string;
  budgetId: string;
}
export interface ForecastFacts extends AccessFacts {
  kind: 'forecast';
  goalId: string;
  budgetId: string;
  forecastId: string;
}
type FactsOf<S extends Subject> = S extends { forecastId: string }
  ? ForecastFacts
  : S extends { budgetId: string }
    ? BudgetFacts
    : GoalFacts;

const NOUN = { goal: 'goal', budget: 'budget', forecast: 'forecast' } as const;

const VERB: Record<ObjectAction, string> = {
  read: 'open',
  comment: 'comment on',
  edit: 'edit',
  manage: 'change the settings of',
};

async function loadFacts(
  ctx: ActorContext,
  subject: Subject,
): Promise<(GoalFacts | BudgetFacts | ForecastFacts) | null> {
  const org = ctx.services.orgId;
  if ('forecastId' in subject) {
    const [row] = await ctx.em.execute<{ owner_id: string; budget_id: string; goal_id: string }[]>(
      `select f.owner_id, f.budget_id, b.goal_id from forecasts f join budgets b on b.id = f.budget_id
       where f.id = ? and f.org_id = ?`,
      [subject.forecastId, org],
    );
    return row
      ? {
          kind: 'forecast',
          ownerId: row.owner_id,
          goalId: row.goal_id,
          budgetId: row.budget_id,
          forecastId: subject.forecastId,
        }
      : null;
  }
  if ('budgetId' in subject) {
    const [row] = await ctx.em.execute<{ owner_id: string; goal_id: string }[]>(
      'select owner_id, goal_id from budgets where id = ? and org_id = ?',
      [subject.budgetId, org],
    );
    return row ? { kind: 'budget', ownerId: row.owner_id, goalId: row.goal_id, budgetId: subject.budgetId } : null;
  }
  const [row] = await ctx.em.execute<{ owner_id: string }[]>('select owner_id from goals where id = ? and org_id = ?', [
    subject.goalId,
    org,
  ]);
  return row ? { kind: 'goal', ownerId: row.owner_id, goalId: subject.goalId } : null;
}

/** The facts about `subject` if the actor may do `action` to it; otherwise NOT_FOUND or FORBIDDEN. */
export async function authorize<S extends Subject>(
  ctx: ActorContext,
  action: ObjectAction,
  subject: S,
): Promise<FactsOf<S>> {
  const facts = await loadFacts(ctx, subject);
  const kind = 'forecastId' in subject ? 'forecast' : 'budgetId' in subject ? 'budget' : 'goal';
  if (!facts || !allows(ctx.actor, 'read', facts)) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `This ${NOUN[kind]} does not exist, or it has not been shared with you.`,
    });
  }
  if (!allows(ctx.actor, action, facts)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `You may not ${VERB[action]} this ${NOUN[kind]}.` });
  }
  return facts as FactsOf<S>;
}

/** What the actor may do with an object they can read, for the buttons a page shows. */
export function permissionsOn(ctx: ActorContext, facts: AccessFacts): Record<ObjectAction, boolean> {
  return {
    read: allows(ctx.actor, 'read', facts),
    comment: allows(ctx.actor, 'comment', facts),
    edit: allows(ctx.actor, 'edit', facts),
    manage: allows(ctx.actor, 'manage', facts),
  };
}

/**
 * SQL condition (with its parameters) true for goals the actor may read: `alias` is the goals
 * table's alias in the caller's query. Mirrors `allows(…, 'read', …)`; the policy test checks
 * that the two agree on every case.
 */
export function readableGoals(ctx: ActorContext, alias: string): { sql: string; params: unknown[] } {
  if (ctx.actor.roles.includes('admin')) return { sql: 'true', params: [] };
  return { sql: `${alias}.owner_id = ?`, params: [ctx.actor.id] };
}
