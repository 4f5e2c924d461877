import { Alert, CheckboxGroup, ConfirmDialog, Loading, Notice, Section, SidePanel, TextField } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { copyText } from '../../lib/clipboard.ts';
import { errorMessage, formProblem } from '../../lib/errors.ts';
import { deliveryNotice, formatDate, formatDateTime } from '../../lib/format.ts';
import { describeHistory } from '../../lib/history.ts';
import { useCurrentUser } from '../../session.tsx';
import { type Role, type UserDetail, useTRPC } from '../../trpc.ts';
import { ApprovalRelations } from './ApprovalRelations.tsx';
import { ROLE_OPTIONS } from './roles.ts';
import { UserStatusBadge } from './UserStatusBadge.tsx';

type Confirm = { kind: 'deactivate' } | { kind: 'admin'; grant: boolean };

/** One person: details, roles, sign-in and invite, and their history in sentences. */
export function UserDetailPanel({ userId, onClose }: { userId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState<Confirm | null>(null);
  const [copied, setCopied] = useState<{ url: string; expiresAt: Date; onClipboard: boolean } | null>(null);
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
  const refetch = () => void queryClient.invalidateQueries({ queryKey: detailKey });
  const said = (text: string) => (u: UserDetail) => {
    applied(u);
    setNotice(text);
  };
  const assign = useMutation(trpc.users.assignRole.mutationOptions({ onSuccess: applied }));
  const remove = useMutation(trpc.users.removeRole.mutationOptions({ onSuccess: applied }));
  const unlock = useMutation(
    trpc.users.unlock.mutationOptions({ onSuccess: said('Unlocked. They can sign in again.') }),
  );
  const deactivate = useMutation(
    trpc.users.deactivate.mutationOptions({ onSuccess: said('Deactivated. Their sessions have ended.') }),
  );
  const reactivate = useMutation(trpc.users.reactivate.mutationOptions({ onSuccess: said('Reactivated.') }));
  const resend = useMutation(
    trpc.users.resendInvite.mutationOptions({
      onSuccess: ({ mail }) => {
        setCopied(null);
        setNotice(
          `${deliveryNotice(mail, 'New invite', detail.data?.email ?? 'the user')} Earlier links no longer work.`,
        );
        refetch();
        void queryClient.invalidateQueries(trpc.mail.pathFilter());
      },
    }),
  );
  const reset = useMutation(
    trpc.users.sendPasswordReset.mutationOptions({
      onSuccess: ({ mail }) => {
        const locked = detail.data?.locked ? ' They stay locked until you unlock them.' : '';
        setNotice(`${deliveryNotice(mail, 'Password reset link', detail.data?.email ?? 'the user')}${locked}`);
        refetch();
        void queryClient.invalidateQueries(trpc.mail.pathFilter());
      },
    }),
  );
  const link = useMutation(
    trpc.users.inviteLink.mutationOptions({
      onSuccess: async ({ url, expiresAt }) => {
        setCopied({ url, expiresAt, onClipboard: await copyText(url) });
        refetch();
        void queryClient.invalidateQueries(trpc.mail.pathFilter());
      },
    }),
  );
  const mutations = [assign, remove, unlock, deactivate, reactivate, resend, reset, link];
  const busy = mutations.some((m) => m.isPending);
  const failed = mutations.find((m) => m.isError);
  const clear = () => {
    setNotice(null);
    for (const m of mutations) m.reset();
  };
  /** A button that runs one of the person's actions, clearing the last outcome first. */
  const act = (label: string, mutation: { mutate: (input: { userId: string }) => void }, userId: string) => (
    <button
      type="button"
      className="gp-button"
      disabled={busy}
      onClick={() => {
        clear();
        mutation.mutate({ userId });
      }}
    >
      {label}
    </button>
  );
  const toggleRole = (user: UserDetail, role: Role, checked: boolean) => {
    clear();
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
        <UserStatusBadge status={user.displayStatus} />
      </div>
      <Notice>{notice}</Notice>
      <Alert>{failed?.error ? errorMessage(failed.error) : null}</Alert>
      <Section
        title="Details"
        actions={
          editing ? null : (
            <button
              type="button"
              className="gp-button gp-button--small"
              onClick={() => {
                clear();
                setEditing(true);
              }}
            >
              Edit details
            </button>
          )
        }
      >
        {editing ? (
          <EditDetails
            user={user}
            onCancel={() => setEditing(false)}
            onSaved={(saved, reinvited) => {
              applied(saved);
              setEditing(false);
              setNotice(
                reinvited
                  ? `Saved. ${deliveryNotice(reinvited, 'A new invite', saved.email)} Links sent to the old address no longer work.`
                  : 'Saved.',
              );
            }}
          />
        ) : (
          <dl className="gp-dl">
            <dt>Name</dt>
            <dd>{user.name}</dd>
            <dt>Email</dt>
            <dd>{user.email}</dd>
          </dl>
        )}
      </Section>
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
            // Granting or removing admin asks first; the other roles change at once.
            if (role === 'admin') setConfirming({ kind: 'admin', grant: checked });
            else toggleRole(user, role, checked);
          }}
        />
      </Section>
      <ApprovalRelations user={user} onChanged={applied} />
      {user.status === 'invited' ? (
        <Section title="Invite">
          <p className="gp-muted">
            {user.inviteExpiresAt
              ? `Their invite link works until ${formatDateTime(user.inviteExpiresAt)}.`
              : 'They have no working invite link: copy a new one or resend the invite.'}
          </p>
          <div className="gp-button-row">
            {act('Copy invite link', link, user.id)}
            {act('Resend invite', resend, user.id)}
          </div>
          {copied ? <CopiedLink {...copied} name={user.name} /> : null}
        </Section>
      ) : null}
      <Section title="Sign-in">
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
          {user.locked ? act('Unlock', unlock, user.id) : null}
          {user.status === 'active' ? act('Send password reset', reset, user.id) : null}
          {user.status === 'deactivated' ? (
            act('Reactivate', reactivate, user.id)
          ) : (
            <button
              type="button"
              className="gp-button gp-button--danger"
              disabled={busy || isSelf}
              title={isSelf ? 'You cannot deactivate your own account.' : undefined}
              onClick={() => setConfirming({ kind: 'deactivate' })}
            >
              Deactivate
            </button>
          )}
        </div>
      </Section>
      <Section title="History">
        {user.audit.length ? (
          <ol className="gp-timeline" aria-label="History">
            {user.audit.map((a) => (
              <li key={a.id}>
                <div>{describeHistory(a)}</div>
                <div className="gp-timeline__meta">
                  <time dateTime={new Date(a.at).toISOString()}>{formatDateTime(a.at)}</time>
                </div>
              </li>
            ))}
          </ol>
        ) : (
          <p className="gp-muted">No activity recorded yet.</p>
        )}
      </Section>
      {confirming ? (
        <ConfirmDialog
          title={
            confirming.kind === 'deactivate'
              ? `Deactivate ${user.name}?`
              : confirming.grant
                ? `Make ${user.name} an admin?`
                : `Remove admin from ${user.name}?`
          }
          confirmLabel={
            confirming.kind === 'deactivate' ? 'Deactivate' : confirming.grant ? 'Make admin' : 'Remove admin'
          }
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            if (confirming.kind === 'admin') toggleRole(user, 'admin', confirming.grant);
            else {
              clear();
              deactivate.mutate({ userId: user.id });
            }
          }}
        >
          {confirmText(confirming, isSelf)}
        </ConfirmDialog>
      ) : null}
    </SidePanel>
  );
}

function confirmText(confirming: Confirm, isSelf: boolean): ReactNode {
  if (confirming.kind === 'deactivate') {
    return <p>They are signed out at once and cannot sign in until an admin reactivates them.</p>;
  }
  if (confirming.grant) {
    return <p>Admins manage every user and read the outbox, including invite and reset links that still work.</p>;
  }
  return (
    <p>
      {isSelf
        ? 'You will no longer manage users, and this page will close for you.'
        : 'They will no longer manage users.'}
    </p>
  );
}

/** The link just made, shown in full so it can be copied by hand when the browser refuses. */
function CopiedLink({
  url,
  expiresAt,
  onClipboard,
  name,
}: {
  url: string;
  expiresAt: Date;
  onClipboard: boolean;
  name: string;
}) {
  const [again, setAgain] = useState<boolean | null>(null);
  const copiedNow = again ?? onClipboard;
  return (
    <div className="gp-form">
      <div className="gp-copy">
        <input readOnly aria-label={`Invite link for ${name}`} value={url} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="gp-button" onClick={async () => setAgain(await copyText(url))}>
          Copy
        </button>
      </div>
      <p role="status" className="gp-muted">
        {copiedNow
          ? `Copied. Give it only to ${name}: it works once, until ${formatDate(expiresAt)}. Earlier links no longer work.`
          : `Your browser did not allow copying: select the link and press Ctrl+C. Give it only to ${name}; it works once, until ${formatDate(expiresAt)}.`}
      </p>
    </div>
  );
}

function EditDetails({
  user,
  onCancel,
  onSaved,
}: {
  user: UserDetail;
  onCancel: () => void;
  onSaved: (user: UserDetail, reinvited: 'queued' | 'captured' | null) => void;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState(user.name);
  const [email, setEmail] = useState(user.email);
  const [local, setLocal] = useState<{ name?: string; email?: string }>({});
  const update = useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: ({ reinvited, ...saved }) => onSaved(saved, reinvited),
    }),
  );
  const problem = formProblem(update.error, { name: ['name'], email: ['email'] });
  const edit = (set: (v: string) => void) => (value: string) => {
    set(value);
    setLocal({});
    update.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = {
      ...(name.trim() ? {} : { name: 'Enter a name.' }),
      ...(email.trim() ? {} : { email: 'Enter an email address.' }),
    };
    setLocal(found);
    if (found.name || found.email) return;
    update.mutate({ userId: user.id, name, email });
  };
  return (
    <form className="gp-form" onSubmit={submit} noValidate aria-label="Edit details">
      <Alert>{problem?.formError}</Alert>
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        value={name}
        onChange={edit(setName)}
        error={local.name ?? problem?.fieldErrors.name}
      />
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="off"
        value={email}
        onChange={edit(setEmail)}
        error={local.email ?? problem?.fieldErrors.email}
        hint={
          user.status === 'invited'
            ? 'A new email gets a fresh invite; links sent to the old address stop working.'
            : 'Links sent to the old address stop working.'
        }
      />
      <div className="gp-button-row">
        <button type="submit" className="gp-button gp-button--primary" disabled={update.isPending}>
          Save
        </button>
        <button type="button" className="gp-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
