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
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { downloadText, toCsv } from '../../lib/csv.ts';
import { errorMessage } from '../../lib/errors.ts';
import { deliveryNotice, formatDateTime, plural, userStatus } from '../../lib/format.ts';
import { useDebouncedValue } from '../../lib/hooks.ts';
import { type UserRow, type UserSort, useTRPC } from '../../trpc.ts';
import { ManyUsersBar } from './ManyUsersBar.tsx';
import { NewUserDialog } from './NewUserDialog.tsx';
import { ROLE_FILTERS, STATUS_FILTERS } from './roles.ts';
import { UserDetailPanel } from './UserDetailPanel.tsx';
import { UserStatusBadge } from './UserStatusBadge.tsx';
import { filterKey, PAGE_SIZES, readUsersQuery, type UsersQuery, usersSearch } from './usersQuery.ts';

const columns: Column<UserRow>[] = [
  { header: 'Name', render: (u) => u.name, sortKey: 'name' },
  { header: 'Email', render: (u) => u.email, sortKey: 'email', className: 'gp-table__wrap' },
  { header: 'Roles', render: (u) => (u.roles.length ? u.roles.map(roleName).join(', ') : '—') },
  { header: 'Status', render: (u) => <UserStatusBadge status={u.displayStatus} />, sortKey: 'status' },
  {
    header: 'Last sign-in',
    render: (u) => formatDateTime(u.lastLoginAt, 'Never'),
    sortKey: 'lastLoginAt',
    firstDir: 'desc',
    className: 'gp-nowrap',
  },
  {
    header: 'Created',
    render: (u) => formatDateTime(u.createdAt),
    sortKey: 'createdAt',
    firstDir: 'desc',
    className: 'gp-nowrap',
  },
];

/** The export is built in the browser from one capped request (users.export answers up to 50,000 rows). */
export function usersCsv(rows: readonly UserRow[]): string {
  return toCsv(
    ['name', 'email', 'roles', 'status', 'last sign-in', 'created'],
    rows.map((u) => [
      u.name,
      u.email,
      u.roles.map(roleName).join('; '),
      userStatus(u.displayStatus).label,
      u.lastLoginAt ? u.lastLoginAt.toISOString() : '',
      u.createdAt.toISOString(),
    ]),
  );
}

/**
 * The people who can sign in. Filters, search, sort, page and the person shown live in the URL
 * (`/admin/users/<id>?q=…`), so reload, back and a shared link keep them.
 */
export function UsersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const { userId: selectedId = null } = useParams();
  const [params] = useSearchParams();
  const query = readUsersQuery(params);
  const searchId = useId();
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [exportState, setExportState] = useState<{ busy: boolean; note: string | null; error: string | null }>({
    busy: false,
    note: null,
    error: null,
  });

  /** Moves to another list state; filters start again at page 1, and typing replaces the entry. */
  const show = (next: Partial<UsersQuery>, options: { replace?: boolean } = {}) => {
    const merged = { ...query, ...next };
    if (filterKey(merged) !== filterKey(query) && next.page === undefined) merged.page = 1;
    void navigate({ pathname: location.pathname, search: usersSearch(merged) }, options);
  };
  const open = (id: string | null) =>
    void navigate({ pathname: id ? `/admin/users/${id}` : '/admin/users', search: location.search });

  // The search box follows the URL (back, a shared link) and writes to it once typing stops.
  const [search, setSearch] = useState(query.q);
  const written = useRef(query.q);
  useEffect(() => {
    if (query.q !== written.current) {
      written.current = query.q;
      setSearch(query.q);
    }
  }, [query.q]);
  const term = useDebouncedValue(search.trim(), 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new term writes the URL.
  useEffect(() => {
    if (term === written.current) return;
    written.current = term;
    show({ q: term }, { replace: true });
  }, [term]);

  // Checked people stay checked across pages and sorts; a new filter starts afresh.
  const [checks, setChecks] = useState<{ key: string; ids: Set<string> }>({ key: filterKey(query), ids: new Set() });
  const checked = checks.key === filterKey(query) ? checks.ids : new Set<string>();
  const setChecked = (ids: Set<string>) => setChecks({ key: filterKey(query), ids });

  const listInput = {
    search: query.q || undefined,
    role: query.role || undefined,
    status: query.status || undefined,
    sort: query.sort,
    dir: query.dir,
  };
  const list = useQuery({
    ...trpc.users.list.queryOptions({ ...listInput, page: query.page, pageSize: query.size }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.items ?? [];
  const total = list.data?.total ?? 0;

  const exportCsv = async () => {
    setExportState({ busy: true, note: null, error: null });
    try {
      const all = await queryClient.fetchQuery({ ...trpc.users.export.queryOptions(listInput), staleTime: 0 });
      downloadText('users.csv', usersCsv(all.items));
      setExportState({
        busy: false,
        error: null,
        note: all.truncated
          ? `Exported the first ${plural(all.items.length, 'user')} of ${all.total.toLocaleString('en-US')}. Narrow the filter to export the rest.`
          : `Exported ${plural(all.items.length, 'user')}.`,
      });
    } catch (error) {
      setExportState({ busy: false, note: null, error: errorMessage(error) });
    }
  };

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
              setNotice(null);
              setCreating(true);
            }}
          >
            <PlusIcon width={16} height={16} />
            New user
          </button>
        </>
      }
      aside={selectedId ? <UserDetailPanel key={selectedId} userId={selectedId} onClose={() => open(null)} /> : null}
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
        <SelectField label="Role" value={query.role} onChange={(role) => show({ role })} options={ROLE_FILTERS} />
        <SelectField
          label="Status"
          value={query.status}
          onChange={(status) => show({ status })}
          options={STATUS_FILTERS}
        />
        <button type="button" className="gp-button" disabled={exportState.busy} onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </div>
      <Notice>{notice}</Notice>
      <Notice tone="info">{exportState.note}</Notice>
      <Alert>{exportState.error}</Alert>
      <Alert>{list.isError ? errorMessage(list.error) : null}</Alert>
      {checked.size > 0 ? <ManyUsersBar userIds={[...checked]} onClear={() => setChecked(new Set())} /> : null}
      <DataTable
        caption="Users"
        columns={columns}
        rows={rows}
        rowKey={(u) => u.id}
        onRowSelect={(u) => open(u.id)}
        selectedKey={selectedId}
        loading={list.isPending || (list.isFetching && list.isPlaceholderData)}
        empty="No users match."
        sort={{ key: query.sort, dir: query.dir }}
        onSortChange={(s) => show({ sort: s.key as UserSort, dir: s.dir })}
        checks={{
          checked,
          label: (u) => `Select ${u.name}`,
          onCheck: (u, on) => {
            const next = new Set(checked);
            if (on) next.add(u.id);
            else next.delete(u.id);
            setChecked(next);
          },
          onCheckAll: (on) => {
            const next = new Set(checked);
            for (const u of rows) {
              if (on) next.add(u.id);
              else next.delete(u.id);
            }
            setChecked(next);
          },
        }}
      />
      {list.data ? (
        <Pager
          page={query.page}
          pageSize={query.size}
          total={total}
          onPageChange={(page) => show({ page })}
          describeTotal={(n) => plural(n, 'user')}
          pageSizes={PAGE_SIZES}
          onPageSizeChange={(size) => show({ size, page: 1 })}
        />
      ) : null}
      {creating ? (
        <NewUserDialog
          onClose={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            setNotice(deliveryNotice(user.mail, 'Invite', user.email));
            open(user.id);
          }}
        />
      ) : null}
    </Page>
  );
}
