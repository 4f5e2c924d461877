import { Alert, Badge, type Column, DataTable, Notice, Page, Pager, SelectField } from '@goalpost/ui';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { usePageFor } from '../../lib/hooks.ts';
import { type DeadLetterRow, useTRPC } from '../../trpc.ts';

export const DEAD_LETTERS_PAGE_SIZE = 25;
type Status = 'open' | 'resolved' | 'all';

/**
 * Events a consumer gave up on after its retries (Admin → Dead letters): what failed and why, and
 * a retry once the cause is fixed. A retried event is handled again by the same consumer.
 */
export function DeadLettersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>('open');
  const [page, setPage] = usePageFor(status);
  const list = useQuery({
    ...trpc.deadLetters.list.queryOptions({ status, page, pageSize: DEAD_LETTERS_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const retry = useMutation(
    trpc.deadLetters.retry.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.deadLetters.list.pathKey() }),
    }),
  );
  const columns: Column<DeadLetterRow>[] = [
    {
      header: 'Event',
      render: (d) => (
        <>
          <div>{d.type}</div>
          <div className="gp-muted">{formatDateTime(d.occurredAt)}</div>
        </>
      ),
    },
    { header: 'Consumer', render: (d) => d.consumer },
    { header: 'Attempts', render: (d) => d.attempts },
    { header: 'Last failure', render: (d) => formatDateTime(d.lastFailedAt) },
    {
      header: 'Error',
      render: (d) => (
        <details>
          <summary>{d.error.split('\n')[0]}</summary>
          <pre className="gp-pre">{`${d.error}\n\nKey: ${d.key}\nTrace: ${d.traceId ?? '—'}\nPayload: ${JSON.stringify(d.payload, null, 2)}`}</pre>
        </details>
      ),
    },
    {
      header: 'Action',
      render: (d) =>
        d.resolvedAt ? (
          <Badge tone="success">Handled</Badge>
        ) : (
          <button
            type="button"
            className="gp-button gp-button--small"
            disabled={retry.isPending}
            onClick={() => retry.mutate({ deadLetterId: d.id })}
          >
            Retry
          </button>
        ),
    },
  ];
  return (
    <Page title="Dead letters" description="Events that could not be handled after their retries">
      <p className="gp-muted">
        When an event keeps failing (five attempts), it waits here so the events after it can go on. Fix the cause, then
        retry it: people are never notified twice.
      </p>
      <div className="gp-toolbar">
        <SelectField<Status>
          label="Show"
          value={status}
          onChange={setStatus}
          options={[
            { value: 'open', label: 'Waiting for a retry' },
            { value: 'resolved', label: 'Handled' },
            { value: 'all', label: 'All' },
          ]}
        />
      </div>
      {retry.data ? (
        retry.data.resolvedAt ? (
          <Notice>The {retry.data.type} event was handled.</Notice>
        ) : (
          <Alert>The retry failed again: {retry.data.error.split('\n')[0]}</Alert>
        )
      ) : null}
      <Alert>{list.isError ? errorMessage(list.error) : retry.isError ? errorMessage(retry.error) : null}</Alert>
      <DataTable
        caption="Dead letters"
        columns={columns}
        rows={list.data?.items ?? []}
        rowKey={(d) => d.id}
        loading={list.isPending || (list.isFetching && list.isPlaceholderData)}
        empty={status === 'open' ? 'Nothing is waiting: every event was handled.' : 'No dead letters.'}
      />
      {list.data && list.data.total > DEAD_LETTERS_PAGE_SIZE ? (
        <Pager
          page={page}
          pageSize={DEAD_LETTERS_PAGE_SIZE}
          total={list.data.total}
          onPageChange={setPage}
          describeTotal={(n) => plural(n, 'dead letter')}
        />
      ) : null}
    </Page>
  );
}
