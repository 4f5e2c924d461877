import { Alert, type Column, DataTable, Page, Pager, PlusIcon, SelectField } from '@goalpost/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../lib/errors.ts';
import { plural } from '../../lib/format.ts';
import { useDebouncedValue } from '../../lib/hooks.ts';
import { money } from '../../lib/money.ts';
import { formatDate } from '../../lib/periods.ts';
import { type GoalRow, useTRPC } from '../../trpc.ts';
import { GoalDialog } from './GoalDialog.tsx';
import { GoalProgressBar } from './GoalProgressBar.tsx';

export const GOALS_PAGE_SIZE = 20;

const STATUSES = [
  { value: 'active', label: 'Active' },
  { value: 'archived', label: 'Archived' },
  { value: 'all', label: 'All' },
] as const;
type Status = (typeof STATUSES)[number]['value'];

const SORTS = [
  { value: 'updated', label: 'Recently changed' },
  { value: 'name', label: 'Name' },
  { value: 'targetDate', label: 'Target date' },
  { value: 'target', label: 'Target amount' },
] as const;
type Sort = (typeof SORTS)[number]['value'];

const columns: Column<GoalRow>[] = [
  {
    header: 'Goal',
    render: (g) => (
      <div className="gp-goal-cell">
        <Link to={`/goals/${g.id}`} className="gp-goal-cell__name">
          {g.name}
        </Link>
        <span className="gp-muted">
          {[g.category, g.status === 'archived' ? 'Archived' : null, `${plural(g.progress.budgetCount, 'budget')}`]
            .filter(Boolean)
            .join(' · ')}
        </span>
      </div>
    ),
  },
  {
    header: 'Target',
    className: 'gp-table__num',
    render: (g) => (
      <div className="gp-goal-cell">
        <span>{money(g.targetAmountMinor, g.currency)}</span>
        <span className="gp-muted">{g.targetDate ? `by ${formatDate(g.targetDate)}` : 'No date'}</span>
      </div>
    ),
  },
  {
    header: 'Progress',
    className: 'gp-table__wide',
    render: (g) => (
      <GoalProgressBar
        progress={g.progress}
        target={g.targetAmountMinor}
        currency={g.currency}
        targetDate={g.targetDate}
      />
    ),
  },
  { header: 'Owner', render: (g) => g.ownerName },
];

/** Every goal the reader may see, with filters, sort and search kept in the URL. */
export function GoalsPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const searchId = useId();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as Status | null) ?? 'active';
  const sort = (params.get('sort') as Sort | null) ?? 'updated';
  const category = params.get('category') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [search, setSearch] = useState(params.get('q') ?? '');
  const term = useDebouncedValue(search.trim(), 300);
  const [creating, setCreating] = useState(false);
  const update = (changes: Record<string, string | null>, resetPage = true) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (resetPage) next.delete('page');
    setParams(next, { replace: true });
  };
  // The debounced search term goes into the URL (and back to the first page) when it changes.
  useEffect(() => {
    setParams(
      (current) => {
        if ((current.get('q') ?? '') === term) return current;
        const next = new URLSearchParams(current);
        if (term) next.set('q', term);
        else next.delete('q');
        next.delete('page');
        return next;
      },
      { replace: true },
    );
  }, [term, setParams]);
  const list = useQuery({
    ...trpc.goals.list.queryOptions({
      status,
      sort,
      category: category || undefined,
      search: term || undefined,
      page,
      pageSize: GOALS_PAGE_SIZE,
    }),
    placeholderData: keepPreviousData,
  });
  const categories = list.data?.categories ?? [];
  return (
    <Page
      title="Goals"
      description={list.data ? plural(list.data.total, 'goal') : undefined}
      actions={
        <button type="button" className="gp-button gp-button--primary" onClick={() => setCreating(true)}>
          <PlusIcon /> New goal
        </button>
      }
    >
      <div className="gp-toolbar">
        <div className="gp-field gp-toolbar__grow">
          <label htmlFor={searchId}>Search goals</label>
          <input
            id={searchId}
            type="search"
            placeholder="Name"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <SelectField
          label="Status"
          value={status}
          options={STATUSES}
          onChange={(v) => update({ status: v === 'active' ? null : v })}
        />
        <SelectField
          label="Category"
          value={category}
          options={[{ value: '', label: 'Any category' }, ...categories.map((c) => ({ value: c, label: c }))]}
          onChange={(v) => update({ category: v || null })}
        />
        <SelectField
          label="Sort by"
          value={sort}
          options={SORTS}
          onChange={(v) => update({ sort: v === 'updated' ? null : v })}
        />
      </div>
      <Alert>{list.isError ? errorMessage(list.error) : null}</Alert>
      <DataTable
        caption="Goals"
        columns={columns}
        rows={list.data?.items ?? []}
        rowKey={(g) => g.id}
        loading={list.isPending || (list.isFetching && list.isPlaceholderData)}
        empty={
          term || category || status !== 'active'
            ? 'No goal matches these filters.'
            : 'No goals yet. Create one to start planning its budgets.'
        }
      />
      {list.data ? (
        <Pager
          page={page}
          pageSize={GOALS_PAGE_SIZE}
          total={list.data.total}
          onPageChange={(p) => update({ page: p === 1 ? null : String(p) }, false)}
          describeTotal={(n) => plural(n, 'goal')}
        />
      ) : null}
      {creating ? (
        <GoalDialog onClose={() => setCreating(false)} onSaved={(goalId) => void navigate(`/goals/${goalId}`)} />
      ) : null}
    </Page>
  );
}
