import { Alert, Badge, type Column, ConfirmDialog, DataTable, Notice, SelectField, TextField } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { errorMessage, formProblem } from '../../lib/errors.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { type ApiTokenRow, useTRPC } from '../../trpc.ts';

type Scope = ApiTokenRow['scope'];

export const SCOPE_LABELS: Record<Scope, string> = { read: 'Read only', write: 'Read and write' };

/** Revoked, expired or working: one word per token, as the lists show it. */
export function tokenStatus(token: Pick<ApiTokenRow, 'revokedAt' | 'expiresAt'>, now = new Date()) {
  if (token.revokedAt) return { label: 'Revoked', tone: 'neutral' as const };
  if (token.expiresAt && token.expiresAt <= now) return { label: 'Expired', tone: 'warning' as const };
  return { label: 'Active', tone: 'success' as const };
}

type TokenCells = Pick<ApiTokenRow, 'name' | 'prefix' | 'scope' | 'createdAt' | 'lastUsedAt'>;

/** The token's name over its prefix; access; created; last used: the same cells in both token lists. */
export function tokenColumns<T extends TokenCells>(nameHeader: string): Column<T>[] {
  return [
    {
      header: nameHeader,
      render: (t) => (
        <>
          <div>{t.name}</div>
          <div className="gp-muted">
            <code>{t.prefix}…</code>
          </div>
        </>
      ),
    },
    { header: 'Access', render: (t) => SCOPE_LABELS[t.scope] },
    { header: 'Created', render: (t) => formatDate(t.createdAt) },
    { header: 'Last used', render: (t) => formatDateTime(t.lastUsedAt, 'Never') },
  ];
}

/** The last column of both token lists: a Revoke button on every token not revoked yet. */
export function revokeColumn<T extends Pick<ApiTokenRow, 'revokedAt'>>(onRevoke: (token: T) => void): Column<T> {
  return {
    header: 'Action',
    render: (t) =>
      t.revokedAt ? null : (
        <button type="button" className="gp-button gp-button--small" onClick={() => onRevoke(t)}>
          Revoke
        </button>
      ),
  };
}

/** "Revoke this token?" in both token lists; `children` says what stops working. */
export function RevokeTokenDialog({
  busy,
  onConfirm,
  onCancel,
  children,
}: {
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <ConfirmDialog
      title="Revoke this token?"
      confirmLabel="Revoke token"
      tone="danger"
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {children}
    </ConfirmDialog>
  );
}

export const SECRET_SHOWN_ONCE =
  'Copy this token now: it is shown only once. Anyone who has it can act as you through the API.';

/**
 * Account → API tokens: personal access tokens for the REST API (/api/v1). A token is named after
 * what uses it, reads or also writes, may end on a day, and is shown once when made.
 */
export function ApiTokensSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.tokens.list.queryOptions());
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('read');
  const [expiresOn, setExpiresOn] = useState('');
  const [missingName, setMissingName] = useState(false);
  const [revoking, setRevoking] = useState<ApiTokenRow | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: () => {
        setName('');
        setExpiresOn('');
        void refresh();
      },
    }),
  );
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: () => {
        setRevoking(null);
        void refresh();
      },
    }),
  );
  const problem = formProblem(create.error, { name: ['name'], expiresOn: ['expiresOn'] });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setMissingName(!name.trim());
    if (!name.trim()) return;
    create.mutate({ name, scope, expiresOn: expiresOn || null });
  };

  const columns: Column<ApiTokenRow>[] = [
    ...tokenColumns<ApiTokenRow>('Name'),
    { header: 'Expires', render: (t) => (t.expiresAt ? formatDateTime(t.expiresAt) : 'Never') },
    {
      header: 'Status',
      render: (t) => {
        const status = tokenStatus(t);
        return <Badge tone={status.tone}>{status.label}</Badge>;
      },
    },
    revokeColumn<ApiTokenRow>(setRevoking),
  ];

  return (
    <section className="gp-panel" id="api-tokens" aria-labelledby="api-tokens-title">
      <h2 id="api-tokens-title">API tokens</h2>
      <p className="gp-muted">
        Scripts and other systems use a token to call the <a href="/api/docs">REST API</a> as you, with your access and
        no more. A read-only token cannot change anything.
      </p>
      <form className="gp-toolbar" onSubmit={onSubmit} noValidate aria-label="New API token">
        <TextField
          label="Token name"
          name="token-name"
          value={name}
          onChange={(v) => {
            setName(v);
            setMissingName(false);
          }}
          placeholder="ERP sync"
          error={missingName ? 'Name the token, after what will use it.' : problem?.fieldErrors.name}
        />
        <SelectField<Scope>
          label="Access"
          value={scope}
          onChange={setScope}
          options={[
            { value: 'read', label: SCOPE_LABELS.read },
            { value: 'write', label: SCOPE_LABELS.write },
          ]}
        />
        <TextField
          label="Last day (optional)"
          type="date"
          name="token-expires"
          value={expiresOn}
          onChange={setExpiresOn}
          error={problem?.fieldErrors.expiresOn}
        />
        <button type="submit" className="gp-button gp-button--primary" disabled={create.isPending}>
          Create token
        </button>
      </form>
      <Alert>{problem?.formError}</Alert>
      {create.data ? <NewSecret name={create.data.name} secret={create.data.secret} /> : null}
      {revoke.data ? <Notice>The token “{revoke.data.name}” was revoked: it no longer works.</Notice> : null}
      <Alert>{tokens.isError ? errorMessage(tokens.error) : revoke.isError ? errorMessage(revoke.error) : null}</Alert>
      <DataTable
        caption="Your API tokens"
        columns={columns}
        rows={tokens.data ?? []}
        rowKey={(t) => t.id}
        loading={tokens.isPending}
        empty="You have no API tokens."
      />
      {revoking ? (
        <RevokeTokenDialog
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate({ tokenId: revoking.id })}
          onCancel={() => setRevoking(null)}
        >
          Whatever uses “{revoking.name}” stops working at once. This cannot be undone.
        </RevokeTokenDialog>
      ) : null}
    </section>
  );
}

function NewSecret({ name, secret }: { name: string; secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="gp-secret" role="status">
      <p>
        <strong>Token “{name}” created.</strong> {SECRET_SHOWN_ONCE}
      </p>
      <div className="gp-secret__value">
        <input aria-label="New token" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="gp-button gp-button--small"
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}
