import { Alert, Badge, type Column, DataTable, Page, Pager, ProgressDisplay } from '@goalpost/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { type ImportRow, useTRPC } from '../../trpc.ts';
import { IMPORT_POLL_MS, importState } from './states.ts';

export const IMPORTS_PAGE_SIZE = 20;

const TARGETS: Record<ImportRow['targetKind'], string> = {
  'new-budget': 'New budget',
  budget: 'Budget',
  forecast: 'Forecast',
};

/** `New budget “Plan 2027”`, `Forecast “Q1 outlook”`: the kind, and the name when the target still has one. */
function targetLabel(i: ImportRow): string {
  return i.targetName ? `${TARGETS[i.targetKind]} “${i.targetName}”` : TARGETS[i.targetKind];
}

/** The person's budget imports, newest first, with their state; refreshed while any is moving. */
export function ImportsPage() {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const list = useQuery({
    ...trpc.imports.list.queryOptions({ page, pageSize: IMPORTS_PAGE_SIZE }),
    placeholderData: keepPreviousData,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.items.some((i) => importState(i.state).moving) ? IMPORT_POLL_MS * 2 : false),
  });
  const columns: Column<ImportRow>[] = [
    { header: 'File', render: (i) => <Link to={`/imports/${i.id}`}>{i.fileName}</Link> },
    {
      header: 'Into',
      render: (i) =>
        i.state === 'done' && (i.forecastId || i.budgetId) ? (
          <Link to={i.forecastId ? `/forecasts/${i.forecastId}` : `/budgets/${i.budgetId}`}>{targetLabel(i)}</Link>
        ) : (
          targetLabel(i)
        ),
    },
    {
      header: 'State',
      render: (i) => {
        const s = importState(i.state);
        return <Badge tone={s.tone}>{s.label}</Badge>;
      },
    },
    {
      header: 'Progress',
      className: 'gp-imports__progress',
      render: (i) =>
        importState(i.state).moving && i.state !== 'queued' ? (
          <ProgressDisplay
            label={`Progress of ${i.fileName}`}
            value={i.progress.rows}
            max={i.progress.total ?? Math.max(i.progress.rows, 1)}
          />
        ) : i.state === 'failed' ? (
          <span className="gp-muted">{i.error ?? 'Failed'}</span>
        ) : (
          <span className="gp-muted">—</span>
        ),
    },
    { header: 'Started', render: (i) => formatDateTime(i.createdAt) },
    { header: 'Finished', render: (i) => formatDateTime(i.finishedAt) },
  ];
  return (
    <Page
      title="Imports"
      description={list.data ? plural(list.data.total, 'import') : undefined}
      actions={
        <Link className="gp-button" to="/goals">
          Import from a goal or budget…
        </Link>
      }
    >
      <Alert>{list.isError ? errorMessage(list.error) : null}</Alert>
      <DataTable
        caption="Your imports"
        columns={columns}
        rows={list.data?.items ?? []}
        rowKey={(i) => i.id}
        loading={list.isFetching && !list.data}
        empty={
          <>
            No imports yet. Open a goal and choose “Import budget…”, or a budget and choose “Import…”, to bring a
            spreadsheet in.
          </>
        }
      />
      {list.data && list.data.total > IMPORTS_PAGE_SIZE ? (
        <Pager
          page={page}
          pageSize={IMPORTS_PAGE_SIZE}
          total={list.data.total}
          onPageChange={setPage}
          describeTotal={(n) => plural(n, 'import')}
        />
      ) : null}
    </Page>
  );
}
