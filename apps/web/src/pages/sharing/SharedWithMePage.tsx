import { Alert, type Column, DataTable, Page, Pager, SelectField } from '@goalpost/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../lib/errors.ts';
import { formatDate, plural } from '../../lib/format.ts';
import { type SharedItem, useTRPC } from '../../trpc.ts';
import { StateBadge } from '../budgets/StateBadge.tsx';
import { LEVELS, type SubjectType } from './levels.ts';

export const SHARED_PAGE_SIZE = 25;

const TYPES = [
  { value: '', label: 'Everything' },
  { value: 'goal', label: 'Goals' },
  { value: 'budget', label: 'Budgets' },
  { value: 'forecast', label: 'Forecasts' },
] as const;

const PATHS: Record<SubjectType, string> = { goal: '/goals', budget: '/budgets', forecast: '/forecasts' };
const KIND: Record<SubjectType, string> = { goal: 'Goal', budget: 'Budget', forecast: 'Forecast' };

const columns: Column<SharedItem>[] = [
  {
    header: 'Name',
    render: (s) => (
      <div className="gp-goal-cell">
        <Link to={`${PATHS[s.subject.type]}/${s.subject.id}`} className="gp-goal-cell__name">
          {s.name}
        </Link>
        <span className="gp-muted">
          {KIND[s.subject.type]}
          {s.subject.type !== 'goal' ? (
            <>
              {' '}
              in <Link to={`/goals/${s.goal.id}`}>{s.goal.name}</Link>
            </>
          ) : null}
          {s.subject.type === 'forecast' && s.budget ? ` · of ${s.budget.name}` : ''}
        </span>
      </div>
    ),
  },
  { header: 'Owner', render: (s) => s.owner.name },
  { header: 'Your access', render: (s) => `${LEVELS[s.level].label}: ${LEVELS[s.level].does}` },
  { header: 'State', render: (s) => (s.state ? <StateBadge state={s.state} /> : <span className="gp-muted">—</span>) },
  {
    header: 'Shared',
    render: (s) => (
      <div className="gp-goal-cell">
        <span>by {s.sharedBy.name}</span>
        <span className="gp-muted">{formatDate(s.sharedAt)}</span>
      </div>
    ),
  },
  { header: 'Until', render: (s) => (s.expiresAt ? formatDate(s.expiresAt) : 'Until revoked') },
];

/** Goals, budgets and forecasts other people shared with the reader, newest first, by kind. */
export function SharedWithMePage() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const type = (params.get('type') ?? '') as SubjectType | '';
  const page = Number(params.get('page') ?? '1') || 1;
  const list = useQuery({
    ...trpc.sharing.sharedWithMe.queryOptions({ type: type || undefined, page, pageSize: SHARED_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  const what = type ? `${type}s` : 'goals, budgets or forecasts';
  return (
    <Page title="Shared with me" description={list.data ? plural(list.data.total, 'item') : undefined}>
      <div className="gp-toolbar">
        <SelectField label="Show" value={type} options={TYPES} onChange={(v) => set({ type: v || null, page: null })} />
      </div>
      <Alert>{list.isError ? errorMessage(list.error) : null}</Alert>
      <DataTable
        caption="Shared with me"
        columns={columns}
        rows={list.data?.items ?? []}
        rowKey={(s) => s.grantId}
        loading={list.isPending || (list.isFetching && list.isPlaceholderData)}
        empty={`Nobody has shared any ${what} with you yet. What you own is under Goals; what waits for your approval is under Approvals.`}
      />
      {list.data ? (
        <Pager
          page={page}
          pageSize={SHARED_PAGE_SIZE}
          total={list.data.total}
          onPageChange={(p) => set({ page: p === 1 ? null : String(p) })}
          describeTotal={(n) => plural(n, 'item')}
        />
      ) : null}
    </Page>
  );
}
