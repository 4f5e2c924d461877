/**
 * Sharing: an owner (or an admin) gives chosen people access to a goal, budget or forecast at one
 * level (viewer, commenter, editor, approver), until revoked or until it expires. A grant on a goal
 * covers its budgets and forecasts; one on a budget covers its forecasts. A person holds at most one
 * live grant per object (a database unique index), so sharing again changes that grant.
 * Revoking takes effect at once: every request decides access afresh (policy/access.ts).
 */
import { randomUUID } from 'node:crypto';
import { GRANT_LEVELS, type GrantLevel, query, type RoleKey, User } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { ActorContext } from '../context.ts';
import { emit } from '../outbox/service.ts';
import { containing } from '../platform/search.ts';
import {
  authorize,
  loadFacts,
  type ObjectFacts,
  type Permissions,
  peopleWithStanding,
  subjectOf,
} from '../policy/access.ts';
import { decide, delegatingApprovers, OBJECT_ACTIONS, type SubjectType } from '../policy/objects.ts';
import type { SharingEventPayload } from './events.ts';
import type * as schema from './schema.ts';

type Ctx = ActorContext;

const SUBJECT_COLUMN: Record<SubjectType, 'goal_id' | 'budget_id' | 'forecast_id'> = {
  goal: 'goal_id',
  budget: 'budget_id',
  forecast: 'forecast_id',
};

interface GrantRow {
  id: string;
  level: GrantLevel;
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
  on_type: SubjectType;
  on_id: string;
  user_id: string;
  user_name: string;
  user_email: string;
  by_id: string;
  by_name: string;
}

const GRANT_COLUMNS = `gr.id, gr.level, gr.expires_at, gr.revoked_at, gr.created_at,
  case when gr.goal_id is not null then 'goal' when gr.budget_id is not null then 'budget' else 'forecast' end as on_type,
  coalesce(gr.goal_id, gr.budget_id, gr.forecast_id) as on_id,
  u.id as user_id, u.name as user_name, u.email as user_email, sb.id as by_id, sb.name as by_name
  from grants gr join users u on u.id = gr.grantee_id join users sb on sb.id = gr.granted_by_id`;

function grantView(row: GrantRow, now: Date) {
  const expiresAt = row.expires_at ? new Date(row.expires_at) : null;
  return {
    id: row.id,
    user: { id: row.user_id, name: row.user_name, email: row.user_email },
    level: row.level,
    expiresAt,
    expired: expiresAt !== null && expiresAt <= now,
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
    grantedBy: { id: row.by_id, name: row.by_name },
    createdAt: new Date(row.created_at),
    on: { type: row.on_type, id: row.on_id },
  };
}

async function grantById(ctx: Ctx, grantId: string): Promise<GrantRow | undefined> {
  const [row] = await query<GrantRow>(ctx.em, `select ${GRANT_COLUMNS} where gr.id = $1 and gr.org_id = $2`, [
    grantId,
    ctx.services.orgId,
  ]);
  return row;
}

/** The object's name and where it sits, for answers and events. */
async function describe(ctx: Ctx, facts: ObjectFacts) {
  const [row] = await query<{ name: string; owner_id: string; owner_name: string }>(
    ctx.em,
    facts.kind === 'goal'
      ? 'select x.name, u.id as owner_id, u.name as owner_name from goals x join users u on u.id = x.owner_id where x.id = $1'
      : facts.kind === 'budget'
        ? 'select x.name, u.id as owner_id, u.name as owner_name from budgets x join users u on u.id = x.owner_id where x.id = $1'
        : 'select x.name, u.id as owner_id, u.name as owner_name from forecasts x join users u on u.id = x.owner_id where x.id = $1',
    [facts.kind === 'goal' ? facts.goalId : facts.kind === 'budget' ? facts.budgetId : facts.forecastId],
  );
  return { name: row?.name ?? '', owner: { id: row?.owner_id ?? facts.ownerId, name: row?.owner_name ?? '' } };
}

/** Ids whose grants also reach this object: its goal, and a forecast's budget. */
function enclosing(facts: ObjectFacts): string[] {
  if (facts.kind === 'goal') return [];
  if (facts.kind === 'budget') return [facts.goalId];
  return [facts.budgetId, facts.goalId];
}

/** The Share dialog: the object's grants, and those that reach it from its goal (or budget). */
export async function list(ctx: Ctx, input: z.infer<typeof schema.subjectInput>) {
  const facts = await authorize(ctx, 'share', subjectOf(input.subject));
  const rows = await query<GrantRow>(
    ctx.em,
    `select ${GRANT_COLUMNS}
     where coalesce(gr.goal_id, gr.budget_id, gr.forecast_id) = any($1::uuid[]) and gr.revoked_at is null
     order by lower(u.name), u.email, gr.created_at`,
    [[input.subject.id, ...enclosing(facts)]],
  );
  const now = ctx.services.clock.now();
  const { name, owner } = await describe(ctx, facts);
  return {
    subject: { ...input.subject, name },
    owner,
    grants: rows.filter((r) => r.on_id === input.subject.id).map((r) => grantView(r, now)),
    inherited: rows.filter((r) => r.on_id !== input.subject.id).map((r) => grantView(r, now)),
    levels: levelsFor(input.subject.type),
  };
}

/** Approver grants exist for what gets approved: budgets, or goals (covering their budgets). */
function levelsFor(type: SubjectType): GrantLevel[] {
  return type === 'forecast' ? GRANT_LEVELS.filter((l) => l !== 'approver') : [...GRANT_LEVELS];
}

function checkLevel(type: SubjectType, level: GrantLevel | undefined) {
  if (level && !levelsFor(type).includes(level)) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'level: Forecasts are not approved; share a forecast as viewer, commenter or editor.',
    });
  }
}

function checkExpiry(ctx: Ctx, expiresAt: Date | null | undefined) {
  if (expiresAt && expiresAt <= ctx.services.clock.now()) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'expiresAt: Choose a time in the future.' });
  }
}

async function sharingEvent(
  ctx: Ctx,
  type: 'grant.created' | 'grant.updated' | 'grant.revoked',
  row: GrantRow,
  facts: ObjectFacts,
) {
  const { name } = await describe(ctx, facts);
  const payload: SharingEventPayload = {
    grantId: row.id,
    subject: { type: row.on_type, id: row.on_id },
    subjectName: name,
    goalId: facts.goalId,
    budgetId: facts.kind === 'goal' ? null : facts.budgetId,
    forecastId: facts.kind === 'forecast' ? facts.forecastId : null,
    granteeId: row.user_id,
    level: row.level,
    expiresAt: row.expires_at ? new Date(row.expires_at).toISOString() : null,
    grantedById: row.by_id,
  };
  emit(ctx, {
    topic: 'sharing',
    type,
    key: facts.kind === 'goal' ? facts.goalId : facts.budgetId,
    payload: { ...payload },
  });
}

/** Shares the object with a person; sharing again with someone who has a live grant changes it. */
export async function grant(ctx: Ctx, input: z.infer<typeof schema.grantInput>) {
  const facts = await authorize(ctx, 'share', subjectOf(input.subject));
  checkLevel(input.subject.type, input.level);
  checkExpiry(ctx, input.expiresAt);
  const grantee = await ctx.em.findOne(User, { id: input.userId, org: ctx.services.orgId });
  if (!grantee || grantee.status === 'deactivated') {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'userId: No such person, or their account is deactivated.' });
  }
  if (grantee.id === facts.ownerId || facts.holderIds.includes(grantee.id)) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `userId: ${grantee.name} owns this ${input.subject.type} or what it belongs to, and already has every right.`,
    });
  }
  const row = await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    const [saved] = await query<{ id: string; created: boolean }>(
      em,
      `insert into grants (id, org_id, ${SUBJECT_COLUMN[input.subject.type]}, grantee_id, level, granted_by_id, expires_at, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (coalesce(goal_id, budget_id, forecast_id), grantee_id) where revoked_at is null
       do update set level = excluded.level, expires_at = excluded.expires_at, granted_by_id = excluded.granted_by_id
       returning id, (xmax = 0) as created`,
      [
        randomUUID(),
        ctx.services.orgId,
        input.subject.id,
        grantee.id,
        input.level,
        ctx.actor.id,
        input.expiresAt ?? null,
        ctx.services.clock.now(),
      ],
    );
    const row = (await grantById(tx, saved!.id))!;
    await sharingEvent(tx, saved!.created ? 'grant.created' : 'grant.updated', row, facts);
    await em.flush();
    return row;
  });
  return grantView(row, ctx.services.clock.now());
}

/** A grant the actor may change: its object must be one they may share, else NOT_FOUND. */
async function shareableGrant(ctx: Ctx, grantId: string) {
  const row = await grantById(ctx, grantId);
  const gone = () =>
    new TRPCError({ code: 'NOT_FOUND', message: 'No such grant. It may have been removed; reload the list.' });
  if (!row) throw gone();
  const facts = await authorize(ctx, 'share', subjectOf({ type: row.on_type, id: row.on_id })).catch((error) => {
    throw error instanceof TRPCError && error.code === 'NOT_FOUND' ? gone() : error;
  });
  return { row, facts };
}

export async function update(ctx: Ctx, input: z.infer<typeof schema.updateInput>) {
  const { row, facts } = await shareableGrant(ctx, input.grantId);
  if (row.revoked_at) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: 'This access was revoked meanwhile. Share again to give it back.',
    });
  }
  checkLevel(row.on_type, input.level);
  checkExpiry(ctx, input.expiresAt);
  const updated = await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    await query(
      em,
      `update grants set level = coalesce($2, level),
         expires_at = case when $3::boolean then $4::timestamptz else expires_at end
       where id = $1 and revoked_at is null`,
      [row.id, input.level ?? null, input.expiresAt !== undefined, input.expiresAt ?? null],
    );
    const updated = (await grantById(tx, row.id))!;
    await sharingEvent(tx, 'grant.updated', updated, facts);
    await em.flush();
    return updated;
  });
  return grantView(updated, ctx.services.clock.now());
}

/** Ends the grant now. Revoking a revoked grant changes nothing. */
export async function revoke(ctx: Ctx, input: z.infer<typeof schema.grantId>) {
  const { row, facts } = await shareableGrant(ctx, input.grantId);
  if (row.revoked_at) return grantView(row, ctx.services.clock.now());
  const revoked = await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    const done = await query(
      em,
      'update grants set revoked_at = $2 where id = $1 and revoked_at is null returning id',
      [row.id, ctx.services.clock.now()],
    );
    const revoked = (await grantById(tx, row.id))!;
    if (done.length) await sharingEvent(tx, 'grant.revoked', revoked, facts);
    await em.flush();
    return revoked;
  });
  return grantView(revoked, ctx.services.clock.now());
}

/** Searches per minute per person in the user picker: plenty for typing, too few to list everyone. */
const SEARCHES_PER_MINUTE = 120;

/**
 * The user picker: people of the organisation matching part of a name or email, with nothing but
 * id, name and email. Any signed-in person may search (to share, to delegate), rate-limited.
 * Deactivated accounts and the caller are left out.
 */
export async function searchUsers(ctx: Ctx, input: z.infer<typeof schema.searchUsersInput>) {
  const { allowed, retryAfterSeconds } = await ctx.services.rateLimiter.hit(
    `people-search:${ctx.actor.id}`,
    SEARCHES_PER_MINUTE,
    60,
  );
  if (!allowed) {
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `Too many searches at once. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
    });
  }
  // Same expression as users_search_trgm_idx, so the trigram index serves it.
  return query<{ id: string; name: string; email: string }>(
    ctx.em,
    `select id, name, email from users
     where org_id = $1 and status <> 'deactivated' and id <> $2 and (email || ' ' || lower(name)) like $3
     order by lower(name), email limit $4`,
    [ctx.services.orgId, ctx.actor.id, containing(input.search.toLowerCase()), input.limit],
  );
}

/** Everything shared with the caller through live grants: what, at which level, by whom. */
export async function sharedWithMe(ctx: Ctx, input: z.infer<typeof schema.sharedWithMeInput>) {
  const params: unknown[] = [ctx.actor.id, ctx.services.orgId, ctx.services.clock.now()];
  const filter = input.type ? `and gr.${SUBJECT_COLUMN[input.type]} is not null` : '';
  params.push(input.pageSize, (input.page - 1) * input.pageSize);
  const rows = await query<{
    id: string;
    type: SubjectType;
    subject_id: string;
    name: string;
    level: GrantLevel;
    expires_at: Date | null;
    created_at: Date;
    by_id: string;
    by_name: string;
    owner_id: string;
    owner_name: string;
    goal_id: string;
    goal_name: string;
    budget_id: string | null;
    budget_name: string | null;
    state: string | null;
    total: string;
  }>(
    ctx.em,
    `select gr.id,
            case when gr.goal_id is not null then 'goal' when gr.budget_id is not null then 'budget' else 'forecast' end as type,
            coalesce(gr.goal_id, gr.budget_id, gr.forecast_id) as subject_id,
            coalesce(g.name, b.name, f.name) as name, gr.level, gr.expires_at, gr.created_at,
            sb.id as by_id, sb.name as by_name, o.id as owner_id, o.name as owner_name,
            gg.id as goal_id, gg.name as goal_name, coalesce(b.id, fb.id) as budget_id, coalesce(b.name, fb.name) as budget_name,
            b.state, count(*) over ()::text as total
     from grants gr
     left join goals g on g.id = gr.goal_id
     left join budgets b on b.id = gr.budget_id
     left join forecasts f on f.id = gr.forecast_id
     left join budgets fb on fb.id = f.budget_id
     join goals gg on gg.id = coalesce(g.id, b.goal_id, fb.goal_id)
     join users o on o.id = coalesce(g.owner_id, b.owner_id, f.owner_id)
     join users sb on sb.id = gr.granted_by_id
     where gr.grantee_id = $1 and gr.org_id = $2 and gr.revoked_at is null
       and (gr.expires_at is null or gr.expires_at > $3) ${filter}
     order by gr.created_at desc, gr.id
     limit $4 offset $5`,
    params,
  );
  return {
    items: rows.map((r) => ({
      grantId: r.id,
      subject: { type: r.type, id: r.subject_id },
      name: r.name,
      level: r.level,
      expiresAt: r.expires_at ? new Date(r.expires_at) : null,
      sharedBy: { id: r.by_id, name: r.by_name },
      sharedAt: new Date(r.created_at),
      owner: { id: r.owner_id, name: r.owner_name },
      goal: { id: r.goal_id, name: r.goal_name },
      budget: r.budget_id ? { id: r.budget_id, name: r.budget_name as string } : null,
      /** A shared budget's workflow state. */
      state: r.state,
    })),
    total: Number(rows[0]?.total ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
}

export type AccessReason =
  | { kind: 'owner' }
  | { kind: 'owner-of'; of: SubjectType }
  | { kind: 'grant'; level: GrantLevel; on: SubjectType }
  | { kind: 'accountant' }
  | { kind: 'supervisor' }
  | { kind: 'admin' }
  | { kind: 'delegate'; onBehalfOf: { id: string; name: string } };

/** Which enclosing object each holder owns, in the order access.ts lists holders. */
const HOLDER_OF: Record<SubjectType, SubjectType[]> = { goal: [], budget: ['goal'], forecast: ['budget', 'goal'] };

/**
 * For admins: everyone who has access to the object, why, and what they may do, each person
 * decided by the policy itself (so the list cannot disagree with what the API lets them do).
 */
export async function whoHasAccess(ctx: Ctx, input: z.infer<typeof schema.subjectInput>) {
  const subject = subjectOf(input.subject);
  const facts = await authorize(ctx, 'read', subject);
  const people = await peopleWithStanding(ctx, input.subject.type, input.subject.id);
  const all = (await loadFacts(ctx, input.subject.type, [input.subject.id], people)).get(input.subject.id) ?? new Map();
  const users = await ctx.em.find(
    User,
    { id: { $in: people } },
    { fields: ['id', 'name', 'email', 'status'], orderBy: { name: 'asc', email: 'asc' } },
  );
  const names = new Map(users.map((u) => [u.id, u.name]));
  const rows = users.flatMap((user) => {
    const entry = all.get(user.id) as { facts: ObjectFacts; roles: RoleKey[] } | undefined;
    if (!entry) return [];
    const person = { id: user.id, roles: entry.roles };
    const permissions = Object.fromEntries(
      OBJECT_ACTIONS.map((a) => [a, decide(person, a, entry.facts).allowed]),
    ) as Permissions;
    if (!permissions.read) return [];
    return [
      {
        user: { id: user.id, name: user.name, email: user.email, status: user.status },
        reasons: reasonsFor(person, entry.facts, names),
        permissions,
      },
    ];
  });
  const { name, owner } = await describe(ctx, facts);
  return { subject: { ...input.subject, name }, owner, people: rows };
}

function reasonsFor(
  person: { id: string; roles: readonly RoleKey[] },
  facts: ObjectFacts,
  names: Map<string, string>,
): AccessReason[] {
  const reasons: AccessReason[] = [];
  if (facts.ownerId === person.id) reasons.push({ kind: 'owner' });
  facts.holderIds.forEach((id, i) => {
    const of = HOLDER_OF[facts.kind][i];
    if (id === person.id && of && id !== facts.ownerId) reasons.push({ kind: 'owner-of', of });
  });
  for (const g of facts.grants) reasons.push({ kind: 'grant', level: g.level, on: g.on });
  if (facts.accountant && person.roles.includes('accountant')) reasons.push({ kind: 'accountant' });
  if (facts.supervisor && person.roles.includes('supervisor')) reasons.push({ kind: 'supervisor' });
  if (person.roles.includes('admin')) reasons.push({ kind: 'admin' });
  for (const id of delegatingApprovers(facts)) {
    reasons.push({ kind: 'delegate', onBehalfOf: { id, name: names.get(id) ?? '' } });
  }
  return reasons;
}
