import { Alert, Badge, Notice } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { errorMessage, formProblem } from '../../lib/errors.ts';
import { formatDate } from '../../lib/format.ts';
import { type Delegation, type Person, useTRPC } from '../../trpc.ts';
import { dateInputValue, endOfDay, startOfDay } from '../sharing/levels.ts';
import { PersonPicker } from '../sharing/PersonPicker.tsx';

/** "1 Mar – 31 Mar 2027": the days a delegation covers (its end is the end of the last day). */
function period(d: Delegation): string {
  const last = new Date(d.endsAt.getTime() - 1);
  return `${formatDate(d.startsAt)} – ${formatDate(last)}`;
}

/**
 * Handing one's approvals to a colleague for a period, and the delegations given and received
 * that are not over yet. For an administrator, `approver` is someone else: they set it up for them.
 */
export function Delegations({ approver }: { approver?: { id: string; name: string } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fromId = useId();
  const toId = useId();
  const list = useQuery(trpc.workflow.delegations.queryOptions(approver ? { userId: approver.id } : {}));
  const [delegate, setDelegate] = useState<Person | null>(null);
  const [from, setFrom] = useState(() => dateInputValue(new Date()));
  const [to, setTo] = useState('');
  const [local, setLocal] = useState<{ person?: string; to?: string }>({});
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.workflow.delegations.pathFilter()),
      queryClient.invalidateQueries(trpc.workflow.inbox.pathFilter()),
    ]);
  const create = useMutation(
    trpc.workflow.delegate.mutationOptions({
      onSuccess: async (d) => {
        setDelegate(null);
        setTo('');
        setNotice(`${d.delegate.name} approves for ${d.approver.name}, ${period(d)}.`);
        await refresh();
      },
    }),
  );
  const end = useMutation(
    trpc.workflow.endDelegation.mutationOptions({
      onSuccess: async (d) => {
        setNotice(`The delegation from ${d.approver.name} to ${d.delegate.name} has ended.`);
        await refresh();
      },
    }),
  );
  const problem = formProblem(create.error, {
    person: ['delegateId', 'approverId'],
    from: ['startsAt'],
    to: ['endsAt'],
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    const startsAt = startOfDay(from);
    const endsAt = endOfDay(to);
    const found = {
      ...(delegate ? {} : { person: 'Choose the colleague who approves in your place.' }),
      ...(endsAt ? {} : { to: 'Choose the last day.' }),
    };
    setLocal(found);
    if (!delegate || !endsAt || !startsAt) return;
    create.mutate({
      delegateId: delegate.id,
      startsAt,
      endsAt,
      ...(approver ? { approverId: approver.id } : {}),
    });
  };
  const whose = approver ? `${approver.name}’s` : 'my';
  return (
    <div className="gp-form">
      <form className="gp-form" onSubmit={submit} noValidate aria-label={`Delegate ${whose} approvals`}>
        <PersonPicker
          label="Colleague who approves instead"
          value={delegate}
          onChange={(p) => {
            setDelegate(p);
            setLocal({});
            create.reset();
          }}
          exclude={approver ? [approver.id] : []}
          error={local.person ?? problem?.fieldErrors.person}
        />
        <div className="gp-form__row">
          <div className={`gp-field${problem?.fieldErrors.from ? ' gp-field--invalid' : ''}`}>
            <label htmlFor={fromId}>From</label>
            <input id={fromId} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
            {problem?.fieldErrors.from ? (
              <p className="gp-field__error" role="alert">
                {problem.fieldErrors.from}
              </p>
            ) : null}
          </div>
          <div className={`gp-field${local.to || problem?.fieldErrors.to ? ' gp-field--invalid' : ''}`}>
            <label htmlFor={toId}>Until (last day)</label>
            <input id={toId} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
            {local.to || problem?.fieldErrors.to ? (
              <p className="gp-field__error" role="alert">
                {local.to ?? problem?.fieldErrors.to}
              </p>
            ) : null}
          </div>
        </div>
        <Alert>{problem?.formError}</Alert>
        <div className="gp-button-row">
          <button type="submit" className="gp-button gp-button--primary" disabled={create.isPending}>
            Delegate {approver ? 'their' : 'my'} approvals
          </button>
        </div>
      </form>
      <Notice>{notice}</Notice>
      <Alert>{end.isError ? errorMessage(end.error) : list.isError ? errorMessage(list.error) : null}</Alert>
      <DelegationList
        title={approver ? `${approver.name} delegated to` : 'You delegated to'}
        items={list.data?.given ?? []}
        who={(d) => d.delegate.name}
        endLabel="End"
        busy={end.isPending}
        onEnd={(d) => end.mutate({ delegationId: d.id })}
      />
      <DelegationList
        title={approver ? `${approver.name} approves for` : 'You approve for'}
        items={list.data?.received ?? []}
        who={(d) => d.approver.name}
        endLabel={approver ? 'End' : 'Decline'}
        busy={end.isPending}
        onEnd={(d) => end.mutate({ delegationId: d.id })}
      />
    </div>
  );
}

function DelegationList({
  title,
  items,
  who,
  endLabel,
  busy,
  onEnd,
}: {
  title: string;
  items: readonly Delegation[];
  who: (d: Delegation) => string;
  endLabel: string;
  busy: boolean;
  onEnd: (d: Delegation) => void;
}) {
  const id = useId();
  return (
    <div>
      <h3 id={id} className="gp-subheading">
        {title}
      </h3>
      {items.length ? (
        <ul className="gp-delegations" aria-labelledby={id}>
          {items.map((d) => (
            <li key={d.id}>
              <span>
                <strong>{who(d)}</strong> · {period(d)}{' '}
                {d.inForce ? <Badge tone="success">In force</Badge> : <Badge tone="info">Not started</Badge>}
              </span>
              <button type="button" className="gp-button gp-button--small" disabled={busy} onClick={() => onEnd(d)}>
                {endLabel}
                <span className="gp-visually-hidden"> the delegation with {who(d)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="gp-muted">Nobody.</p>
      )}
    </div>
  );
}
