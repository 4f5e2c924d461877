import { Alert, type Column, DataTable, Notice, Page, Pager } from '@goalpost/ui';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage, formProblem } from '../../lib/errors.ts';
import { formatAgo, formatDateTime, plural } from '../../lib/format.ts';
import { money } from '../../lib/money.ts';
import { type InboxItem, useTRPC } from '../../trpc.ts';
import { StateBadge } from '../budgets/StateBadge.tsx';
import { MoveDialog } from './MoveDialog.tsx';
import { ACTION_DONE, type WorkflowAction } from './moves.ts';

export const INBOX_PAGE_SIZE = 50;

type Batch = 'approve' | 'send-back';
interface Outcome {
  budgetId: string;
  name: string;
  ok: boolean;
  text: string;
}

const columns: Column<InboxItem>[] = [
  {
    header: 'Budget',
    render: (i) => (
      <div className="gp-goal-cell">
        <Link to={`/budgets/${i.budgetId}`} className="gp-goal-cell__name">
          {i.budgetName}
        </Link>
        <span className="gp-muted">
          <Link to={`/goals/${i.goal.id}`}>{i.goal.name}</Link> · revision {i.versionNumber}
        </span>
      </div>
    ),
  },
  { header: 'Owner', render: (i) => i.owner.name },
  {
    header: 'Waiting for',
    render: (i) => (
      <div className="gp-goal-cell">
        <span>
          <StateBadge state={i.state} />
        </span>
        <span className="gp-muted">
          {i.waitingFor === 'final-approve' ? 'your final approval' : 'your approval'}
          {i.onBehalfOf ? ` on behalf of ${i.onBehalfOf.name}` : ''}
        </span>
      </div>
    ),
  },
  {
    header: 'Since',
    render: (i) => (
      <div className="gp-goal-cell">
        <span>{formatAgo(i.since)}</span>
        <time className="gp-muted" dateTime={i.since.toISOString()}>
          {formatDateTime(i.since)}
        </time>
      </div>
    ),
  },
  { header: 'Total', className: 'gp-table__num', render: (i) => money(i.totalMinor, i.currency) },
];

/** The move "Approve selected" makes on an item: the first approval, or the final one. */
function approvalOf(item: InboxItem): WorkflowAction | null {
  if (item.actions.some((a) => a.action === 'final-approve')) return 'final-approve';
  if (item.actions.some((a) => a.action === 'approve')) return 'approve';
  return null;
}

/**
 * What waits for the reader's approval (in their own right or as someone's delegate), oldest
 * first. Checked budgets are approved or sent back together: each is still its own move, with its
 * own history, and each one's outcome is listed (one refused does not hold back the others).
 */
export function InboxPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const inbox = useQuery({
    ...trpc.workflow.inbox.queryOptions({ page, pageSize: INBOX_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [asking, setAsking] = useState<Batch | null>(null);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const bulk = useMutation(trpc.workflow.bulk.mutationOptions());
  const items = inbox.data?.items ?? [];
  const selected = items.filter((i) => checked.has(i.budgetId));

  const run = async (batch: Batch, reason: string | undefined) => {
    const groups = new Map<WorkflowAction, InboxItem[]>();
    for (const item of selected) {
      const action =
        batch === 'approve'
          ? approvalOf(item)
          : item.actions.some((a) => a.action === 'send-back')
            ? 'send-back'
            : null;
      if (action) groups.set(action, [...(groups.get(action) ?? []), item]);
    }
    const found: Outcome[] = selected
      .filter((i) => ![...groups.values()].some((g) => g.includes(i)))
      .map((i) => ({
        budgetId: i.budgetId,
        name: i.budgetName,
        ok: false,
        text: batch === 'approve' ? 'You may not approve this one now.' : 'You may not send this one back now.',
      }));
    try {
      for (const [action, group] of groups) {
        const answer = await bulk.mutateAsync({
          action,
          reason,
          items: group.map((i) => ({ budgetId: i.budgetId, expectedState: i.state })),
        });
        for (const r of answer.results) {
          const name = group.find((i) => i.budgetId === r.budgetId)?.budgetName ?? 'A budget';
          found.push(
            r.ok
              ? { budgetId: r.budgetId, name, ok: true, text: ACTION_DONE[action] }
              : { budgetId: r.budgetId, name, ok: false, text: r.message },
          );
        }
      }
    } catch {
      // The whole request failed (a reason too long, the connection): shown from the mutation.
      return;
    } finally {
      await Promise.all([
        queryClient.invalidateQueries(trpc.workflow.pathFilter()),
        queryClient.invalidateQueries(trpc.budgets.pathFilter()),
        queryClient.invalidateQueries(trpc.goals.pathFilter()),
      ]);
    }
    setAsking(null);
    setChecked(new Set());
    setOutcomes(found);
  };

  const problem = bulk.isError ? formProblem(bulk.error, { reason: ['reason'] }) : null;
  const done = outcomes?.filter((o) => o.ok) ?? [];
  const refused = outcomes?.filter((o) => !o.ok) ?? [];
  return (
    <Page
      title="Approvals"
      description={
        inbox.data ? `${plural(inbox.data.total, 'budget')} waiting for you, oldest first` : 'Budgets waiting for you'
      }
    >
      <Alert>{inbox.isError ? errorMessage(inbox.error) : null}</Alert>
      {selected.length ? (
        <section className="gp-actionbar" aria-label="Actions on the selected budgets">
          <span className="gp-actionbar__count">{plural(selected.length, 'budget')} selected</span>
          <button
            type="button"
            className="gp-button gp-button--small gp-button--primary"
            onClick={() => {
              bulk.reset();
              setAsking('approve');
            }}
          >
            Approve selected
          </button>
          <button
            type="button"
            className="gp-button gp-button--small"
            onClick={() => {
              bulk.reset();
              setAsking('send-back');
            }}
          >
            Send back selected
          </button>
          <button type="button" className="gp-button gp-button--small" onClick={() => setChecked(new Set())}>
            Clear selection
          </button>
        </section>
      ) : null}
      {outcomes ? (
        <section aria-label="Outcome" className="gp-outcomes">
          {done.length ? (
            <Notice>
              {plural(done.length, 'budget')} done:
              <ul className="gp-results">
                {done.map((o) => (
                  <li key={o.budgetId}>
                    <Link to={`/budgets/${o.budgetId}`}>{o.name}</Link>: {o.text.toLowerCase()}
                  </li>
                ))}
              </ul>
            </Notice>
          ) : null}
          {refused.length ? (
            <Alert tone="warning">
              {plural(refused.length, 'budget')} not moved:
              <ul className="gp-results">
                {refused.map((o) => (
                  <li key={o.budgetId}>
                    <Link to={`/budgets/${o.budgetId}`}>{o.name}</Link>: {o.text}
                  </li>
                ))}
              </ul>
            </Alert>
          ) : null}
        </section>
      ) : null}
      <DataTable
        caption="Budgets waiting for your approval"
        columns={columns}
        rows={items}
        rowKey={(i) => i.budgetId}
        loading={inbox.isPending}
        empty="Nothing waits for you. Budgets appear here when their owners submit them to you as accountant, supervisor or approver, or to someone whose approvals you hold as their delegate."
        checks={{
          checked,
          label: (i) => `Select ${i.budgetName}`,
          onCheck: (i, on) =>
            setChecked((c) => {
              const next = new Set(c);
              if (on) next.add(i.budgetId);
              else next.delete(i.budgetId);
              return next;
            }),
          onCheckAll: (on) => setChecked(on ? new Set(items.map((i) => i.budgetId)) : new Set()),
        }}
      />
      {inbox.data && inbox.data.total > INBOX_PAGE_SIZE ? (
        <Pager
          page={page}
          pageSize={INBOX_PAGE_SIZE}
          total={inbox.data.total}
          onPageChange={(p) => {
            setChecked(new Set());
            setPage(p);
          }}
          describeTotal={(n) => plural(n, 'budget')}
        />
      ) : null}
      {asking ? (
        <MoveDialog
          action={asking}
          reason={asking === 'send-back' ? 'required' : 'optional'}
          subject={plural(selected.length, 'budget')}
          busy={bulk.isPending}
          error={problem ? { reason: problem.fieldErrors.reason, form: problem.formError } : null}
          onCancel={() => setAsking(null)}
          onConfirm={(reason) => void run(asking, reason)}
        >
          {asking === 'approve' && selected.some((i) => approvalOf(i) === 'final-approve') ? (
            <p>Approved budgets among them get your final approval, which locks them.</p>
          ) : null}
        </MoveDialog>
      ) : null}
    </Page>
  );
}
