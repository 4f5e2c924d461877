import { Alert, Section, SidePanel } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { money } from '../../lib/money.ts';
import { labelOf } from '../../lib/periods.ts';
import { type BudgetDetail, type BudgetHistoryEntry, useTRPC } from '../../trpc.ts';
import { ACTION_DONE, byWhom, isWorkflowAction } from '../workflow/moves.ts';

export interface HistoryScope {
  lineKey?: string;
  period?: string;
}

/** The budget's history, or a line's or one cell's, newest first, with restore for the owner. */
export function BudgetHistory({
  budget,
  scope,
  onClose,
  onRestored,
}: {
  budget: BudgetDetail;
  scope: HistoryScope;
  onClose: () => void;
  onRestored: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const history = useQuery(trpc.budgets.history.queryOptions({ budgetId: budget.id, ...scope, pageSize: 100 }));
  const restore = useMutation(
    trpc.budgets.restore.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.budgets.pathFilter());
        onRestored();
      },
    }),
  );
  const line = scope.lineKey ? budget.lines.find((l) => l.key === scope.lineKey) : undefined;
  const title = scope.period
    ? `History of ${line?.category || 'a line'}, ${labelOf(scope.period, budget.granularity)}`
    : line
      ? `History of ${line.category || 'a line'}`
      : 'Budget history';
  const canRestore = budget.permissions.manage && budget.permissions.edit;
  return (
    <SidePanel title={title} subtitle={scope.lineKey ? undefined : budget.name} onClose={onClose}>
      <Alert>
        {restore.isError ? errorMessage(restore.error) : history.isError ? errorMessage(history.error) : null}
      </Alert>
      <Section title={`${history.data?.total ?? '…'} changes`}>
        {history.data?.items.length ? (
          <ol className="gp-timeline" aria-label={title}>
            {history.data.items.map((h) => (
              <li key={h.id}>
                <div>{describeBudgetChange(h, budget)}</div>
                <div className="gp-timeline__meta">
                  <time dateTime={h.at.toISOString()}>{formatDateTime(h.at)}</time> ·{' '}
                  {byWhom(h.actorName, h.onBehalfOfName)}
                  {h.versionNumber && h.versionNumber !== budget.currentVersionNumber
                    ? ` · revision ${h.versionNumber}`
                    : ''}
                </div>
                {canRestore && (h.action === 'cell' || h.action === 'line.changed' || h.action === 'restore') ? (
                  <button
                    type="button"
                    className="gp-button gp-button--small"
                    disabled={restore.isPending}
                    onClick={() => restore.mutate({ budgetId: budget.id, logId: h.id })}
                  >
                    Restore {h.oldValue === null ? 'empty' : 'earlier value'}
                  </button>
                ) : null}
              </li>
            ))}
          </ol>
        ) : (
          <p className="gp-muted">{history.isPending ? 'Loading…' : 'No changes yet.'}</p>
        )}
      </Section>
    </SidePanel>
  );
}

/** A budget_log row as a sentence. */
export function describeBudgetChange(
  h: BudgetHistoryEntry,
  budget: Pick<BudgetDetail, 'currency' | 'granularity' | 'lines'>,
): string {
  const amount = (v: unknown) => (v === null || v === undefined ? 'empty' : money(BigInt(String(v)), budget.currency));
  const text = (v: unknown) => (v === null || v === undefined || v === '' ? 'empty' : `“${String(v)}”`);
  const line = budget.lines.find((l) => l.key === h.lineKey);
  const where = `${line?.category || 'a line'}${h.period ? `, ${labelOf(h.period, budget.granularity)}` : ''}`;
  const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  switch (h.action) {
    case 'created':
      return `Created the budget “${String(obj(h.newValue).name ?? '')}”`;
    case 'cell':
      return `${where}: ${amount(h.oldValue)} → ${amount(h.newValue)}`;
    case 'restore':
      return `${where}: restored ${amount(h.newValue)} (was ${amount(h.oldValue)})`;
    case 'line.added':
      return `Added the line ${text(obj(h.newValue).category)}`;
    case 'line.removed':
      return `Removed the line ${text(obj(h.oldValue).category)}`;
    case 'line.changed':
      return `${line?.category || 'A line'}: ${h.field} ${text(h.oldValue)} → ${text(h.newValue)}${h.reason ? ` (${h.reason})` : ''}`;
    case 'lines.reordered':
      return 'Reordered the lines';
    case 'updated':
      return h.field === 'fxRate'
        ? `Changed the rate from ${String(obj(h.oldValue).rate ?? 'none')} to ${String(obj(h.newValue).rate)} (valid ${String(obj(h.newValue).date)})`
        : `Renamed from ${text(h.oldValue)} to ${text(h.newValue)}`;
    case 'moved':
      return `Moved from the goal ${text(obj(h.oldValue).name)} to ${text(obj(h.newValue).name)}`;
    case 'revision.created':
      return `Started revision ${String(obj(h.newValue).versionNumber)}`;
    default: {
      const move = h.action.startsWith('workflow.') ? h.action.slice('workflow.'.length) : '';
      if (isWorkflowAction(move)) {
        const done = move === 'reopen' ? `Reopened as revision ${h.versionNumber}` : ACTION_DONE[move];
        return h.reason ? `${done}: “${h.reason}”` : done;
      }
      return h.action;
    }
  }
}
