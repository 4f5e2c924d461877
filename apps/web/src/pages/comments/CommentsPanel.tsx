import { Alert, Badge, type CellRef, SidePanel } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { errorMessage, formProblem } from '../../lib/errors.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { type Granularity, labelOf } from '../../lib/periods.ts';
import { type CommentSubject, type Thread, useTRPC } from '../../trpc.ts';
import { type Draft, emptyDraft, MentionBox, mentionIds } from './MentionBox.tsx';

type Status = 'open' | 'resolved' | 'all';
const STATUSES: { value: Status; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

/** A thread's cell in words: "Rent · Jan 2027". */
function cellName(category: string | null | undefined, period: string, granularity: Granularity): string {
  return `${category || 'Unnamed line'} · ${labelOf(period, granularity)}`;
}

/** A comment's text with the people it mentions set apart. */
function withMentions(body: string, mentions: readonly { name: string }[]): ReactNode {
  const names = mentions.map((m) => m.name).filter(Boolean);
  if (!names.length) return body;
  const pattern = new RegExp(`(@(?:${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}))`, 'g');
  return body.split(pattern).map((part, i) =>
    i % 2 === 1 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text never reorder
      <mark key={i} className="gp-mention__name">
        {part}
      </mark>
    ) : (
      part
    ),
  );
}

/**
 * The comment threads of a budget revision or a forecast, beside its grid: filtered (open,
 * resolved, mine, mentioning me), in grid order. A thread's cell name selects that cell in the
 * grid; `target` is the cell a new thread goes on (from the grid's "Comment…"). `focusThreadId`
 * (a link from a notification) shows that thread, resolved or not, scrolled into view and marked.
 */
export function CommentsPanel({
  subject,
  versionNumber,
  granularity,
  canComment,
  target,
  focusThreadId = null,
  lineName,
  onSelectCell,
  onTargetDone,
  onClose,
}: {
  subject: CommentSubject;
  /** The budget revision shown; left out: the current one (and always for a forecast). */
  versionNumber?: number | undefined;
  granularity: Granularity;
  /** Commenter rights or more, on the current revision. */
  canComment: boolean;
  target: CellRef | null;
  focusThreadId?: string | null;
  lineName: (lineKey: string) => string | null;
  onSelectCell: (cell: CellRef) => void;
  onTargetDone: () => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // A linked thread may have been resolved since the notification: show every thread then.
  const [status, setStatus] = useState<Status>(focusThreadId ? 'all' : 'open');
  const [mine, setMine] = useState(false);
  const [mentioningMe, setMentioningMe] = useState(false);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const statusName = useId();
  const threads = useQuery(trpc.comments.list.queryOptions({ subject, versionNumber, status, mine, mentioningMe }));
  const refresh = () => queryClient.invalidateQueries(trpc.comments.pathFilter());
  const start = useMutation(
    trpc.comments.start.mutationOptions({
      onSuccess: async () => {
        setDraft(emptyDraft);
        onTargetDone();
        await refresh();
      },
    }),
  );
  const problem = formProblem(start.error, { body: ['body'], mentions: ['mentions'], cell: ['lineKey', 'period'] });
  const targetIsAmount = target !== null && /^\d{4}-\d{2}-\d{2}$/.test(target.column);
  const post = () => {
    if (!target || !targetIsAmount) return;
    start.mutate({
      subject,
      lineKey: target.rowKey,
      period: target.column,
      body: draft.text,
      mentions: mentionIds(draft),
    });
  };
  const count = threads.data?.threads.length ?? 0;
  const filtered = status !== 'open' || mine || mentioningMe;

  return (
    <SidePanel
      title="Comments"
      subtitle={threads.data ? `${plural(count, 'thread')}${filtered ? ' matching the filters' : ' open'}` : undefined}
      onClose={onClose}
    >
      <fieldset className="gp-comment-filters">
        <legend className="gp-visually-hidden">Show threads</legend>
        <div className="gp-segmented" role="radiogroup" aria-label="Thread status">
          {STATUSES.map((s) => (
            <label
              key={s.value}
              className={`gp-segmented__option${status === s.value ? ' gp-segmented__option--on' : ''}`}
            >
              <input
                type="radio"
                name={statusName}
                value={s.value}
                checked={status === s.value}
                onChange={() => setStatus(s.value)}
              />
              {s.label}
            </label>
          ))}
        </div>
        <label className="gp-checkbox">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />
          Mine
        </label>
        <label className="gp-checkbox">
          <input type="checkbox" checked={mentioningMe} onChange={(e) => setMentioningMe(e.target.checked)} />
          Mentioning me
        </label>
      </fieldset>
      {target && canComment ? (
        <section className="gp-thread gp-thread--new" aria-label="New thread">
          {targetIsAmount ? (
            <form
              className="gp-form"
              onSubmit={(e) => {
                e.preventDefault();
                post();
              }}
            >
              <MentionBox
                subject={subject}
                label={`New comment on ${cellName(lineName(target.rowKey), target.column, granularity)}`}
                draft={draft}
                onChange={(d) => {
                  setDraft(d);
                  start.reset();
                }}
                onSubmit={post}
                error={problem?.fieldErrors.body ?? problem?.fieldErrors.mentions}
              />
              <Alert>{problem?.formError ?? problem?.fieldErrors.cell}</Alert>
              <div className="gp-button-row">
                <button
                  type="submit"
                  className="gp-button gp-button--primary gp-button--small"
                  disabled={start.isPending}
                >
                  Comment
                </button>
                <button
                  type="button"
                  className="gp-button gp-button--small"
                  onClick={() => {
                    setDraft(emptyDraft);
                    onTargetDone();
                  }}
                >
                  Cancel
                </button>
              </div>
            </form>
          ) : (
            <p className="gp-muted">Comments go on amounts: choose a cell under a month or quarter, then “Comment…”.</p>
          )}
        </section>
      ) : null}
      <Alert>{threads.isError ? errorMessage(threads.error) : null}</Alert>
      {threads.data ? (
        threads.data.threads.length ? (
          <ul className="gp-threads" aria-label="Threads">
            {threads.data.threads.map((t) => (
              <li key={t.id}>
                <ThreadView
                  thread={t}
                  focused={t.id === focusThreadId}
                  granularity={granularity}
                  canComment={canComment}
                  onSelectCell={onSelectCell}
                  onChanged={refresh}
                />
              </li>
            ))}
          </ul>
        ) : (
          <p className="gp-muted">
            {filtered
              ? 'No thread matches these filters.'
              : canComment
                ? 'No open threads. Right-click a cell and choose “Comment…”, or select it and press “Comment on cell”.'
                : 'No open threads.'}
          </p>
        )
      ) : (
        <p className="gp-muted">Loading…</p>
      )}
      {threads.data?.truncated ? <p className="gp-muted">Only the first 500 threads are listed.</p> : null}
    </SidePanel>
  );
}

function ThreadView({
  thread,
  focused,
  granularity,
  canComment,
  onSelectCell,
  onChanged,
}: {
  thread: Thread;
  focused: boolean;
  granularity: Granularity;
  canComment: boolean;
  onSelectCell: (cell: CellRef) => void;
  onChanged: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const titleId = useId();
  const article = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focused) article.current?.scrollIntoView?.({ block: 'nearest' });
  }, [focused]);
  const [replying, setReplying] = useState(false);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const reply = useMutation(
    trpc.comments.reply.mutationOptions({
      onSuccess: async () => {
        setDraft(emptyDraft);
        setReplying(false);
        await onChanged();
      },
    }),
  );
  const resolve = useMutation(trpc.comments.resolve.mutationOptions({ onSuccess: onChanged }));
  const reopen = useMutation(trpc.comments.reopen.mutationOptions({ onSuccess: onChanged }));
  const problem = formProblem(reply.error, { body: ['body'], mentions: ['mentions'] });
  const failed = resolve.error ?? reopen.error;
  const name = cellName(thread.line?.category, thread.period, granularity);
  const send = () => reply.mutate({ threadId: thread.id, body: draft.text, mentions: mentionIds(draft) });
  return (
    <article
      ref={article}
      className={`gp-thread${thread.status === 'resolved' ? ' gp-thread--resolved' : ''}${focused ? ' gp-thread--focused' : ''}`}
      aria-labelledby={titleId}
      aria-current={focused ? 'true' : undefined}
    >
      <header className="gp-thread__header">
        {thread.lineExists ? (
          <button
            type="button"
            id={titleId}
            className="gp-thread__cell"
            title="Show this cell in the grid"
            onClick={() => onSelectCell({ rowKey: thread.lineKey, column: thread.period })}
          >
            {name}
          </button>
        ) : (
          <span id={titleId} className="gp-thread__cell">
            A removed line · {labelOf(thread.period, granularity)}
          </span>
        )}
        {thread.status === 'resolved' ? <Badge tone="success">Resolved</Badge> : null}
        {thread.carried ? <Badge tone="info">Carried from revision {thread.versionNumber}</Badge> : null}
        {thread.mentionsMe ? <Badge tone="warning">Mentions you</Badge> : null}
      </header>
      <ol className="gp-thread__comments">
        {thread.comments.map((c) => (
          <li key={c.id}>
            <div className="gp-timeline__meta">
              <strong className="gp-thread__author">{c.author.name}</strong> ·{' '}
              <time dateTime={c.createdAt.toISOString()}>{formatDateTime(c.createdAt)}</time>
            </div>
            <p className="gp-thread__body">{withMentions(c.body, c.mentions)}</p>
          </li>
        ))}
      </ol>
      {thread.resolvedBy && thread.resolvedAt ? (
        <div className="gp-timeline__meta">
          Resolved by {thread.resolvedBy.name} · {formatDateTime(thread.resolvedAt)}
        </div>
      ) : null}
      <Alert>{failed ? errorMessage(failed) : null}</Alert>
      {replying ? (
        <form
          className="gp-form"
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <MentionBox
            subject={thread.subject}
            label={`Reply on ${name}`}
            draft={draft}
            onChange={(d) => {
              setDraft(d);
              reply.reset();
            }}
            onSubmit={send}
            error={problem?.fieldErrors.body ?? problem?.fieldErrors.mentions}
          />
          <Alert>{problem?.formError}</Alert>
          <div className="gp-button-row">
            <button type="submit" className="gp-button gp-button--primary gp-button--small" disabled={reply.isPending}>
              Reply
            </button>
            <button type="button" className="gp-button gp-button--small" onClick={() => setReplying(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : canComment ? (
        <div className="gp-button-row">
          {thread.status === 'open' ? (
            <>
              <button type="button" className="gp-button gp-button--small" onClick={() => setReplying(true)}>
                Reply<span className="gp-visually-hidden"> on {name}</span>
              </button>
              <button
                type="button"
                className="gp-button gp-button--small"
                disabled={resolve.isPending}
                onClick={() => resolve.mutate({ threadId: thread.id })}
              >
                Resolve<span className="gp-visually-hidden"> the thread on {name}</span>
              </button>
            </>
          ) : (
            <button
              type="button"
              className="gp-button gp-button--small"
              disabled={reopen.isPending}
              onClick={() => reopen.mutate({ threadId: thread.id })}
            >
              Reopen<span className="gp-visually-hidden"> the thread on {name}</span>
            </button>
          )}
        </div>
      ) : null}
    </article>
  );
}
