import { Alert } from '@goalpost/ui';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../lib/errors.ts';
import { formatAgo, formatDateTime, plural } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { StateBadge } from '../budgets/StateBadge.tsx';
import { TransitionList } from './TransitionList.tsx';

/** The goal page's view of approvals: where each budget stands, since when, and its moves. */
export function GoalApprovals({ goalId }: { goalId: string }) {
  const trpc = useTRPC();
  const history = useQuery(trpc.workflow.goalHistory.queryOptions({ goalId }));
  if (history.isError) return <Alert>{errorMessage(history.error)}</Alert>;
  if (!history.data) return <p className="gp-muted">Loading…</p>;
  return (
    <ul className="gp-goal-approvals">
      {history.data.budgets.map((b) => (
        <li key={b.budgetId}>
          <div className="gp-goal-approvals__head">
            {/* The budgets table above links each budget; one link per budget keeps the page's links unambiguous. */}
            <strong>{b.name}</strong>
            <StateBadge state={b.state} />
            <span className="gp-muted">
              revision {b.versionNumber} · since {formatAgo(b.since)} (
              <time dateTime={b.since.toISOString()}>{formatDateTime(b.since)}</time>)
            </span>
          </div>
          {b.transitions.length ? (
            <details className="gp-goal-approvals__moves">
              <summary>{plural(b.transitions.length, 'move')} through the approval workflow</summary>
              <TransitionList
                items={b.transitions}
                label={`Approval history of ${b.name}`}
                currentVersion={b.versionNumber}
              />
            </details>
          ) : (
            <p className="gp-muted">Not submitted for approval yet.</p>
          )}
        </li>
      ))}
    </ul>
  );
}
