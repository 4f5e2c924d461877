import { Alert, Badge, type Column, DataTable, Notice, Page, Pager, SelectField, TextField } from '@goalpost/ui';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../lib/errors.ts';
import { plural } from '../../lib/format.ts';
import { usePageFor } from '../../lib/hooks.ts';
import { type AdminApiTokenRow, useTRPC } from '../../trpc.ts';
import { RevokeTokenDialog, revokeColumn, tokenColumns, tokenStatus } from '../tokens/ApiTokensSection.tsx';

export const API_TOKENS_PAGE_SIZE = 50;
type Status = 'active' | 'all';

/** Admin → API tokens: everyone's personal access tokens, who owns each, and a revoke for any. */
export function ApiTokensPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>('active');
  const [search, setSearch] = useState('');
  const [page, setPage] = usePageFor(`${status}|${search}`);
  const [revoking, setRevoking] = useState<AdminApiTokenRow | null>(null);
  const list = useQuery({
    ...trpc.tokens.adminList.queryOptions({
      status,
      search: search.trim() || undefined,
      page,
      pageSize: API_TOKENS_PAGE_SIZE,
    }),
    placeholderData: keepPreviousData,
  });
  const revoke = useMutation(
    trpc.tokens.adminRevoke.mutationOptions({
      onSuccess: () => setRevoking(null),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.tokens.adminList.pathKey() }),
    }),
  );
  const columns: Column<AdminApiTokenRow>[] = [
    {
      header: 'Person',
      render: (t) => (
        <>
          <div>{t.user.name}</div>
          <div className="gp-muted">{t.user.email}</div>
        </>
      ),
    },
    ...tokenColumns<AdminApiTokenRow>('Token'),
    {
      header: 'Status',
      render: (t) => {
        const s = tokenStatus(t);
        return (
          <>
            <Badge tone={s.tone}>{s.label}</Badge>
            {t.user.status !== 'active' && !t.revokedAt ? <div className="gp-muted">Person not active</div> : null}
          </>
        );
      },
    },
    revokeColumn<AdminApiTokenRow>(setRevoking),
  ];
  return (
    <Page title="API tokens" description="Everyone's personal access tokens for the REST API">
      <p className="gp-muted">
        A token acts as its person, with their access. Revoke one that leaked or is no longer needed: it stops at once.
        A deactivated person's tokens stop working too.
      </p>
      <div className="gp-toolbar">
        <TextField
          label="Search"
          type="search"
          value={search}
          onChange={setSearch}
          placeholder="Token, name or email"
        />
        <SelectField<Status>
          label="Show"
          value={status}
          onChange={setStatus}
          options={[
            { value: 'active', label: 'Working tokens' },
            { value: 'all', label: 'All, revoked and expired too' },
          ]}
        />
      </div>
      {revoke.data ? <Notice>“{revoke.data.name}” was revoked: it no longer works.</Notice> : null}
      <Alert>{list.isError ? errorMessage(list.error) : revoke.isError ? errorMessage(revoke.error) : null}</Alert>
      <DataTable
        caption="API tokens"
        columns={columns}
        rows={list.data?.items ?? []}
        rowKey={(t) => t.id}
        loading={list.isPending || (list.isFetching && list.isPlaceholderData)}
        empty={status === 'active' ? 'No working tokens.' : 'No tokens.'}
      />
      {list.data && list.data.total > API_TOKENS_PAGE_SIZE ? (
        <Pager
          page={page}
          pageSize={API_TOKENS_PAGE_SIZE}
          total={list.data.total}
          onPageChange={setPage}
          describeTotal={(n) => plural(n, 'token')}
        />
      ) : null}
      {revoking ? (
        <RevokeTokenDialog
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate({ tokenId: revoking.id })}
          onCancel={() => setRevoking(null)}
        >
          {revoking.user.name}’s token “{revoking.name}” stops working at once, and their history says you revoked it.
        </RevokeTokenDialog>
      ) : null}
    </Page>
  );
}
