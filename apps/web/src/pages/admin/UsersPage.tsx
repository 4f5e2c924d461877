import {
  Alert,
  type Column,
  DataTable,
  Notice,
  Page,
  Pager,
  PlusIcon,
  roleName,
  SelectField,
  UploadIcon,
} from '@goalpost/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { useDebouncedValue, usePageFor } from '../../lib/hooks.ts';
import { type Role, type UserRow, useTRPC } from '../../trpc.ts';
import { NewUserDialog } from './NewUserDialog.tsx';
import { ROLE_FILTERS, STATUS_FILTERS, type StatusFilter } from './roles.ts';
import { UserDetailPanel } from './UserDetailPanel.tsx';
import { UserStatusBadges } from './UserStatusBadges.tsx';

export const USERS_PAGE_SIZE = 25;

const columns: Column<UserRow>[] = [
  { header: 'Name', render: (u) => u.name },
  { header: 'Email', render: (u) => u.email },
  { header: 'Roles', render: (u) => (u.roles.length ? u.roles.map(roleName).join(', ') : '—') },
  { header: 'Status', render: (u) => <UserStatusBadges user={u} /> },
  { header: 'Last sign-in', render: (u) => formatDateTime(u.lastLoginAt, 'Never') },
];

export function UsersPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const searchId = useId();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [status, setStatus] = useState<StatusFilter | ''>('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const term = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = usePageFor(JSON.stringify([term, role, status]));

  const list = useQuery({
    ...trpc.users.list.queryOptions({
      search: term || undefined,
      role: role || undefined,
      status: status || undefined,
      page,
      pageSize: USERS_PAGE_SIZE,
    }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.items ?? [];
  const total = list.data?.total ?? 0;

  return (
    <Page
      title="Users"
      description="People who can sign in to Goalpost, and their roles"
      actions={
        <>
          <button type="button" className="gp-button" onClick={() => void navigate('/admin/users/import')}>
            <UploadIcon width={16} height={16} />
            Bulk import
          </button>
          <button
            type="button"
            className="gp-button gp-button--primary"
            onClick={() => {
              setSelectedId(null);
              setNotice(null);
              setCreating(true);
            }}
          >
            <PlusIcon width={16} height={16} />
            New user
          </button>
        </>
      }
      aside={
        selectedId ? <UserDetailPanel key={selectedId} userId={selectedId} onClose={() => setSelectedId(null)} /> : null
      }
    >
      <div className="gp-toolbar">
        <div className="gp-field gp-toolbar__grow">
          <label htmlFor={searchId}>Search users</label>
          <input
            id={searchId}
            type="search"
            placeholder="Name or email"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <SelectField label="Role" value={role} onChange={setRole} options={ROLE_FILTERS} />
        <SelectField label="Status" value={status} onChange={setStatus} options={STATUS_FILTERS} />
      </div>
      <Notice>{notice}</Notice>
      <Alert>{list.isError ? errorMessage(list.error) : null}</Alert>
      <DataTable
        caption="Users"
        columns={columns}
        rows={rows}
        rowKey={(u) => u.id}
        onRowSelect={(u) => setSelectedId(u.id)}
        selectedKey={selectedId}
        loading={list.isPending || (list.isFetching && list.isPlaceholderData)}
        empty="No users match."
      />
      {list.data ? (
        <Pager
          page={page}
          pageSize={USERS_PAGE_SIZE}
          total={total}
          onPageChange={setPage}
          describeTotal={(n) => plural(n, 'user')}
        />
      ) : null}
      {creating ? (
        <NewUserDialog
          onClose={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            setNotice(`Invite sent to ${user.email}.`);
            setSelectedId(user.id);
          }}
        />
      ) : null}
    </Page>
  );
}
