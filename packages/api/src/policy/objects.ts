/**
 * Who may do what to one goal, budget or forecast. The one decision function for objects: every
 * goals/budgets/forecasts procedure asks `allows` (through `authorize` in access.ts) and never
 * decides by itself. The facts it decides on (owner, grants, the actor's roles) are loaded in one
 * query by access.ts; this file is pure, so its whole matrix is tested without a database.
 *
 * Someone who may not read an object is told it does not exist (NOT_FOUND), so ids of other
 * people's objects are never confirmed; someone who may read it but not do this is FORBIDDEN.
 */
import type { RoleKey } from '@goalpost/db';

export const OBJECT_ACTIONS = ['read', 'comment', 'edit', 'manage'] as const;
/**
 * read: see it and its history; comment: cell comments; edit: change its cells and lines;
 * manage: its settings, moving it, archiving, restoring history, sharing.
 */
export type ObjectAction = (typeof OBJECT_ACTIONS)[number];

export interface AccessFacts {
  ownerId: string;
}

export interface PolicyActor {
  id: string;
  roles: readonly RoleKey[];
}

export function allows(actor: PolicyActor, action: ObjectAction, facts: AccessFacts): boolean {
  if (facts.ownerId === actor.id) return true;
  // Administrators look after everyone's data: they read and correct it, but do not comment as
  // reviewers (that is the sharing levels' job).
  if (actor.roles.includes('admin')) return action !== 'comment';
  return false;
}
