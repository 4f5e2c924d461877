/**
 * What a budget's current version lets anyone change, by its place in the approval workflow: the
 * state side of access, beside objects.ts (who holds which right). A version takes changes (its
 * cells and lines, the budget's settings, its goal) only in draft and after changes were
 * requested. Submitted, in review and approved, approvers are reading it: nothing they read may
 * change under them, the name and rate (which changes the total in the goal's currency) and the
 * goal (whose totals it counts in) no more than a cell. Final approved, it is locked for good and
 * changes go to a new revision (reopen); cancelled, the same.
 *
 * Services call `assertOpen` under the budget's lock (budgets/cells.ts lockBudget), so a change
 * racing a submit either lands before it or is refused; permissions shown to the page use `isOpen`.
 */
import type { WorkflowState } from '@goalpost/db';
import { TRPCError } from '@trpc/server';

/** Versions in these states take changes; the others are under review, approved, locked or cancelled. */
export const EDITABLE_STATES: readonly WorkflowState[] = ['draft', 'changes_requested'];

/** What a refused change would have changed, as its message names it. */
export type VersionChange = 'cells' | 'settings' | 'goal';

const CHANGED: Record<VersionChange, string> = {
  cells: 'its cells and lines',
  settings: 'its settings (name and rate)',
  goal: 'the goal it counts toward',
};

export function isOpen(version: { state: WorkflowState; locked: boolean }): boolean {
  return !version.locked && EDITABLE_STATES.includes(version.state);
}

/** Why `change` is refused on this version and what to do about it; null when it is open. */
export function closedReason(
  version: { number: number; state: WorkflowState; locked: boolean },
  change: VersionChange,
): string | null {
  if (isOpen(version)) return null;
  const what = CHANGED[change];
  if (version.locked || version.state === 'final_approved') {
    return `Revision ${version.number} of this budget is final approved and locked, so ${what} cannot change. Reopen it as a new revision to make changes.`;
  }
  switch (version.state) {
    case 'submitted':
      return `This budget is submitted for approval, so ${what} cannot change. Recall it, or ask an approver to send it back, to make changes.`;
    case 'in_review':
      return `This budget is in review, so ${what} cannot change until an approver sends it back.`;
    case 'approved':
      return `This budget is approved and waits for the final approval, so ${what} cannot change unless the final approver sends it back.`;
    case 'cancelled':
      return `This budget is cancelled, so ${what} cannot change. Reopen it as a new revision to work on it again.`;
    default:
      return `This budget is ${version.state.replace('_', ' ')}, so ${what} cannot change.`;
  }
}

/** FORBIDDEN (the person may change this budget, but not in this state) with the reason, unless open. */
export function assertOpen(
  version: { number: number; state: WorkflowState; locked_at: Date | null },
  change: VersionChange,
): void {
  const reason = closedReason({ ...version, locked: version.locked_at !== null }, change);
  if (reason) throw new TRPCError({ code: 'FORBIDDEN', message: reason });
}
