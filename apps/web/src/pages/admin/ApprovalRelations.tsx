import { Alert, Section } from '@goalpost/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formProblem } from '../../lib/errors.ts';
import { type Person, type UserDetail, useTRPC } from '../../trpc.ts';
import { PersonPicker } from '../sharing/PersonPicker.tsx';
import { Delegations } from '../workflow/Delegations.tsx';

/**
 * Who approves a person's budgets: their supervisor (final approval) and their accountants (first
 * approval), chosen among the people holding those roles, and delegations of their own approvals.
 * The server refuses anyone without the role, and says so.
 */
export function ApprovalRelations({ user, onChanged }: { user: UserDetail; onChanged: (user: UserDetail) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [supervisor, setSupervisor] = useState<Person | null>(null);
  const [accountant, setAccountant] = useState<Person | null>(null);
  const done = (u: UserDetail) => {
    setSupervisor(null);
    setAccountant(null);
    onChanged(u);
    void queryClient.invalidateQueries(trpc.workflow.inbox.pathFilter());
  };
  const setSup = useMutation(trpc.users.setSupervisor.mutationOptions({ onSuccess: done }));
  const assign = useMutation(trpc.users.assignAccountant.mutationOptions({ onSuccess: done }));
  const unassign = useMutation(trpc.users.unassignAccountant.mutationOptions({ onSuccess: done }));
  const busy = setSup.isPending || assign.isPending || unassign.isPending;
  const supProblem = formProblem(setSup.error, { person: ['supervisorId'] });
  const accProblem = formProblem(assign.error ?? unassign.error, { person: ['accountantId'] });
  const reset = () => {
    for (const m of [setSup, assign, unassign]) m.reset();
  };
  return (
    <>
      <Section title="Supervisor">
        <p className="gp-muted">Gives {user.name}’s budgets their final approval.</p>
        {user.supervisor ? (
          <div className="gp-person-chip">
            <span>
              <strong>{user.supervisor.name}</strong> <span className="gp-muted">{user.supervisor.email}</span>
            </span>
            <button
              type="button"
              className="gp-button gp-button--small"
              disabled={busy}
              onClick={() => {
                reset();
                setSup.mutate({ userId: user.id, supervisorId: null });
              }}
            >
              Remove<span className="gp-visually-hidden"> {user.supervisor.name} as supervisor</span>
            </button>
          </div>
        ) : (
          <p>No supervisor.</p>
        )}
        <div className="gp-picker-row">
          <PersonPicker
            label={user.supervisor ? 'Change supervisor' : 'Set supervisor'}
            source={{ kind: 'role', role: 'supervisor' }}
            value={supervisor}
            onChange={(p) => {
              reset();
              setSupervisor(p);
            }}
            exclude={[user.id, ...(user.supervisor ? [user.supervisor.id] : [])]}
            error={supProblem?.fieldErrors.person}
          />
          {supervisor ? (
            <button
              type="button"
              className="gp-button gp-button--small gp-button--primary"
              disabled={busy}
              onClick={() => setSup.mutate({ userId: user.id, supervisorId: supervisor.id })}
            >
              Make supervisor
            </button>
          ) : null}
        </div>
        <Alert>{supProblem?.formError}</Alert>
      </Section>
      <Section title="Accountants">
        <p className="gp-muted">Read, comment on and give {user.name}’s budgets their first approval.</p>
        {user.accountants.length ? (
          <ul className="gp-delegations" aria-label={`Accountants of ${user.name}`}>
            {user.accountants.map((a) => (
              <li key={a.id}>
                <span>
                  <strong>{a.name}</strong> <span className="gp-muted">{a.email}</span>
                </span>
                <button
                  type="button"
                  className="gp-button gp-button--small"
                  disabled={busy}
                  onClick={() => {
                    reset();
                    unassign.mutate({ userId: user.id, accountantId: a.id });
                  }}
                >
                  Remove<span className="gp-visually-hidden"> {a.name} as accountant</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p>No accountant.</p>
        )}
        <div className="gp-picker-row">
          <PersonPicker
            label="Add accountant"
            source={{ kind: 'role', role: 'accountant' }}
            value={accountant}
            onChange={(p) => {
              reset();
              setAccountant(p);
            }}
            exclude={[user.id, ...user.accountants.map((a) => a.id)]}
            error={accProblem?.fieldErrors.person}
          />
          {accountant ? (
            <button
              type="button"
              className="gp-button gp-button--small gp-button--primary"
              disabled={busy}
              onClick={() => assign.mutate({ userId: user.id, accountantId: accountant.id })}
            >
              Add
            </button>
          ) : null}
        </div>
        <Alert>{accProblem?.formError}</Alert>
      </Section>
      <Section title="Delegation of approvals">
        <Delegations approver={{ id: user.id, name: user.name }} />
      </Section>
    </>
  );
}
