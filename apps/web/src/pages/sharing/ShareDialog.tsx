import { Alert, Badge, Dialog, Loading, Notice } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { errorMessage, formProblem } from '../../lib/errors.ts';
import { formatDate } from '../../lib/format.ts';
import { type Grant, type GrantLevel, type Person, useTRPC } from '../../trpc.ts';
import { dateInputValue, endOfDay, LEVELS, SUBJECT_NAMES, type SubjectType } from './levels.ts';
import { PersonPicker } from './PersonPicker.tsx';

/**
 * Sharing a goal, budget or forecast: pick people, a level and an optional last day; see who has
 * access (and who has it through the goal or budget above), change a level or the last day, or
 * revoke, which takes effect at once.
 */
export function ShareDialog({ subject, onClose }: { subject: { type: SubjectType; id: string }; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.sharing.list.queryOptions({ subject }));
  const [person, setPerson] = useState<Person | null>(null);
  const [level, setLevel] = useState<GrantLevel>('commenter');
  const [until, setUntil] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const levelId = useId();
  const untilId = useId();
  const refresh = () => queryClient.invalidateQueries(trpc.sharing.pathFilter());
  const grant = useMutation(
    trpc.sharing.grant.mutationOptions({
      onSuccess: async (g) => {
        setPerson(null);
        setUntil('');
        setNotice(
          `Shared with ${g.user.name}: ${LEVELS[g.level].does}${g.expiresAt ? ` until ${formatDate(g.expiresAt)}` : ''}.`,
        );
        await refresh();
      },
    }),
  );
  const update = useMutation(trpc.sharing.update.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(
    trpc.sharing.revoke.mutationOptions({
      onSuccess: async (g) => {
        setNotice(`${g.user.name} no longer has access.`);
        await refresh();
      },
    }),
  );
  const problem = formProblem(grant.error, { person: ['userId'], level: ['level'], until: ['expiresAt'] });
  const rowProblem = update.error ?? revoke.error;
  const what = SUBJECT_NAMES[subject.type];
  const levels = list.data?.levels ?? [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    if (!person) {
      setMissing('Choose someone to share with.');
      return;
    }
    grant.mutate({ subject, userId: person.id, level, expiresAt: until ? endOfDay(until) : null });
  };
  const change = (g: Grant, changes: { level?: GrantLevel; expiresAt?: Date | null }) => {
    setNotice(null);
    revoke.reset();
    update.mutate({ grantId: g.id, ...changes });
  };

  const title = list.data ? `Share “${list.data.subject.name}”` : `Share this ${what}`;
  return (
    <Dialog
      title={title}
      onClose={onClose}
      width={680}
      footer={
        <button type="button" className="gp-button" onClick={onClose}>
          Done
        </button>
      }
    >
      <form className="gp-form gp-share-form" onSubmit={submit} noValidate aria-label="Share with someone">
        <PersonPicker
          label="Person"
          value={person}
          onChange={(p) => {
            setPerson(p);
            setMissing(null);
            grant.reset();
          }}
          exclude={[...(list.data ? [list.data.owner.id] : []), ...(list.data?.grants.map((g) => g.user.id) ?? [])]}
          error={missing ?? problem?.fieldErrors.person}
        />
        <div className="gp-form__row">
          <div className="gp-field gp-form__grow">
            <label htmlFor={levelId}>Level</label>
            <select id={levelId} value={level} onChange={(e) => setLevel(e.target.value as GrantLevel)}>
              {levels.map((l) => (
                <option key={l} value={l}>
                  {LEVELS[l].label}: {LEVELS[l].does}
                </option>
              ))}
            </select>
            {problem?.fieldErrors.level ? (
              <p className="gp-field__error" role="alert">
                {problem.fieldErrors.level}
              </p>
            ) : null}
          </div>
          <div className={`gp-field${problem?.fieldErrors.until ? ' gp-field--invalid' : ''}`}>
            <label htmlFor={untilId}>Access until (optional)</label>
            <input
              id={untilId}
              type="date"
              value={until}
              aria-describedby={`${untilId}-hint`}
              onChange={(e) => setUntil(e.target.value)}
            />
            <div id={`${untilId}-hint`} className="gp-field__hint">
              {problem?.fieldErrors.until ?? 'Through the end of that day; empty: until revoked.'}
            </div>
          </div>
        </div>
        <Alert>{problem?.formError}</Alert>
        <div className="gp-button-row">
          <button type="submit" className="gp-button gp-button--primary" disabled={grant.isPending}>
            Share
          </button>
        </div>
      </form>
      <Notice>{notice}</Notice>
      <Alert>{rowProblem ? errorMessage(rowProblem) : list.isError ? errorMessage(list.error) : null}</Alert>
      {list.isPending ? (
        <Loading />
      ) : list.data ? (
        <>
          <table className="gp-table gp-share-table">
            <caption className="gp-share-table__caption">People with access</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Level</th>
                <th scope="col">Until</th>
                <th scope="col">
                  <span className="gp-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <PersonCell name={list.data.owner.name} />
                </td>
                <td colSpan={3}>Owner: every right except approving</td>
              </tr>
              {list.data.grants.map((g) => (
                <tr key={g.id}>
                  <td>
                    <PersonCell name={g.user.name} email={g.user.email} />
                  </td>
                  <td>
                    <select
                      aria-label={`Level of ${g.user.name}`}
                      value={g.level}
                      disabled={update.isPending}
                      onChange={(e) => change(g, { level: e.target.value as GrantLevel })}
                    >
                      {levels.map((l) => (
                        <option key={l} value={l}>
                          {LEVELS[l].label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <UntilInput grant={g} onCommit={(expiresAt) => change(g, { expiresAt })} />
                    {g.expired ? <Badge tone="warning">Expired</Badge> : null}
                  </td>
                  <td className="gp-table__num">
                    <button
                      type="button"
                      className="gp-button gp-button--small gp-button--danger"
                      disabled={revoke.isPending}
                      onClick={() => {
                        setNotice(null);
                        update.reset();
                        revoke.mutate({ grantId: g.id });
                      }}
                    >
                      Revoke<span className="gp-visually-hidden"> access of {g.user.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.grants.length === 0 ? <p className="gp-muted">Not shared with anyone yet.</p> : null}
          {list.data.inherited.length ? (
            <table className="gp-table gp-share-table">
              <caption className="gp-share-table__caption">
                Also with access through the{' '}
                {list.data.inherited
                  .map((g) => g.on.type)
                  .filter(unique)
                  .join(' and ')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Level</th>
                  <th scope="col">Until</th>
                  <th scope="col">Shared on</th>
                </tr>
              </thead>
              <tbody>
                {list.data.inherited.map((g) => (
                  <tr key={g.id}>
                    <td>
                      <PersonCell name={g.user.name} email={g.user.email} />
                    </td>
                    <td>{LEVELS[g.level].label}</td>
                    <td>
                      {g.expiresAt ? formatDate(g.expiresAt) : 'Until revoked'}{' '}
                      {g.expired ? <Badge tone="warning">Expired</Badge> : null}
                    </td>
                    <td>the {g.on.type} (change it there)</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
    </Dialog>
  );
}

const unique = <T,>(value: T, index: number, all: T[]) => all.indexOf(value) === index;

function PersonCell({ name, email }: { name: string; email?: string }) {
  return (
    <div className="gp-goal-cell">
      <span>{name}</span>
      {email ? <span className="gp-muted">{email}</span> : null}
    </div>
  );
}

/** A grant's last day, saved when the field is left (typing a year passes through invalid dates). */
function UntilInput({ grant, onCommit }: { grant: Grant; onCommit: (expiresAt: Date | null) => void }) {
  const saved = dateInputValue(grant.expiresAt);
  const [value, setValue] = useState(saved);
  return (
    <input
      type="date"
      className="gp-share-table__until"
      aria-label={`Last day of access for ${grant.user.name} (empty: until revoked)`}
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onBlur={() => {
        if (value === saved) return;
        if (!value) onCommit(null);
        else {
          const end = endOfDay(value);
          if (end) onCommit(end);
        }
      }}
    />
  );
}
