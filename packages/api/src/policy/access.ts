/**
 * Loads what the policy decides on for objects and people, in one query, and enforces the
 * decision: NOT_FOUND when the actor may not even read the object (or it does not exist: the two
 * answers are the same on purpose), FORBIDDEN when they may read it but not do this.
 * Also the SQL condition lists use (`readable`), kept in agreement with `allows` for reading
 * (policy/readable.test.ts checks the two on generated cases).
 *
 * Time: a grant has expired when its expires_at is at or before the clock's now; a delegation is
 * in force from starts_at (included) to ends_at (excluded). Both read the injected clock.
 */
import { type GrantLevel, query, type RoleKey, type WorkflowState } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { ActorContext, ServiceContext } from '../context.ts';
import {
  type AccessFacts,
  type Bar,
  decide,
  OBJECT_ACTIONS,
  type ObjectAction,
  type PolicyActor,
  type Standing,
  type SubjectType,
} from './objects.ts';

export type Subject = { goalId: string } | { budgetId: string } | { forecastId: string };

interface Located extends AccessFacts {
  kind: SubjectType;
  goalId: string;
}
export interface GoalFacts extends Located {
  kind: 'goal';
}
export interface BudgetFacts extends Located {
  kind: 'budget';
  budgetId: string;
  state: WorkflowState;
  versionNumber: number;
  locked: boolean;
}
export interface ForecastFacts extends Located {
  kind: 'forecast';
  budgetId: string;
  forecastId: string;
}
export type ObjectFacts = GoalFacts | BudgetFacts | ForecastFacts;
type FactsOf<S extends Subject> = S extends { forecastId: string }
  ? ForecastFacts
  : S extends { budgetId: string }
    ? BudgetFacts
    : GoalFacts;

export function kindOf(subject: Subject): SubjectType {
  return 'forecastId' in subject ? 'forecast' : 'budgetId' in subject ? 'budget' : 'goal';
}
export function idOf(subject: Subject): string {
  return 'forecastId' in subject ? subject.forecastId : 'budgetId' in subject ? subject.budgetId : subject.goalId;
}
/** `{ type: 'budget', id }` (the API's form, which validates with field paths) as a Subject. */
export function subjectOf(ref: { type: SubjectType; id: string }): Subject {
  if (ref.type === 'forecast') return { forecastId: ref.id };
  if (ref.type === 'budget') return { budgetId: ref.id };
  return { goalId: ref.id };
}

/**
 * One row per object, whatever its kind: its owner, the owners of what it belongs to, the ids whose
 * grants count for it, and for budgets the current version's workflow facts. `$1` holds the ids.
 */
const OBJECTS: Record<SubjectType, string> = {
  goal: `select g.id as goal_id, null::uuid as budget_id, null::uuid as forecast_id, g.owner_id,
                array[]::uuid[] as holder_ids, array[g.id] as scope_ids, false as has_workflow,
                null::text as state, null::int as version_number, false as locked,
                null::uuid as submitted_by, null::uuid as approved_by
         from goals g where g.id = any($1::uuid[]) and g.org_id = $2`,
  budget: `select b.goal_id, b.id as budget_id, null::uuid as forecast_id, b.owner_id,
                  array[g.owner_id] as holder_ids, array[b.id, b.goal_id] as scope_ids, true as has_workflow,
                  v.state::text as state, v.number as version_number, v.locked_at is not null as locked,
                  v.submitted_by_id as submitted_by, v.approved_by_id as approved_by
           from budgets b join goals g on g.id = b.goal_id
           join budget_versions v on v.budget_id = b.id and v.number = b.current_version_number
           where b.id = any($1::uuid[]) and b.org_id = $2`,
  forecast: `select b.goal_id, f.budget_id, f.id as forecast_id, f.owner_id,
                    array[b.owner_id, g.owner_id] as holder_ids, array[f.id, f.budget_id, b.goal_id] as scope_ids,
                    false as has_workflow, null::text as state, null::int as version_number, false as locked,
                    null::uuid as submitted_by, null::uuid as approved_by
             from forecasts f join budgets b on b.id = f.budget_id join goals g on g.id = b.goal_id
             where f.id = any($1::uuid[]) and f.org_id = $2`,
};

/** A person's standing on object `o` as JSON columns; `person` is the SQL naming them. */
function standingSql(person: string): string {
  return `'grants', coalesce((
      select json_agg(json_build_object('level', gr.level, 'on',
               case when gr.goal_id is not null then 'goal' when gr.budget_id is not null then 'budget' else 'forecast' end))
      from grants gr
      where coalesce(gr.goal_id, gr.budget_id, gr.forecast_id) = any(o.scope_ids) and gr.grantee_id = ${person}
        and gr.revoked_at is null and (gr.expires_at is null or gr.expires_at > $4)), '[]'::json),
    'accountant', exists(select 1 from user_accountants ua
                         where ua.accountant_id = ${person} and ua.user_id = any(o.holder_ids || o.owner_id)),
    'supervisor', exists(select 1 from users s where s.id = any(o.holder_ids || o.owner_id) and s.supervisor_id = ${person})`;
}

const rolesSql = (person: string) =>
  `array(select r.key::text from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = ${person} order by r.key)`;

function factsSql(kind: SubjectType): string {
  return `with o as (${OBJECTS[kind]})
    select o.goal_id, o.budget_id, o.forecast_id, o.owner_id, o.holder_ids, o.state, o.version_number, o.locked,
           o.submitted_by, o.approved_by, o.has_workflow, a.id as person_id, ${rolesSql('a.id')} as roles,
           json_build_object(${standingSql('a.id')}) as standing,
           case when o.has_workflow then coalesce((
             select json_agg(json_build_object('approverId', d.approver_id, 'roles', ${rolesSql('d.approver_id')},
                                               'standing', json_build_object(${standingSql('d.approver_id')}))
                             order by d.starts_at, d.approver_id)
             from delegations d join users du on du.id = d.approver_id and du.status = 'active'
             where d.delegate_id = a.id and d.revoked_at is null and d.starts_at <= $4 and d.ends_at > $4), '[]'::json)
           else '[]'::json end as delegations
    from o cross join unnest($3::uuid[]) as a(id)`;
}

interface FactsRow {
  goal_id: string;
  budget_id: string | null;
  forecast_id: string | null;
  owner_id: string;
  holder_ids: string[];
  state: WorkflowState | null;
  version_number: number | null;
  locked: boolean;
  submitted_by: string | null;
  approved_by: string | null;
  has_workflow: boolean;
  person_id: string;
  roles: RoleKey[];
  standing: { grants: { level: GrantLevel; on: SubjectType }[]; accountant: boolean; supervisor: boolean };
  delegations: { approverId: string; roles: RoleKey[]; standing: FactsRow['standing'] }[];
}

function toFacts(kind: SubjectType, row: FactsRow): ObjectFacts {
  const owners = { ownerId: row.owner_id, holderIds: row.holder_ids };
  const standing = (s: FactsRow['standing']): Standing => ({ ...owners, ...s });
  const common = {
    ...standing(row.standing),
    goalId: row.goal_id,
    workflow: row.has_workflow ? { submittedById: row.submitted_by, approvedById: row.approved_by } : null,
    delegations: row.delegations.map((d) => ({
      approverId: d.approverId,
      roles: d.roles,
      standing: standing(d.standing),
    })),
  };
  if (kind === 'goal') return { ...common, kind };
  if (kind === 'forecast') {
    return { ...common, kind, budgetId: row.budget_id as string, forecastId: row.forecast_id as string };
  }
  return {
    ...common,
    kind,
    budgetId: row.budget_id as string,
    state: row.state as WorkflowState,
    versionNumber: row.version_number as number,
    locked: row.locked,
  };
}

/**
 * The facts about objects of one kind for several people, in one query: `authorize` asks for one
 * object and the actor; the approvals inbox for many budgets and the actor; the access list and
 * @mention checks for one object and many people. Keyed by object id, then person id.
 */
export async function loadFacts(
  ctx: ServiceContext,
  kind: SubjectType,
  objectIds: readonly string[],
  personIds: readonly string[],
): Promise<Map<string, Map<string, { facts: ObjectFacts; roles: RoleKey[] }>>> {
  const result = new Map<string, Map<string, { facts: ObjectFacts; roles: RoleKey[] }>>();
  if (!objectIds.length || !personIds.length) return result;
  const rows = await query<FactsRow>(ctx.em, factsSql(kind), [
    [...objectIds],
    ctx.services.orgId,
    [...personIds],
    ctx.services.clock.now(),
  ]);
  for (const row of rows) {
    const id = (kind === 'goal' ? row.goal_id : kind === 'budget' ? row.budget_id : row.forecast_id) as string;
    if (!result.has(id)) result.set(id, new Map());
    result.get(id)?.set(row.person_id, { facts: toFacts(kind, row), roles: row.roles });
  }
  return result;
}

const NOUN: Record<SubjectType, string> = { goal: 'goal', budget: 'budget', forecast: 'forecast' };

const VERB: Record<ObjectAction, string> = {
  read: 'open',
  comment: 'comment on',
  edit: 'edit',
  manage: 'change the settings of',
  share: 'share',
  submit: 'submit',
  recall: 'recall',
  approve: 'approve',
  'final-approve': 'give the final approval to',
  cancel: 'cancel',
  reopen: 'reopen',
};

/** Who does hold the right, so a refusal tells the person whom to ask. */
const WHO: Record<ObjectAction, string> = {
  read: '',
  comment: 'Commenting needs commenter rights or more; ask its owner to share it with you.',
  edit: 'Editing needs editor rights; ask its owner to share it with you as an editor.',
  manage: 'Only its owner or an administrator may.',
  share: 'Only its owner or an administrator may share it.',
  submit: 'Only its owner and its editors submit it.',
  recall: 'Only its owner and whoever submitted it may recall it.',
  approve: "The first approval is for its approvers and the owner's accountants.",
  'final-approve': "The final approval is for the owner's supervisor.",
  cancel: 'Only an administrator may cancel it.',
  reopen: 'Only its owner may reopen it.',
};

const BARS: Record<Bar, string> = {
  'own-budget': 'You own this budget, and nobody approves their own budget.',
  'own-submission': 'You submitted this version, so someone else must approve it.',
  'first-approver': 'You gave this version its first approval; the final approval needs someone else.',
};

export function notFound(kind: SubjectType): TRPCError {
  return new TRPCError({
    code: 'NOT_FOUND',
    message: `This ${NOUN[kind]} does not exist, or it has not been shared with you.`,
  });
}

/**
 * The refusal for an actor who may read the object but not do `action`; `verb` names what they
 * tried when it is not the right's own name (a workflow move such as "send back" needs `approve`).
 */
export function forbidden(actor: PolicyActor, action: ObjectAction, facts: ObjectFacts, verb?: string): TRPCError {
  const { bar } = decide(actor, action, facts);
  const tried = verb ?? VERB[action];
  const message = bar ? BARS[bar] : `You may not ${tried} this ${NOUN[facts.kind]}. ${WHO[action]}`.trim();
  return new TRPCError({ code: 'FORBIDDEN', message });
}

/** The facts about `subject` if the actor may do `action` to it; otherwise NOT_FOUND or FORBIDDEN. */
export async function authorize<S extends Subject>(
  ctx: ActorContext,
  action: ObjectAction,
  subject: S,
): Promise<FactsOf<S>> {
  const kind = kindOf(subject);
  const id = idOf(subject);
  const facts = (await loadFacts(ctx, kind, [id], [ctx.actor.id])).get(id)?.get(ctx.actor.id)?.facts;
  if (!facts || !decide(ctx.actor, 'read', facts).allowed) throw notFound(kind);
  if (!decide(ctx.actor, action, facts).allowed) throw forbidden(ctx.actor, action, facts);
  return facts as FactsOf<S>;
}

export type Permissions = Record<ObjectAction, boolean>;

/** What the actor may do with an object they can read, for the buttons a page shows. */
export function permissionsOn(ctx: ActorContext, facts: AccessFacts): Permissions {
  return Object.fromEntries(OBJECT_ACTIONS.map((a) => [a, decide(ctx.actor, a, facts).allowed])) as Permissions;
}

/**
 * Each kind's table joined to what it belongs to, as `o` (the object) and its parents: the columns
 * naming its owners (the object's owner and its holders, as in OBJECTS) and the ids whose grants
 * count for it. The joins repeat the organisation so the planner can use the (org, owner) indexes
 * of the parents too.
 */
const READ_PATHS: Record<SubjectType, { from: string; owners: string[]; scopes: string[] }> = {
  goal: { from: 'goals o', owners: ['o.owner_id'], scopes: ['o.id'] },
  budget: {
    from: 'budgets o join goals g on g.id = o.goal_id and g.org_id = o.org_id',
    owners: ['o.owner_id', 'g.owner_id'],
    scopes: ['o.id', 'o.goal_id'],
  },
  forecast: {
    from: `forecasts o join budgets b on b.id = o.budget_id and b.org_id = o.org_id
           join goals g on g.id = b.goal_id and g.org_id = o.org_id`,
    owners: ['o.owner_id', 'b.owner_id', 'g.owner_id'],
    scopes: ['o.id', 'o.budget_id', 'b.goal_id'],
  },
};

/**
 * SQL condition true for the goals, budgets or forecasts (`kind`) the actor may read: `alias` is
 * that table's alias in the caller's query; the condition's parameters are appended to `params`
 * and numbered after those already there. Mirrors `allows(…, 'read', facts)` as loadFacts builds
 * them: owners and holders, admins, live grants on the object or what it belongs to, accountants
 * assigned to an owner or holder and their supervisor (each role checked as the policy does), and
 * for budgets the delegates of anyone who may approve them (policy/readable.test.ts checks it).
 */
export function readable(ctx: ActorContext, kind: SubjectType, alias: string, params: unknown[]): string {
  if (ctx.actor.roles.includes('admin')) return 'true';
  params.push(ctx.actor.id, ctx.services.clock.now(), ctx.services.orgId);
  const me = `$${params.length - 2}::uuid`;
  const now = `$${params.length - 1}::timestamptz`;
  const org = `$${params.length}::uuid`;
  const live = `gr.revoked_at is null and (gr.expires_at is null or gr.expires_at > ${now})`;
  const hasRole = (person: string, role: RoleKey) =>
    `exists(select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = ${person} and r.key = '${role}')`;
  const { from, owners, scopes } = READ_PATHS[kind];
  // The ids of the objects the actor reads, one branch per owner or scope column, each found
  // through an index keyed by the people or grants it starts from. Written as ORs on the listed
  // table instead, no index serves the condition and every list scans the whole organisation.
  const branches = (people: string, granted: string) => [
    ...owners.map((column) => `select o.id from ${from} where o.org_id = ${org} and ${column} in (${people})`),
    ...scopes.map((column) => `select o.id from ${from} where o.org_id = ${org} and ${column} in (${granted})`),
  ];
  // Whose objects the actor reads: their own, and as accountant or supervisor (with the role).
  const people = [`select ${me}`];
  if (ctx.actor.roles.includes('accountant')) {
    people.push(`select ua.user_id from user_accountants ua where ua.accountant_id = ${me}`);
  }
  if (ctx.actor.roles.includes('supervisor')) people.push(`select s.id from users s where s.supervisor_id = ${me}`);
  const paths = branches(
    people.join(' union all '),
    `select coalesce(gr.goal_id, gr.budget_id, gr.forecast_id) from grants gr where gr.grantee_id = ${me} and ${live}`,
  );
  if (kind === 'budget') {
    // A delegate reads the budgets their approvers may approve (at either level), by the
    // approvers' own standing: an approver grant, or the accountant's or supervisor's place.
    const approvers = `select d.approver_id from delegations d join users du on du.id = d.approver_id and du.status = 'active'
      where d.delegate_id = ${me} and d.revoked_at is null and d.starts_at <= ${now} and d.ends_at > ${now}`;
    paths.push(
      ...branches(
        `select ua.user_id from user_accountants ua
          where ua.accountant_id in (${approvers}) and ${hasRole('ua.accountant_id', 'accountant')}
         union all select s.id from users s
          where s.supervisor_id in (${approvers}) and ${hasRole('s.supervisor_id', 'supervisor')}`,
        `select coalesce(gr.goal_id, gr.budget_id, gr.forecast_id) from grants gr
          where gr.grantee_id in (${approvers}) and gr.level = 'approver' and ${live}`,
      ),
    );
  }
  return `${alias}.id in (${paths.join(' union all ')})`;
}

/**
 * Everyone who might hold some right on an object, for the access list, @mention checks and the
 * recipients of workflow events: its owners, live grantees, the owners' accountants and
 * supervisors, admins, and the delegates of any of them. Deactivated accounts are left out. A
 * superset: callers decide each person with `loadFacts` and the policy.
 */
export async function peopleWithStanding(ctx: ServiceContext, kind: SubjectType, id: string): Promise<string[]> {
  const rows = await query<{ id: string }>(
    ctx.em,
    `with o as (${OBJECTS[kind]}),
     owners as (select unnest(o.holder_ids || o.owner_id) as id from o),
     direct as (
       select id from owners
       union select gr.grantee_id from grants gr, o
             where coalesce(gr.goal_id, gr.budget_id, gr.forecast_id) = any(o.scope_ids)
               and gr.revoked_at is null and (gr.expires_at is null or gr.expires_at > $3)
       union select ua.accountant_id from user_accountants ua where ua.user_id in (select id from owners)
       union select s.supervisor_id from users s where s.id in (select id from owners) and s.supervisor_id is not null
       union select ur.user_id from user_roles ur join roles r on r.id = ur.role_id where r.key = 'admin' and r.org_id = $2),
     everyone as (
       select id from direct
       union select d.delegate_id from delegations d
             where d.approver_id in (select id from direct) and d.revoked_at is null and d.starts_at <= $3 and d.ends_at > $3)
     select u.id from everyone e join users u on u.id = e.id where u.status <> 'deactivated' order by u.name, u.id`,
    [[id], ctx.services.orgId, ctx.services.clock.now()],
  );
  return rows.map((r) => r.id);
}
