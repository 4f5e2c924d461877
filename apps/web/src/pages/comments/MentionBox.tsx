import { Listbox, useListbox } from '@goalpost/ui';
import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useLayoutEffect, useRef, useState } from 'react';
import { useDebouncedValue } from '../../lib/hooks.ts';
import { type CommentSubject, type Person, useTRPC } from '../../trpc.ts';
import { personOption } from '../sharing/PersonPicker.tsx';

/** A comment being written: its text and the people picked after "@". */
export interface Draft {
  text: string;
  mentions: Person[];
}

export const emptyDraft: Draft = { text: '', mentions: [] };

/** Ids of the people picked whose "@Name" is still in the text, each once. */
export function mentionIds(draft: Draft): string[] {
  const ids = draft.mentions.filter((p) => draft.text.includes(`@${p.name}`)).map((p) => p.id);
  return [...new Set(ids)];
}

/** The "@word" being typed just before the caret, if any. */
function mentionAt(text: string, caret: number): { start: number; term: string } | null {
  const match = /(^|\s)@([^\s@]{0,40})$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, term: match[2]! };
}

/**
 * The comment box: typing "@" offers the people who can read the budget or forecast (the server's
 * list, so nobody else can be mentioned), narrowed as more is typed. Arrow keys move through
 * them, Enter or Tab picks, Escape closes the list; picking writes "@Name" into the text.
 */
export function MentionBox({
  subject,
  label,
  draft,
  onChange,
  onSubmit,
  error,
}: {
  subject: CommentSubject;
  label: string;
  draft: Draft;
  onChange: (draft: Draft) => void;
  /** Ctrl+Enter sends. */
  onSubmit: () => void;
  error?: string | undefined;
}) {
  const trpc = useTRPC();
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const caretAfterPick = useRef<number | null>(null);
  const [at, setAt] = useState<{ start: number; term: string } | null>(null);
  const term = useDebouncedValue(at?.term ?? '', 120);
  const people = useQuery({
    ...trpc.comments.mentionable.queryOptions({ subject, search: term, limit: 8 }),
    enabled: at !== null,
  });
  const matches = at && people.data && term === at.term ? people.data : [];
  const open = at !== null && matches.length > 0;
  const listId = `${id}-people`;

  const follow = (text: string, caret: number) => {
    const found = mentionAt(text, caret);
    setAt(found);
    if (found?.term !== at?.term) list.reset();
  };
  const pick = (person: Person) => {
    if (!at) return;
    const caret = at.start + 1 + at.term.length;
    const inserted = `@${person.name} `;
    const text = `${draft.text.slice(0, at.start)}${inserted}${draft.text.slice(caret)}`;
    onChange({ text, mentions: [...draft.mentions.filter((p) => p.id !== person.id), person] });
    setAt(null);
    caretAfterPick.current = at.start + inserted.length;
  };
  // The caret goes after the inserted name as soon as the new text is in the box, before the
  // browser takes the next key: a later frame would let a fast typist's next letter land at the
  // end of the text while the caret was still being moved.
  useLayoutEffect(() => {
    const position = caretAfterPick.current;
    if (position === null || area.current?.value !== draft.text) return;
    caretAfterPick.current = null;
    area.current.focus();
    area.current.setSelectionRange(position, position);
  });
  const list = useListbox(listId, matches, { open, onPick: pick, onClose: () => setAt(null), pickOnTab: true });
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (list.keyDown(e)) return;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onSubmit();
    }
  };
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={`gp-field gp-mention${error ? ' gp-field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="gp-popup-anchor">
        <textarea
          ref={area}
          id={id}
          className="gp-textarea"
          rows={3}
          maxLength={5000}
          value={draft.text}
          aria-autocomplete="list"
          aria-controls={listId}
          aria-activedescendant={list.activeDescendant}
          aria-invalid={error ? true : undefined}
          aria-describedby={[hintId, error ? errorId : null].filter(Boolean).join(' ')}
          onChange={(e) => {
            onChange({ ...draft, text: e.target.value });
            follow(e.target.value, e.target.selectionStart);
          }}
          onKeyDown={onKeyDown}
          onKeyUp={(e) => {
            if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') {
              follow(e.currentTarget.value, e.currentTarget.selectionStart);
            }
          }}
          onClick={(e) => follow(e.currentTarget.value, e.currentTarget.selectionStart)}
          onBlur={() => setAt(null)}
        />
        <Listbox
          id={listId}
          label="People to mention"
          className="gp-mention__list"
          items={matches}
          open={open}
          listbox={list}
          onPick={pick}
        >
          {personOption}
        </Listbox>
      </div>
      <div id={hintId} className="gp-field__hint">
        {at !== null && people.isSuccess && term === at.term && matches.length === 0
          ? `Nobody who can see this ${subject.type} matches “${at.term}”.`
          : `Type @ to mention someone who can see this ${subject.type}. Ctrl+Enter posts.`}
      </div>
      {error ? (
        <p id={errorId} role="alert" className="gp-field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
