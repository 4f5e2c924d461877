import { Alert, CheckboxGroup, Loading, Notice, Section, SidePanel } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../lib/errors.ts';
import { describeAudit, formatDateTime } from '../../lib/format.ts';
import { useCurrentUser } from '../../session.tsx';
import { type Role, type UserDetail, useTRPC } from '../../trpc.ts';
import { ROLE_OPTIONS } from './roles.ts';
import { UserStatusBadges } from './UserStatusBadges.tsx';

export function UserDetailPanel({ userId, onClose }: { userId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const [notice, setNotice] = useState<string | null>(null);
  // A toggled role shows at once and reverts if the server refuses the change.
  const [optimistic, setOptimistic] = useState<Partial<Record<Role, boolean>>>({});
  const detail = useQuery(trpc.users.get.queryOptions({ userId }));
  const detailKey = trpc.users.get.queryKey({ userId });

  const applied = (user: UserDetail) => {
    queryClient.setQueryData(detailKey, user);
    void queryClient.invalidateQueries(trpc.users.list.pathFilter());
    // Changing your own roles changes what this app may show you (an admin who is no longer one).
    if (user.id === me.id) void queryClient.invalidateQueries(trpc.auth.me.pathFilter());
  };
  const assign = useMutation(trpc.users.assignRole.mutationOptions({ onSuccess: applied }));
  const remove = useMutation(trpc.users.removeRole.mutationOptions({ onSuccess: applied }));
  const unlock = useMutation(
    trpc.users.unlock.mutationOptions({
      onSuccess: (u) => {
        applied(u);
        setNotice('Unlocked. They can sign in again.');
      },
    }),
  );
  const deactivate = useMutation(
    trpc.users.deactivate.mutationOptions({
      onSuccess: (u) => {
        applied(u);
        setNotice('Deactivated. Their sessions have ended.');
      },
    }),
  );
  const reactivate = useMutation(
    trpc.users.reactivate.mutationOptions({
      onSuccess: (u) => {
        applied(u);
        setNotice('Reactivated.');
      },
    }),
  );
  const resend = useMutation(
    trpc.users.resendInvite.mutationOptions({
      onSuccess: () => {
        setNotice(`A new invite was sent to ${detail.data?.email ?? 'the user'}. Earlier links no longer work.`);
        void queryClient.invalidateQueries(trpc.mail.pathFilter());
      },
    }),
  );
  const mutations = [assign, remove, unlock, deactivate, reactivate, resend];
  const busy = mutations.some((m) => m.isPending);
  const failed = mutations.find((m) => m.isError);
  const reset = () => {
    setNotice(null);
    for (const m of mutations) m.reset();
  };

  if (detail.isPending || detail.isError) {
    return (
      <SidePanel title="User" onClose={onClose}>
        {detail.isPending ? <Loading /> : <Alert>{errorMessage(detail.error)}</Alert>}
      </SidePanel>
    );
  }
  const user = detail.data;
  const isSelf = user.id === me.id;
  return (
    <SidePanel title={user.name} subtitle={user.email} onClose={onClose}>
      <div>
        <UserStatusBadges user={user} />
      </div>
      <Notice>{notice}</Notice>
      <Alert>{failed?.error ? errorMessage(failed.error) : null}</Alert>
      <Section title="Roles">
        <CheckboxGroup
          legend="Roles"
          legendHidden
          options={ROLE_OPTIONS}
          selected={ROLE_OPTIONS.map((o) => o.value).filter(
            (r) => optimistic[r] ?? (user.roles as readonly string[]).includes(r),
          )}
          disabled={busy}
          onToggle={(role, checked) => {
            reset();
            setOptimistic((o) => ({ ...o, [role]: checked }));
            const settle = {
              onSettled: () =>
                setOptimistic((o) => {
                  const { [role]: _, ...rest } = o;
                  return rest;
                }),
            };
            if (checked) assign.mutate({ userId: user.id, role }, settle);
            else remove.mutate({ userId: user.id, role }, settle);
          }}
        />
      </Section>
      <Section title="Access">
        <dl className="gp-dl">
          <dt>Last sign-in</dt>
          <dd>{formatDateTime(user.lastLoginAt, 'Never')}</dd>
          <dt>Created</dt>
          <dd>{formatDateTime(user.createdAt)}</dd>
          <dt>Failed sign-ins</dt>
          <dd>{user.failedLoginCount}</dd>
          {user.locked ? (
            <>
              <dt>Locked</dt>
              <dd>{formatDateTime(user.lockedAt)}</dd>
            </>
          ) : null}
        </dl>
        <div className="gp-button-row" style={{ marginTop: 12 }}>
          <button
            type="button"
            className="gp-button"
            disabled={busy || !user.locked}
            onClick={() => {
              reset();
              unlock.mutate({ userId: user.id });
            }}
          >
            Unlock
          </button>
          {user.status === 'deactivated' ? (
            <button
              type="button"
              className="gp-button"
              disabled={busy}
              onClick={() => {
                reset();
                reactivate.mutate({ userId: user.id });
              }}
            >
              Reactivate
            </button>
          ) : (
            <button
              type="button"
              className="gp-button gp-button--danger"
              disabled={busy || isSelf}
              title={isSelf ? 'You cannot deactivate your own account.' : undefined}
              onClick={() => {
                reset();
                deactivate.mutate({ userId: user.id });
              }}
            >
              Deactivate
            </button>
          )}
          {user.status === 'invited' ? (
            <button
              type="button"
              className="gp-button"
              disabled={busy}
              onClick={() => {
                reset();
                resend.mutate({ userId: user.id });
              }}
            >
              Resend invite
            </button>
          ) : null}
        </div>
      </Section>
      <Section title="Recent activity">
        {user.audit.length ? (
          <ol className="gp-timeline" aria-label="Recent activity">
            {user.audit.map((a) => (
              <li key={a.id}>
                <div>{describeAudit(a.action, a.data)}</div>
                <div className="gp-timeline__meta">
                  <time dateTime={new Date(a.at).toISOString()}>{formatDateTime(a.at)}</time>
                  {a.actorName ? ` · by ${a.actorName}` : ''}
                </div>
              </li>
            ))}
          </ol>
        ) : (
          <p className="gp-muted">No activity recorded yet.</p>
        )}
      </Section>
    </SidePanel>
  );
}
