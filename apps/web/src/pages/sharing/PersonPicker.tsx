import { FieldError, Listbox, useListbox } from '@goalpost/ui';
import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useState } from 'react';
import { errorMessage } from '../../lib/errors.ts';
import { useDebouncedValue } from '../../lib/hooks.ts';
import { type Person, type Role, useTRPC } from '../../trpc.ts';

/**
 * Whom the picker searches: everyone in the organisation (sharing.searchUsers: sharing, delegating),
 * or, for an administrator, the people holding a role (users.list: a supervisor, an accountant).
 */
export type PersonSource = { kind: 'everyone' } | { kind: 'role'; role: Role };

/** A person as an option in a list of people: name, then email. */
export function personOption(p: Person) {
  return (
    <>
      <span>{p.name}</span> <span className="gp-muted">{p.email}</span>
    </>
  );
}

/**
 * Picks one person by part of their name or email: a combobox whose list is searched on the server
 * once typing pauses. Arrow keys move through the matches, Enter picks, Escape closes the list.
 * The chosen person shows as a chip with a button to choose someone else.
 */
export function PersonPicker({
  label,
  value,
  onChange,
  source = { kind: 'everyone' },
  exclude = [],
  error,
  hint,
}: {
  label: string;
  value: Person | null;
  onChange: (person: Person | null) => void;
  source?: PersonSource;
  /** People not to offer (those who already have access, the approver themselves). */
  exclude?: readonly string[];
  error?: string | undefined;
  hint?: string;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const term = useDebouncedValue(text.trim(), 250);
  // The typed text, not only its debounced copy: a picked person clears it at once.
  const searching = text.trim().length > 0 && term.length > 0 && !value;
  const everyone = useQuery({
    ...trpc.sharing.searchUsers.queryOptions({ search: term || '-', limit: 8 }),
    enabled: searching && source.kind === 'everyone',
  });
  const holders = useQuery({
    ...trpc.users.list.queryOptions({
      search: term,
      role: source.kind === 'role' ? source.role : undefined,
      pageSize: 8,
    }),
    enabled: searching && source.kind === 'role',
  });
  const query = source.kind === 'everyone' ? everyone : holders;
  const found: Person[] =
    source.kind === 'everyone'
      ? (everyone.data ?? [])
      : (holders.data?.items ?? [])
          .filter((u) => u.status !== 'deactivated')
          .map((u) => ({ id: u.id, name: u.name, email: u.email }));
  const matches = found.filter((p) => !exclude.includes(p.id));
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const stale = text.trim() !== term;
  const showList = open && searching && !stale && query.isSuccess;
  const expanded = showList && matches.length > 0;

  const pick = (person: Person) => {
    onChange(person);
    setText('');
    setOpen(false);
  };
  const list = useListbox(listId, matches, { open: expanded, onPick: pick, onClose: () => setOpen(false) });
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (list.keyDown(e)) return;
    // An arrow key opens a list closed by Escape or a pick.
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
    }
  };

  if (value) {
    return (
      <fieldset className="gp-field gp-person-field">
        <legend className="gp-field__label">{label}</legend>
        <div className="gp-person-chip">
          <span>
            <strong>{value.name}</strong> <span className="gp-muted">{value.email}</span>
          </span>
          <button type="button" className="gp-button gp-button--small" onClick={() => onChange(null)}>
            Change<span className="gp-visually-hidden"> from {value.name} to someone else</span>
          </button>
        </div>
        <FieldError id={errorId} message={error} />
      </fieldset>
    );
  }

  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`gp-field gp-combobox${error ? ' gp-field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="gp-popup-anchor">
        <input
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          placeholder="Type a name or email"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={list.activeDescendant}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            list.reset();
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          onFocus={() => setOpen(true)}
        />
        <Listbox
          id={listId}
          label={`People matching “${term}”`}
          items={matches}
          open={expanded}
          listbox={list}
          onPick={pick}
        >
          {personOption}
        </Listbox>
      </div>
      {hint ? (
        <div id={hintId} className="gp-field__hint">
          {hint}
        </div>
      ) : null}
      <div className="gp-combobox__status" aria-live="polite">
        {searching && query.isError
          ? errorMessage(query.error)
          : showList && matches.length === 0
            ? `Nobody matches “${term}”${source.kind === 'role' ? ` among the people with the ${source.role} role` : ''}.`
            : ''}
      </div>
      <FieldError id={errorId} message={error} />
    </div>
  );
}
