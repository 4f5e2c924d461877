import { Alert, Badge, type Column, DataTable, Loading, Page, PlusIcon, Section, UploadIcon } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage, loadError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { money } from '../../lib/money.ts';
import { formatDate, labelOf } from '../../lib/periods.ts';
import { type GoalDetail, type GoalHistoryEntry, useTRPC } from '../../trpc.ts';
import { NewBudgetDialog } from '../budgets/NewBudgetDialog.tsx';
import { StateBadge } from '../budgets/StateBadge.tsx';
import { Reminders } from '../reminders/RemindersPanel.tsx';
import { SharingActions } from '../sharing/SharingActions.tsx';
import { GoalApprovals } from '../workflow/GoalApprovals.tsx';
import { GoalDialog } from './GoalDialog.tsx';
import { GoalProgressBar } from './GoalProgressBar.tsx';

type BudgetRow = GoalDetail['budgets'][number];

/** A goal: its target and progress, its budgets and forecasts, and its history. */
export function GoalPage() {
  const { goalId = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const goal = useQuery(trpc.goals.get.queryOptions({ goalId }));
  const history = useQuery(trpc.goals.history.queryOptions({ goalId }));
  const [dialog, setDialog] = useState<'edit' | 'budget' | null>(null);
  const archive = useMutation(
    trpc.goals.archive.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.goals.pathFilter()),
    }),
  );
  if (goal.isPending) return <Loading />;
  if (goal.isError) {
    return (
      <Page title="Goal">
        <Alert>{loadError(goal.error, 'goal')}</Alert>
        <Link to="/goals">Back to goals</Link>
      </Page>
    );
  }
  const g = goal.data;
  const budgetColumns: Column<BudgetRow>[] = [
    { header: 'Budget', render: (b) => <Link to={`/budgets/${b.id}`}>{b.name}</Link> },
    {
      header: 'Periods',
      render: (b) =>
        `${labelOf(b.periodStart, b.granularity)} – ${labelOf(b.periodEnd, b.granularity)}${b.granularity === 'quarterly' ? ' (quarterly)' : ''}`,
    },
    {
      header: 'Total',
      className: 'gp-table__num',
      render: (b) => (
        <div className="gp-goal-cell">
          <span>{money(b.totalMinor, b.currency)}</span>
          {b.fxRate ? (
            <span className="gp-muted">
              at {b.fxRate} {g.currency}/{b.currency} ({formatDate(b.fxRateDate)})
            </span>
          ) : null}
        </div>
      ),
    },
    { header: 'State', render: (b) => <StateBadge state={b.state} /> },
    { header: 'Owner', render: (b) => b.ownerName },
    { header: 'Changed', render: (b) => formatDateTime(b.updatedAt) },
  ];
  const archived = g.status === 'archived';
  return (
    <Page
      title={g.name}
      description={
        <>
          {g.category ? `${g.category} · ` : ''}Target {money(g.targetAmountMinor, g.currency)}
          {g.targetDate ? ` by ${formatDate(g.targetDate)}` : ''} · Owner {g.ownerName}{' '}
          {archived ? <Badge tone="neutral">Archived</Badge> : null}
        </>
      }
      actions={
        <>
          <SharingActions subject={{ type: 'goal', id: g.id }} canShare={g.permissions.share} />
          {g.permissions.manage ? (
            <>
              <button type="button" className="gp-button" onClick={() => setDialog('edit')}>
                Edit goal
              </button>
              <button
                type="button"
                className="gp-button"
                disabled={archive.isPending}
                onClick={() => archive.mutate({ goalId: g.id, archived: !archived })}
              >
                {archived ? 'Unarchive' : 'Archive'}
              </button>
              {g.permissions.edit && !archived ? (
                <>
                  <Link className="gp-button" to={`/imports/new?goal=${g.id}`}>
                    <UploadIcon /> Import budget…
                  </Link>
                  <button type="button" className="gp-button gp-button--primary" onClick={() => setDialog('budget')}>
                    <PlusIcon /> New budget
                  </button>
                </>
              ) : null}
            </>
          ) : null}
        </>
      }
    >
      <Alert>{archive.isError ? errorMessage(archive.error) : null}</Alert>
      <div className="gp-breadcrumbs">
        <Link to="/goals">Goals</Link> / {g.name}
      </div>
      {g.description ? <p className="gp-goal-description">{g.description}</p> : null}
      <Section title="Progress">
        <GoalProgressBar
          progress={g.progress}
          target={g.targetAmountMinor}
          currency={g.currency}
          targetDate={g.targetDate}
          explained
        />
      </Section>
      <Section title="Budgets">
        <DataTable
          caption="Budgets of this goal"
          columns={budgetColumns}
          rows={g.budgets}
          rowKey={(b) => b.id}
          empty={
            g.permissions.edit
              ? 'No budgets yet. Add one with “New budget”, or bring one from a spreadsheet with “Import budget”.'
              : 'No budgets yet.'
          }
        />
      </Section>
      {g.budgets.length ? (
        <Section title="Approvals">
          <GoalApprovals goalId={g.id} />
        </Section>
      ) : null}
      <Section title="Forecasts">
        {g.forecasts.length ? (
          <ul className="gp-link-list">
            {g.forecasts.map((f) => (
              <li key={f.id}>
                <Link to={`/forecasts/${f.id}`}>{f.name}</Link>{' '}
                <span className="gp-muted">
                  for {g.budgets.find((b) => b.id === f.budgetId)?.name ?? 'a budget'} · changed{' '}
                  {formatDateTime(f.updatedAt)}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="gp-muted">No forecasts yet. Open a budget to start one.</p>
        )}
      </Section>
      <Section title="Reminders">
        <Reminders
          subject={{ goalId: g.id }}
          canRemindCollaborators={g.permissions.comment}
          targetDate={g.targetDate}
          wide
        />
      </Section>
      <Section title="History">
        {history.data?.items.length ? (
          <ol className="gp-timeline" aria-label="Goal history">
            {history.data.items.map((h) => (
              <li key={h.id}>
                <div>{describeGoalChange(h, g.currency)}</div>
                <div className="gp-timeline__meta">
                  <time dateTime={h.at.toISOString()}>{formatDateTime(h.at)}</time> · by {h.actorName}
                </div>
              </li>
            ))}
          </ol>
        ) : (
          <p className="gp-muted">{history.isPending ? 'Loading…' : 'No changes yet.'}</p>
        )}
      </Section>
      {dialog === 'edit' ? (
        <GoalDialog goal={g} onClose={() => setDialog(null)} onSaved={() => setDialog(null)} />
      ) : null}
      {dialog === 'budget' ? (
        <NewBudgetDialog goal={g} onClose={() => setDialog(null)} onCreated={(id) => void navigate(`/budgets/${id}`)} />
      ) : null}
    </Page>
  );
}

const FIELD_LABELS: Record<string, string> = {
  name: 'name',
  description: 'description',
  category: 'category',
  targetAmountMinor: 'target amount',
  targetDate: 'target date',
  status: 'status',
};

/** A goals_log row as a sentence. */
export function describeGoalChange(h: GoalHistoryEntry, currency: string): string {
  const value = (v: unknown) => {
    if (v === null || v === undefined || v === '') return 'nothing';
    if (h.field === 'targetAmountMinor') return money(BigInt(String(v)), currency);
    if (h.field === 'targetDate') return formatDate(String(v));
    return `“${String(v)}”`;
  };
  const named = (v: unknown) =>
    v && typeof v === 'object' && 'name' in v ? `“${String((v as { name: unknown }).name)}”` : '';
  switch (h.action) {
    case 'created':
      return `Created the goal ${named(h.newValue)}`;
    case 'updated':
      return `Changed the ${FIELD_LABELS[h.field ?? ''] ?? h.field} from ${value(h.oldValue)} to ${value(h.newValue)}`;
    case 'archived':
      return 'Archived the goal';
    case 'unarchived':
      return 'Brought the goal back from the archive';
    case 'budget.added':
      return `Added the budget ${named(h.newValue)}`;
    case 'budget.moved-in':
      return `Moved the budget ${named(h.newValue)} here from ${named(h.oldValue)}`;
    case 'budget.moved-out':
      return `Moved the budget ${named(h.oldValue)} to ${named(h.newValue)}`;
    default:
      return h.action;
  }
}
