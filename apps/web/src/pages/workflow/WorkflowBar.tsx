import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage, formProblem } from '../../lib/errors.ts';
import { formatAgo, formatDateTime } from '../../lib/format.ts';
import { type BudgetDetail, errorCode, useTRPC } from '../../trpc.ts';
import { StateBadge, stateLabel } from '../budgets/StateBadge.tsx';
import { MoveDialog } from './MoveDialog.tsx';
import { ACTION_LABELS, byWhom } from './moves.ts';

type Available = BudgetDetail['workflow']['actions'][number];

/**
 * Where the budget stands in the approval workflow, and the moves the reader may make now: the
 * buttons are the server's list for this person (from the transition table), each confirmed in a
 * dialog with its reason or note. A move made on a state someone else already changed is refused
 * (CONFLICT) and said so, with a reload. Below the bar, why the grid is read-only, if it is.
 */
export function WorkflowBar({
  budget,
  onReopened,
  onShowCurrent,
}: {
  budget: BudgetDetail;
  /** After "Reopen": the new revision is the current one. */
  onReopened: () => void;
  /** Leaves an older revision for the current one. */
  onShowCurrent: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [moving, setMoving] = useState<Available | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const wf = budget.workflow;
  const current = budget.versionNumber === budget.currentVersionNumber;
  const history = useQuery(trpc.workflow.history.queryOptions({ budgetId: budget.id }));
  const acting = wf.actions.some((a) => a.onBehalfOf);
  const delegations = useQuery({ ...trpc.workflow.delegations.queryOptions({}), enabled: acting });
  const forWhom = (id: string | null) =>
    id ? (delegations.data?.received.find((d) => d.approver.id === id)?.approver.name ?? 'the approver') : null;
  const move = useMutation(
    trpc.workflow.transition.mutationOptions({
      // The dialog stays (its button busy) until the page shows the budget's new state.
      onSuccess: async (_moved, variables) => {
        await Promise.all([
          queryClient.invalidateQueries(trpc.budgets.pathFilter()),
          queryClient.invalidateQueries(trpc.workflow.pathFilter()),
          queryClient.invalidateQueries(trpc.goals.pathFilter()),
          queryClient.invalidateQueries(trpc.sharing.sharedWithMe.pathFilter()),
          queryClient.invalidateQueries(trpc.comments.pathFilter()),
        ]);
        setMoving(null);
        if (variables.action === 'reopen') onReopened();
      },
      onError: (error) => {
        if (errorCode(error) === 'CONFLICT') {
          setMoving(null);
          setConflict(errorMessage(error));
        }
      },
    }),
  );
  const reload = async () => {
    setConflict(null);
    move.reset();
    await Promise.all([
      queryClient.invalidateQueries(trpc.budgets.pathFilter()),
      queryClient.invalidateQueries(trpc.workflow.pathFilter()),
    ]);
  };
  const problem =
    move.isError && errorCode(move.error) !== 'CONFLICT' ? formProblem(move.error, { reason: ['reason'] }) : null;
  const lastSendBack = history.data?.items.find((t) => t.action === 'send-back');
  // The version's approvals as recorded, with whom a delegate acted for.
  const approval = (action: 'approve' | 'final-approve') => {
    const move = history.data?.items.find(
      (t) => t.action === action && t.versionNumber === budget.currentVersionNumber,
    );
    return move ? byWhom(move.actor.name, move.onBehalfOf?.name) : null;
  };
  const approvedBy = wf.approvedBy ? (approval('approve') ?? `by ${wf.approvedBy.name}`) : null;
  const finalBy = wf.state === 'final_approved' ? approval('final-approve') : null;
  const can = (action: string) => wf.actions.some((a) => a.action === action);
  const shown = budget.versions.find((v) => v.number === budget.versionNumber);

  let banner: { tone: 'info' | 'warning'; text: string } | null = null;
  if (!current) {
    banner = {
      tone: 'info',
      text: `Revision ${budget.versionNumber} (${shown?.lockedAt ? 'locked, final approved' : stateLabel(shown?.state ?? '').toLowerCase()}): read-only. The current revision is ${budget.currentVersionNumber}.`,
    };
  } else if (wf.state === 'submitted') {
    banner = {
      tone: 'info',
      text: `Submitted for approval: read-only until it is sent back${can('recall') ? ' or you recall it' : ''}.`,
    };
  } else if (wf.state === 'in_review') {
    banner = { tone: 'info', text: 'In review: read-only until it is sent back or approved.' };
  } else if (wf.state === 'approved') {
    banner = { tone: 'info', text: 'Approved, waiting for the final approval: read-only.' };
  } else if (wf.state === 'final_approved') {
    banner = {
      tone: 'info',
      text: `Final approved: revision ${budget.versionNumber} is locked.${can('reopen') ? ' Reopen it as a new revision to make changes.' : ''}`,
    };
  } else if (wf.state === 'cancelled') {
    banner = {
      tone: 'info',
      text: `Cancelled: read-only.${can('reopen') ? ' Reopen it as a new revision to work on it again.' : ''}`,
    };
  } else if (wf.state === 'changes_requested' && !history.isPending) {
    // Waits for the history, which holds what the approver asked for.
    banner = {
      tone: 'warning',
      text: `${lastSendBack ? `Sent back for changes ${byWhom(lastSendBack.actor.name, lastSendBack.onBehalfOf?.name)}: “${lastSendBack.reason ?? ''}”` : 'Sent back for changes.'}${can('revise') ? ' Make the changes, then choose “Revise” and submit it again.' : ''}`,
    };
  }

  return (
    <>
      <section className="gp-workflow" aria-label="Approval">
        <div className="gp-workflow__state">
          <StateBadge state={current ? wf.state : (shown?.state ?? wf.state)} />
          {current ? (
            <span>
              since {formatAgo(wf.since)}{' '}
              <time className="gp-muted" dateTime={wf.since.toISOString()}>
                ({formatDateTime(wf.since)})
              </time>
            </span>
          ) : null}
          {/* Back in draft (recalled, revised), the last submission is history, not where it stands. */}
          {current && wf.submittedBy && wf.state !== 'draft' ? <span>Submitted by {wf.submittedBy.name}</span> : null}
          {current && approvedBy ? <span>Approved {approvedBy}</span> : null}
          {current && finalBy ? <span>Final approval {finalBy}</span> : null}
        </div>
        {wf.actions.length ? (
          <div className="gp-workflow__actions">
            {acting ? (
              <span className="gp-muted">
                On behalf of {[...new Set(wf.actions.map((a) => forWhom(a.onBehalfOf)).filter(Boolean))].join(', ')}
              </span>
            ) : null}
            {wf.actions.map((a) => (
              <button
                key={a.action}
                type="button"
                className={`gp-button gp-button--small${a.action === 'cancel' ? ' gp-button--danger' : a.action === 'send-back' || a.action === 'recall' ? '' : ' gp-button--primary'}`}
                disabled={move.isPending}
                onClick={() => {
                  move.reset();
                  setConflict(null);
                  setMoving(a);
                }}
              >
                {ACTION_LABELS[a.action]}
              </button>
            ))}
          </div>
        ) : null}
      </section>
      {conflict ? (
        <div role="alert" className="gp-alert gp-alert--warning gp-workflow__conflict">
          <span>{conflict}</span>
          <button type="button" className="gp-button gp-button--small" onClick={() => void reload()}>
            Reload
          </button>
        </div>
      ) : null}
      {banner ? (
        <div className={`gp-alert gp-alert--${banner.tone} gp-workflow__banner`}>
          <span>{banner.text}</span>
          {!current ? (
            <button type="button" className="gp-button gp-button--small" onClick={onShowCurrent}>
              Go to revision {budget.currentVersionNumber}
            </button>
          ) : null}
        </div>
      ) : null}
      {moving ? (
        <MoveDialog
          action={moving.action}
          reason={moving.reason}
          subject={`“${budget.name}”`}
          busy={move.isPending}
          error={problem ? { reason: problem.fieldErrors.reason, form: problem.formError } : null}
          onCancel={() => setMoving(null)}
          onConfirm={(reason) =>
            move.mutate({ budgetId: budget.id, action: moving.action, expectedState: wf.state, reason })
          }
        >
          {moving.onBehalfOf ? <p>You act on behalf of {forWhom(moving.onBehalfOf)}; the record will say so.</p> : null}
        </MoveDialog>
      ) : null}
    </>
  );
}
