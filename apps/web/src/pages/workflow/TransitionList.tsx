import { Alert, SidePanel } from '@goalpost/ui';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { type TransitionEntry, useTRPC } from '../../trpc.ts';
import { stateLabel } from '../budgets/StateBadge.tsx';
import { ACTION_DONE, byWhom } from './moves.ts';

/** A budget's moves through the workflow, newest first: what, by whom (for whom), when, why. */
export function TransitionList({
  items,
  label,
  currentVersion,
}: {
  items: readonly TransitionEntry[];
  label: string;
  /** Moves on other revisions say which. */
  currentVersion?: number;
}) {
  if (!items.length) return <p className="gp-muted">Not submitted for approval yet.</p>;
  return (
    <ol className="gp-timeline" aria-label={label}>
      {items.map((t) => (
        <li key={t.id}>
          <div>
            {t.action === 'reopen' ? `Reopened as revision ${t.versionNumber}` : ACTION_DONE[t.action]}
            <span className="gp-muted">
              {' '}
              ({stateLabel(t.from).toLowerCase()} → {stateLabel(t.to).toLowerCase()})
            </span>
          </div>
          {t.reason ? <blockquote className="gp-reason">{t.reason}</blockquote> : null}
          <div className="gp-timeline__meta">
            {byWhom(t.actor.name, t.onBehalfOf?.name)} ·{' '}
            <time dateTime={t.at.toISOString()}>{formatDateTime(t.at)}</time>
            {currentVersion !== undefined && t.versionNumber !== currentVersion ? ` · revision ${t.versionNumber}` : ''}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** The budget page's side panel of its approval history. */
export function ApprovalHistoryPanel({
  budgetId,
  name,
  currentVersion,
  onClose,
}: {
  budgetId: string;
  name: string;
  currentVersion: number;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const history = useQuery(trpc.workflow.history.queryOptions({ budgetId }));
  return (
    <SidePanel title="Approval history" subtitle={name} onClose={onClose}>
      <Alert>{history.isError ? errorMessage(history.error) : null}</Alert>
      {history.data ? (
        <TransitionList items={history.data.items} label="Approval history" currentVersion={currentVersion} />
      ) : (
        <p className="gp-muted">Loading…</p>
      )}
    </SidePanel>
  );
}
