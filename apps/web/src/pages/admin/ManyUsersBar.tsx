import { Alert, ConfirmDialog, Notice, SelectField } from '@goalpost/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { errorMessage } from '../../lib/errors.ts';
import { plural } from '../../lib/format.ts';
import { type ManyUsersOutcome, type Role, useTRPC } from '../../trpc.ts';
import { ROLE_OPTIONS } from './roles.ts';

type Action =
  | { kind: 'assign'; role: Role }
  | { kind: 'remove'; role: Role }
  | { kind: 'deactivate' }
  | { kind: 'resend' };

const roleLabel = (role: Role) => ROLE_OPTIONS.find((o) => o.value === role)?.label ?? role;

/** What the action did, in a sentence: "Accountant role given to 3 people; 1 already had it." */
function summary(action: Action, outcome: ManyUsersOutcome): string {
  const people = (n: number) => plural(n, 'person', 'people');
  const done = {
    assign: (r: Role) => `${roleLabel(r)} role given to ${people(outcome.changed)}`,
    remove: (r: Role) => `${roleLabel(r)} role removed from ${people(outcome.changed)}`,
  };
  const main =
    action.kind === 'assign'
      ? done.assign(action.role)
      : action.kind === 'remove'
        ? done.remove(action.role)
        : action.kind === 'deactivate'
          ? `${people(outcome.changed)} deactivated`
          : `New invite made for ${people(outcome.changed)}`;
  const unchanged = outcome.unchanged ? `; ${people(outcome.unchanged)} already so` : '';
  return `${main}${unchanged}.`;
}

/**
 * Actions on the people checked in the list: one request per action over all of them. Each person
 * is changed on their own, so some may be refused (the last admin, your own account): the bar says
 * who and why. Deactivating and granting or removing admin ask first.
 */
export function ManyUsersBar({ userIds, onClear }: { userIds: string[]; onClear: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>('user');
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [result, setResult] = useState<{ action: Action; outcome: ManyUsersOutcome } | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.users.pathFilter());
    void queryClient.invalidateQueries(trpc.auth.me.pathFilter());
  };
  const options = { onSuccess: refresh };
  const assign = useMutation(trpc.users.bulkAssignRole.mutationOptions(options));
  const remove = useMutation(trpc.users.bulkRemoveRole.mutationOptions(options));
  const deactivate = useMutation(trpc.users.bulkDeactivate.mutationOptions(options));
  const resend = useMutation(trpc.users.bulkResendInvite.mutationOptions(options));
  const mutations = [assign, remove, deactivate, resend];
  const busy = mutations.some((m) => m.isPending);
  const failed = mutations.find((m) => m.isError);
  const count = plural(userIds.length, 'person', 'people');

  const run = async (action: Action) => {
    setConfirming(null);
    setResult(null);
    for (const m of mutations) m.reset();
    try {
      const outcome =
        action.kind === 'assign'
          ? await assign.mutateAsync({ userIds, role: action.role })
          : action.kind === 'remove'
            ? await remove.mutateAsync({ userIds, role: action.role })
            : action.kind === 'deactivate'
              ? await deactivate.mutateAsync({ userIds })
              : await resend.mutateAsync({ userIds });
      setResult({ action, outcome });
    } catch {
      // Shown from the mutation's own error below.
    }
  };
  /** Risky actions ask first; the rest run at once. */
  const ask = (action: Action) =>
    action.kind === 'deactivate' || ('role' in action && action.role === 'admin')
      ? setConfirming(action)
      : void run(action);

  const refused = result?.outcome.results.filter((r) => r.outcome === 'refused') ?? [];
  return (
    <section className="gp-form" aria-label="Actions on the selected people">
      <div className="gp-actionbar">
        <span className="gp-actionbar__count">{count} selected</span>
        <SelectField label="Role for selected" value={role} onChange={setRole} options={ROLE_OPTIONS} />
        <button
          type="button"
          className="gp-button gp-button--small"
          disabled={busy}
          onClick={() => ask({ kind: 'assign', role })}
        >
          Assign role
        </button>
        <button
          type="button"
          className="gp-button gp-button--small"
          disabled={busy}
          onClick={() => ask({ kind: 'remove', role })}
        >
          Remove role
        </button>
        <button
          type="button"
          className="gp-button gp-button--small"
          disabled={busy}
          onClick={() => ask({ kind: 'resend' })}
        >
          Resend invite
        </button>
        <button
          type="button"
          className="gp-button gp-button--small gp-button--danger"
          disabled={busy}
          onClick={() => ask({ kind: 'deactivate' })}
        >
          Deactivate
        </button>
        <button type="button" className="gp-button gp-button--small" onClick={onClear}>
          Clear selection
        </button>
      </div>
      <Alert>{failed ? errorMessage(failed.error) : null}</Alert>
      {result ? (
        <Notice>
          {summary(result.action, result.outcome)}
          {result.action.kind === 'resend' && result.outcome.changed && 'mail' in result.outcome
            ? result.outcome.mail === 'captured'
              ? ' No mail server is configured: hand each person their link from their panel or the outbox.'
              : ' The invites are on their way by mail.'
            : null}
        </Notice>
      ) : null}
      {refused.length ? (
        <Alert tone="warning">
          Not changed for {plural(refused.length, 'person', 'people')}:
          <ul className="gp-results">
            {refused.map((r) => (
              <li key={r.userId}>
                {r.name ?? r.email ?? 'Unknown user'}
                {r.email && r.name ? ` (${r.email})` : ''}: {r.message}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={confirmTitle(confirming, count)}
          confirmLabel={confirmLabel(confirming)}
          onCancel={() => setConfirming(null)}
          onConfirm={() => void run(confirming)}
        >
          {confirmText(confirming)}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function confirmTitle(action: Action, count: string): string {
  if (action.kind === 'deactivate') return `Deactivate ${count}?`;
  return action.kind === 'assign' ? `Make ${count} admins?` : `Remove admin from ${count}?`;
}

function confirmLabel(action: Action): string {
  if (action.kind === 'deactivate') return 'Deactivate';
  return action.kind === 'assign' ? 'Make admins' : 'Remove admin';
}

function confirmText(action: Action): ReactNode {
  if (action.kind === 'deactivate') {
    return <p>They are signed out at once and cannot sign in until an admin reactivates them.</p>;
  }
  return action.kind === 'assign' ? (
    <p>Admins manage every user and read the outbox, including invite and reset links that still work.</p>
  ) : (
    <p>They will no longer manage users. At least one active admin always remains.</p>
  );
}
