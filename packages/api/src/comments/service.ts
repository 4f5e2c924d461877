/**
 * Cell comments: threads on one cell of a budget or forecast, with replies, @mentions, resolve
 * and reopen. Anyone with commenter rights or more writes; anyone who may read the object reads.
 *
 * A thread is anchored to the line's stable key and the period, never to a row number, so
 * reordering and inserting rows leave it on its cell. Threads belong to the budget, not to one
 * revision: each records the revision it was started on (`version_number`), and a revision shows
 * the threads started on it or before (marked `carried` when older), wherever its line still
 * exists. So a new revision carries every thread with it, with nothing to copy, and an approved
 * revision shows only what was said up to it. A forecast's threads follow the budget's current lines.
 */
import { randomUUID } from 'node:crypto';
import { query, User } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { type Granularity, periodsBetween } from '../budgets/periods.ts';
import type { ActorContext } from '../context.ts';
import { emit } from '../outbox/service.ts';
import {
  authorize,
  type BudgetFacts,
  type ForecastFacts,
  loadFacts,
  peopleWithStanding,
  subjectOf,
} from '../policy/access.ts';
import { decide, type ObjectAction } from '../policy/objects.ts';
import type { CellAnchor, CommentEventPayload, ThreadEventPayload } from './events.ts';
import type * as schema from './schema.ts';

type Ctx = ActorContext;
type SubjectRef = z.infer<typeof schema.subject>;
type CellFacts = BudgetFacts | ForecastFacts;

/** The budget revision a view shows (the current one unless asked), with the budget's periods. */
async function revision(ctx: Ctx, facts: CellFacts, versionNumber?: number) {
  const [row] = await query<{
    version_id: string;
    number: number;
    current: number;
    period_start: string;
    period_end: string;
    granularity: Granularity;
    owner_id: string;
  }>(
    ctx.em,
    `select v.id as version_id, v.number, b.current_version_number as current, b.period_start::text as period_start,
            b.period_end::text as period_end, b.granularity
     from budgets b join budget_versions v on v.budget_id = b.id and v.number = coalesce($2, b.current_version_number)
     where b.id = $1`,
    [facts.budgetId, facts.kind === 'budget' ? (versionNumber ?? null) : null],
  );
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `This budget has no revision ${versionNumber}.` });
  return row;
}

async function subjectFacts(ctx: Ctx, ref: SubjectRef, action: ObjectAction): Promise<CellFacts> {
  return (await authorize(ctx, action, subjectOf(ref))) as CellFacts;
}

/**
 * Threads of the subject a revision shows, as a SQL condition on `t`: $1 is the subject's id, $2
 * the revision's number (a forecast's threads are not per revision; $2 is still typed for PostgreSQL).
 */
function threadScope(ref: SubjectRef): string {
  return ref.type === 'budget'
    ? 't.budget_id = $1 and t.version_number <= $2'
    : 't.forecast_id = $1 and $2::int is not null';
}

interface ThreadRow {
  id: string;
  budget_id: string | null;
  forecast_id: string | null;
  line_key: string;
  period: string;
  version_number: number | null;
  status: 'open' | 'resolved';
  created_by: string;
  created_by_name: string;
  created_at: Date;
  resolved_by: string | null;
  resolved_by_name: string | null;
  resolved_at: Date | null;
  line_exists: boolean;
  category: string | null;
  description: string | null;
}

const THREAD_COLUMNS = `t.id, t.budget_id, t.forecast_id, t.line_key, t.period::text as period, t.version_number, t.status,
  t.created_by_id as created_by, cb.name as created_by_name, t.created_at, t.resolved_by_id as resolved_by,
  rb.name as resolved_by_name, t.resolved_at, l.id is not null as line_exists, l.category, l.description`;

const THREAD_JOINS = `join users cb on cb.id = t.created_by_id left join users rb on rb.id = t.resolved_by_id`;

/** Threads with their comments and the names they mention, as the side panel shows them. */
async function threadViews(ctx: Ctx, rows: ThreadRow[], viewed: number | null) {
  if (!rows.length) return [];
  const comments = await query<{
    id: string;
    thread_id: string;
    author_id: string;
    author_name: string;
    body: string;
    mentions: string[];
    created_at: Date;
  }>(
    ctx.em,
    `select c.id, c.thread_id, c.author_id, a.name as author_name, c.body, c.mentions, c.created_at
     from comments c join users a on a.id = c.author_id
     where c.thread_id = any($1::uuid[]) order by c.created_at, c.id`,
    [rows.map((r) => r.id)],
  );
  const mentioned = [...new Set(comments.flatMap((c) => c.mentions))];
  const names = new Map(
    mentioned.length
      ? (await ctx.em.find(User, { id: { $in: mentioned } }, { fields: ['id', 'name'] })).map((u) => [u.id, u.name])
      : [],
  );
  return rows.map((t) => {
    const own = comments.filter((c) => c.thread_id === t.id);
    return {
      id: t.id,
      subject: t.budget_id
        ? { type: 'budget' as const, id: t.budget_id }
        : { type: 'forecast' as const, id: t.forecast_id as string },
      lineKey: t.line_key,
      period: t.period,
      status: t.status,
      /** The revision the thread was started on (null for a forecast's threads). */
      versionNumber: t.version_number,
      /** Started on an earlier revision than the one shown, and carried into it. */
      carried: t.version_number !== null && viewed !== null && t.version_number < viewed,
      /** False when the line was removed in the revision shown: the thread has no cell there. */
      lineExists: t.line_exists,
      line: t.line_exists ? { category: t.category as string, description: t.description } : null,
      createdBy: { id: t.created_by, name: t.created_by_name },
      createdAt: new Date(t.created_at),
      resolvedBy: t.resolved_by ? { id: t.resolved_by, name: t.resolved_by_name as string } : null,
      resolvedAt: t.resolved_at ? new Date(t.resolved_at) : null,
      mentionsMe: own.some((c) => c.mentions.includes(ctx.actor.id)),
      comments: own.map((c) => ({
        id: c.id,
        author: { id: c.author_id, name: c.author_name },
        body: c.body,
        mentions: c.mentions.map((id) => ({ id, name: names.get(id) ?? '' })),
        createdAt: new Date(c.created_at),
      })),
    };
  });
}

/** Threads a side panel lists at most; a budget with more shows the first by position. */
const MAX_THREADS = 500;

/** The side panel: threads of a budget revision (or a forecast), filtered, in grid order. */
export async function list(ctx: Ctx, input: z.infer<typeof schema.listInput>) {
  const facts = await subjectFacts(ctx, input.subject, 'read');
  const shown = await revision(ctx, facts, input.versionNumber);
  const params: unknown[] = [input.subject.id, shown.number, shown.version_id];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [threadScope(input.subject)];
  if (input.status !== 'all') where.push(`t.status = ${param(input.status)}`);
  if (input.mine) {
    const me = param(ctx.actor.id);
    where.push(
      `(t.created_by_id = ${me} or exists (select 1 from comments c where c.thread_id = t.id and c.author_id = ${me}))`,
    );
  }
  if (input.mentioningMe) {
    where.push(
      `exists (select 1 from comments c where c.thread_id = t.id and ${param(ctx.actor.id)}::uuid = any(c.mentions))`,
    );
  }
  const rows = await query<ThreadRow>(
    ctx.em,
    `select ${THREAD_COLUMNS} from comment_threads t ${THREAD_JOINS}
     left join budget_lines l on l.version_id = $3 and l.key = t.line_key
     where ${where.join(' and ')}
     order by l.position nulls last, t.period, t.created_at, t.id
     limit ${MAX_THREADS + 1}`,
    params,
  );
  const viewed = input.subject.type === 'budget' ? shown.number : null;
  return {
    versionNumber: viewed,
    threads: await threadViews(ctx, rows.slice(0, MAX_THREADS), viewed),
    truncated: rows.length > MAX_THREADS,
  };
}

/** The grid's markers: each cell of the revision shown with open threads, and how many. */
export async function cells(ctx: Ctx, input: z.infer<typeof schema.cellsInput>) {
  const facts = await subjectFacts(ctx, input.subject, 'read');
  const shown = await revision(ctx, facts, input.versionNumber);
  const rows = await query<{ line_key: string; period: string; open: number }>(
    ctx.em,
    `select t.line_key, t.period::text as period, count(*)::int as open
     from comment_threads t join budget_lines l on l.version_id = $3 and l.key = t.line_key
     where ${threadScope(input.subject)} and t.status = 'open'
     group by t.line_key, t.period order by t.line_key, t.period`,
    [input.subject.id, shown.number, shown.version_id],
  );
  return rows.map((r) => ({ lineKey: r.line_key, period: r.period, open: r.open }));
}

/**
 * Refuses mentions of people who could not read what is commented on, naming the field: the
 * mention would tell them nothing they may open, and would reveal the budget's existence.
 */
async function checkMentions(ctx: Ctx, ref: SubjectRef, mentions: string[]): Promise<void> {
  if (!mentions.length) return;
  const people = await ctx.em.find(
    User,
    { id: { $in: mentions }, org: ctx.services.orgId },
    { fields: ['id', 'name', 'status'] },
  );
  const facts = (await loadFacts(ctx, ref.type, [ref.id], mentions)).get(ref.id);
  mentions.forEach((id, i) => {
    const person = people.find((p) => p.id === id);
    if (!person || person.status === 'deactivated') {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `mentions.${i}: No such person, or their account is deactivated.`,
      });
    }
    const entry = facts?.get(id);
    if (!entry || !decide({ id, roles: entry.roles }, 'read', entry.facts).allowed) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `mentions.${i}: ${person.name} cannot see this ${ref.type}. Share it with them first, or leave the mention out.`,
      });
    }
  });
}

async function anchorOf(ctx: Ctx, threadId: string, facts: CellFacts, actorId: string): Promise<CellAnchor> {
  const [t] = await query<{
    line_key: string;
    period: string;
    version_number: number | null;
    budget_id: string | null;
    forecast_id: string | null;
    participants: string[];
  }>(
    ctx.em,
    `select t.line_key, t.period::text as period, t.version_number, t.budget_id, t.forecast_id,
            array(select distinct p from (select t.created_by_id as p union select c.author_id from comments c where c.thread_id = t.id) x
                  where p <> $2) as participants
     from comment_threads t where t.id = $1`,
    [threadId, actorId],
  );
  return {
    threadId,
    subject: t!.budget_id ? { type: 'budget', id: t!.budget_id } : { type: 'forecast', id: t!.forecast_id as string },
    budgetId: facts.budgetId,
    forecastId: t!.forecast_id,
    goalId: facts.goalId,
    lineKey: t!.line_key,
    period: t!.period,
    versionNumber: t!.version_number,
    ownerId: facts.ownerId,
    participants: t!.participants,
  };
}

async function addComment(
  ctx: Ctx,
  threadId: string,
  facts: CellFacts,
  body: string,
  mentions: string[],
  newThread: boolean,
) {
  const commentId = randomUUID();
  await query(
    ctx.em,
    `insert into comments (id, org_id, thread_id, author_id, body, mentions, created_at) values ($1, $2, $3, $4, $5, $6::uuid[], $7)`,
    [commentId, ctx.services.orgId, threadId, ctx.actor.id, body, mentions, ctx.services.clock.now()],
  );
  const payload: CommentEventPayload = {
    ...(await anchorOf(ctx, threadId, facts, ctx.actor.id)),
    commentId,
    authorId: ctx.actor.id,
    excerpt: body.slice(0, 280),
    mentions,
    newThread,
  };
  emit(ctx, { topic: 'comments', type: 'comment.added', key: facts.budgetId, payload: { ...payload } });
}

async function threadById(ctx: Ctx, threadId: string, viewed: { versionId: string; number: number } | null) {
  const [row] = await query<ThreadRow>(
    ctx.em,
    `select ${THREAD_COLUMNS} from comment_threads t ${THREAD_JOINS}
     left join budget_lines l on l.version_id = $2 and l.key = t.line_key
     where t.id = $1`,
    [threadId, viewed?.versionId ?? null],
  );
  return (await threadViews(ctx, row ? [row] : [], viewed?.number ?? null))[0]!;
}

/** Starts a thread on a cell of the current revision (or of a forecast) with its first comment. */
export async function start(ctx: Ctx, input: z.infer<typeof schema.startInput>) {
  const facts = await subjectFacts(ctx, input.subject, 'comment');
  const current = await revision(ctx, facts);
  const [line] = await query<{ id: string }>(ctx.em, 'select id from budget_lines where version_id = $1 and key = $2', [
    current.version_id,
    input.lineKey,
  ]);
  if (!line) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'lineKey: This line is not in the budget’s current revision. Reload the grid.',
    });
  }
  if (!periodsBetween(current.period_start, current.period_end, current.granularity).includes(input.period)) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `period: ${input.period} is not one of this budget's periods.`,
    });
  }
  await checkMentions(ctx, input.subject, input.mentions);
  const threadId = randomUUID();
  await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    await query(
      em,
      `insert into comment_threads (id, org_id, budget_id, forecast_id, line_key, period, version_number, status,
                                    created_by_id, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9)`,
      [
        threadId,
        ctx.services.orgId,
        input.subject.type === 'budget' ? input.subject.id : null,
        input.subject.type === 'forecast' ? input.subject.id : null,
        input.lineKey,
        input.period,
        input.subject.type === 'budget' ? current.number : null,
        ctx.actor.id,
        ctx.services.clock.now(),
      ],
    );
    await addComment(tx, threadId, facts, input.body, input.mentions, true);
    await em.flush();
  });
  return threadById(ctx, threadId, { versionId: current.version_id, number: current.number });
}

/** A thread and the facts of what it is on, if the actor may do `action` there; else NOT_FOUND. */
async function loadThread(ctx: Ctx, threadId: string, action: ObjectAction) {
  const [row] = await query<{ budget_id: string | null; forecast_id: string | null; status: 'open' | 'resolved' }>(
    ctx.em,
    'select budget_id, forecast_id, status from comment_threads where id = $1 and org_id = $2',
    [threadId, ctx.services.orgId],
  );
  const gone = () =>
    new TRPCError({
      code: 'NOT_FOUND',
      message: 'This thread does not exist, or it is on something not shared with you.',
    });
  if (!row) throw gone();
  const ref: SubjectRef = row.budget_id
    ? { type: 'budget', id: row.budget_id }
    : { type: 'forecast', id: row.forecast_id as string };
  const facts = await subjectFacts(ctx, ref, action).catch((error) => {
    throw error instanceof TRPCError && error.code === 'NOT_FOUND' ? gone() : error;
  });
  const current = await revision(ctx, facts);
  return { ref, facts, status: row.status, viewed: { versionId: current.version_id, number: current.number } };
}

export async function reply(ctx: Ctx, input: z.infer<typeof schema.replyInput>) {
  const { ref, facts, status, viewed } = await loadThread(ctx, input.threadId, 'comment');
  if (status === 'resolved') {
    throw new TRPCError({ code: 'CONFLICT', message: 'This thread is resolved. Reopen it to reply.' });
  }
  await checkMentions(ctx, ref, input.mentions);
  await ctx.em.transactional(async (em) => {
    await addComment({ ...ctx, em }, input.threadId, facts, input.body, input.mentions, false);
    await em.flush();
  });
  return threadById(ctx, input.threadId, viewed);
}

async function setStatus(ctx: Ctx, threadId: string, status: 'open' | 'resolved') {
  const { facts, viewed } = await loadThread(ctx, threadId, 'comment');
  await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    const now = ctx.services.clock.now();
    const changed = await query(
      em,
      `update comment_threads set status = $2,
         resolved_by_id = case when $2 = 'resolved' then $3::uuid end,
         resolved_at = case when $2 = 'resolved' then $4::timestamptz end
       where id = $1 and status <> $2 returning id`,
      [threadId, status, ctx.actor.id, now],
    );
    if (!changed.length) return;
    const payload: ThreadEventPayload = { ...(await anchorOf(tx, threadId, facts, ctx.actor.id)), status };
    emit(tx, {
      topic: 'comments',
      type: status === 'resolved' ? 'thread.resolved' : 'thread.reopened',
      key: facts.budgetId,
      payload: { ...payload },
    });
    await em.flush();
  });
  return threadById(ctx, threadId, viewed);
}

/** Marks the thread resolved (its marker leaves the grid). Resolving a resolved thread changes nothing. */
export const resolve = (ctx: Ctx, input: z.infer<typeof schema.threadId>) => setStatus(ctx, input.threadId, 'resolved');
export const reopen = (ctx: Ctx, input: z.infer<typeof schema.threadId>) => setStatus(ctx, input.threadId, 'open');

/**
 * Whom the comment box offers after "@": people who can read the budget or forecast (decided by
 * the policy, person by person), matching the search, without the caller or deactivated accounts.
 */
export async function mentionable(ctx: Ctx, input: z.infer<typeof schema.mentionableInput>) {
  await subjectFacts(ctx, input.subject, 'comment');
  const ids = (await peopleWithStanding(ctx, input.subject.type, input.subject.id)).filter((id) => id !== ctx.actor.id);
  const facts = (await loadFacts(ctx, input.subject.type, [input.subject.id], ids)).get(input.subject.id);
  const readers = ids.filter((id) => {
    const entry = facts?.get(id);
    return entry && decide({ id, roles: entry.roles }, 'read', entry.facts).allowed;
  });
  if (!readers.length) return [];
  const term = input.search.toLowerCase();
  const people = await ctx.em.find(
    User,
    { id: { $in: readers } },
    { fields: ['id', 'name', 'email'], orderBy: { name: 'asc', email: 'asc' } },
  );
  return people
    .filter((p) => !term || p.name.toLowerCase().includes(term) || p.email.includes(term))
    .slice(0, input.limit)
    .map((p) => ({ id: p.id, name: p.name, email: p.email }));
}
