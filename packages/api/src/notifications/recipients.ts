/**
 * Who hears of what: every event type the notifications consumer understands, the people it
 * notifies, the family (which preference applies), and what they read. This is the one place to
 * change when the workflow, comments or sharing change what they emit.
 *
 * | event                    | notified                                                    | family    |
 * | ------------------------ | ----------------------------------------------------------- | --------- |
 * | budget.submitted         | approvers; the owner when someone submitted on their behalf | workflow  |
 * | budget.in_review         | owner                                                       | workflow  |
 * | budget.approved          | owner; supervisor (the final approval is theirs)            | workflow  |
 * | budget.final_approved    | owner, approvers                                            | workflow  |
 * | budget.changes_requested | owner                                                       | workflow  |
 * | budget.recalled          | approvers; supervisor when it was waiting for them          | workflow  |
 * | budget.cancelled         | owner, approvers, supervisor                                | workflow  |
 * | budget.reopened          | owner, approvers, supervisor                                | workflow  |
 * | approval.reminder        | approvers (automatic, while submitted / in review)          | workflow  |
 * | approval.escalated       | supervisor; approvers get the reminder                      | workflow  |
 * | comment.added            | mentioned people (mentions); other participants (comments)  | mentions, comments |
 * | grant.created            | grantee                                                     | sharing   |
 * | import.finished          | who started the import                                      | imports   |
 * | reminder.due             | the reminder's recipients (its owner, or the collaborators) | reminders |
 * | message.sent             | the chosen collaborators                                    | messages  |
 *
 * Everyone above except the person who acted (`actorId`), each person once (the first line that
 * names them wins), and only active accounts (deliver.ts). Workflow events also notify
 * `onBehalfOf` when set. An event type not listed notifies nobody; a listed event whose payload
 * does not have the shape below is an error (retried, then dead-lettered).
 */
import type { NotificationFamily } from '@goalpost/db';
import { z } from 'zod';
import type { BusEvent } from '../outbox/bus.ts';
import { links } from './links.ts';

/** A notification to write, before preferences decide its channels. */
export interface Draft {
  recipientId: string;
  family: NotificationFamily;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
}

/** Names of what events mention, loaded for a whole batch (deliver.ts). */
export interface Names {
  user(id: string | null | undefined): string;
  budget(id: string): string;
  goal(id: string): string;
  forecast(id: string): string;
}

/** The ids a batch of events mentions, so their names are loaded in one query per table. */
export interface Mentioned {
  users: Set<string>;
  budgets: Set<string>;
  goals: Set<string>;
  forecasts: Set<string>;
}

const id = z.uuid();
const subject = z.union([z.object({ forecastId: id }), z.object({ budgetId: id }), z.object({ goalId: id })]);

export const workflowPayload = z.object({
  budgetId: id,
  goalId: id,
  versionNumber: z.number().int(),
  from: z.string(),
  to: z.string(),
  actorId: id.nullish(),
  onBehalfOf: id.nullish(),
  reason: z.string().nullish(),
  recipients: z.object({ owner: id, approvers: z.array(id), supervisor: id.nullish() }),
});

const approvalReminderPayload = z.object({
  budgetId: id,
  goalId: id.nullish(),
  versionNumber: z.number().int(),
  reminderNumber: z.number().int().min(1),
  waitingSince: z.string(),
  recipients: z.object({ approvers: z.array(id), supervisor: id.nullish() }),
});

const commentPayload = z.object({
  budgetId: id,
  forecastId: id.nullish(),
  threadId: id,
  commentId: id,
  lineKey: z.string(),
  period: z.string().nullish(),
  mentions: z.array(id).default([]),
  participants: z.array(id).default([]),
  actorId: id.nullish(),
  excerpt: z.string().nullish(),
});

const grantPayload = z.object({
  subject,
  granteeId: id,
  level: z.string(),
  actorId: id.nullish(),
});

const importPayload = z.object({
  importId: id,
  fileName: z.string(),
  status: z.enum(['done', 'failed']),
  createdBy: id,
  budgetId: id.nullish(),
  error: z.string().nullish(),
});

const reminderPayload = z.object({
  reminderId: id,
  message: z.string(),
  subject,
  recipients: z.array(id),
});

const messagePayload = z.object({
  budgetId: id,
  goalId: id.nullish(),
  message: z.string(),
  recipients: z.array(id).min(1),
  actorId: id.nullish(),
});

type Role = { recipientId: string | null | undefined; family: NotificationFamily; kind: string; title: string };

interface Rule<P> {
  payload: z.ZodType<P>;
  mentions(p: P, m: Mentioned): void;
  drafts(p: P, names: Names, event: BusEvent): { roles: Role[]; body: string | null; link: string | null };
}

/** Rules of different payloads in one table: each parses its own payload before using it. */
function rule<P>(r: Rule<P>): Rule<unknown> {
  return r as unknown as Rule<unknown>;
}

const LEVEL_VERB: Record<string, string> = {
  viewer: 'view it',
  commenter: 'view and comment on it',
  editor: 'view, comment on and edit it',
  approver: 'review and approve it',
};

type Workflow = z.infer<typeof workflowPayload>;

/** The budget name in quotes, as every title shows it. */
const q = (name: string) => `“${name}”`;

function workflowRule(
  roles: (p: Workflow, n: Names, actor: string, budget: string) => Role[],
  body: (p: Workflow, n: Names) => string | null = (p) => p.reason ?? null,
  link: (p: Workflow) => string = (p) => links.budget(p.budgetId),
): Rule<unknown> {
  return rule<Workflow>({
    payload: workflowPayload,
    mentions(p, m) {
      m.budgets.add(p.budgetId);
      for (const u of [p.actorId, p.onBehalfOf, p.recipients.supervisor]) if (u) m.users.add(u);
    },
    drafts(p, n, event) {
      const actor = n.user(p.actorId);
      const budget = q(n.budget(p.budgetId));
      const listed = roles(p, n, actor, budget);
      const onBehalf: Role[] = p.onBehalfOf
        ? [
            {
              recipientId: p.onBehalfOf,
              family: 'workflow',
              kind: event.type,
              title: `${actor} acted for you on ${budget}: ${p.to.replace('_', ' ')}`,
            },
          ]
        : [];
      return { roles: [...listed, ...onBehalf], body: body(p, n), link: link(p) };
    },
  });
}

const each = (ids: readonly (string | null | undefined)[], role: Omit<Role, 'recipientId'>): Role[] =>
  ids.map((recipientId) => ({ ...role, recipientId }));

export const RULES: Record<string, Rule<unknown>> = {
  'budget.submitted': workflowRule(
    (p, _n, actor, budget) =>
      each(p.recipients.approvers, {
        family: 'workflow',
        kind: 'budget.submitted',
        title: `${actor} submitted ${budget} for approval`,
      }),
    (p) => `Version ${p.versionNumber} is waiting for your review.`,
    (p) => links.approval(p.budgetId),
  ),
  'budget.in_review': workflowRule((p, _n, actor, budget) => [
    {
      recipientId: p.recipients.owner,
      family: 'workflow',
      kind: 'budget.in_review',
      title: `${actor} is reviewing ${budget}`,
    },
  ]),
  'budget.approved': workflowRule(
    (p, _n, actor, budget) => [
      {
        recipientId: p.recipients.owner,
        family: 'workflow',
        kind: 'budget.approved',
        title: `${actor} approved ${budget}`,
      },
      {
        recipientId: p.recipients.supervisor,
        family: 'workflow',
        kind: 'budget.awaiting_final_approval',
        title: `${budget} is waiting for your final approval`,
      },
    ],
    (p, n) =>
      p.recipients.supervisor
        ? `Approved by ${n.user(p.actorId)}; the final approval is ${n.user(p.recipients.supervisor)}'s.`
        : (p.reason ?? null),
    (p) => links.approval(p.budgetId),
  ),
  'budget.final_approved': workflowRule((p, _n, actor, budget) =>
    each([p.recipients.owner, ...p.recipients.approvers], {
      family: 'workflow',
      kind: 'budget.final_approved',
      title: `${actor} gave ${budget} its final approval`,
    }),
  ),
  'budget.changes_requested': workflowRule(
    (p, _n, actor, budget) => [
      {
        recipientId: p.recipients.owner,
        family: 'workflow',
        kind: 'budget.changes_requested',
        title: `${actor} sent ${budget} back for changes`,
      },
    ],
    (p) => p.reason ?? null,
  ),
  'budget.recalled': workflowRule((p, _n, actor, budget) =>
    each(p.from === 'approved' ? [p.recipients.supervisor] : p.recipients.approvers, {
      family: 'workflow',
      kind: 'budget.recalled',
      title: `${actor} recalled ${budget} from approval`,
    }),
  ),
  'budget.cancelled': workflowRule((p, _n, actor, budget) =>
    each([p.recipients.owner, ...p.recipients.approvers, p.recipients.supervisor], {
      family: 'workflow',
      kind: 'budget.cancelled',
      title: `${actor} cancelled the approval of ${budget}`,
    }),
  ),
  'budget.reopened': workflowRule((p, _n, actor, budget) =>
    each([p.recipients.owner, ...p.recipients.approvers, p.recipients.supervisor], {
      family: 'workflow',
      kind: 'budget.reopened',
      title: `${actor} reopened ${budget} as version ${p.versionNumber}`,
    }),
  ),
  'approval.reminder': rule({
    payload: approvalReminderPayload,
    mentions(p, m) {
      m.budgets.add(p.budgetId);
    },
    drafts(p, n) {
      return {
        roles: each(p.recipients.approvers, {
          family: 'workflow',
          kind: 'approval.reminder',
          title: `Reminder: ${q(n.budget(p.budgetId))} is waiting for your approval`,
        }),
        body: `Version ${p.versionNumber} has been waiting since ${p.waitingSince.slice(0, 10)} (reminder ${p.reminderNumber}).`,
        link: links.approval(p.budgetId),
      };
    },
  }),
  'approval.escalated': rule({
    payload: approvalReminderPayload,
    mentions(p, m) {
      m.budgets.add(p.budgetId);
      for (const u of p.recipients.approvers) m.users.add(u);
    },
    drafts(p, n) {
      const budget = q(n.budget(p.budgetId));
      const approvers = p.recipients.approvers.map((a) => n.user(a)).join(', ') || 'its approvers';
      return {
        roles: [
          {
            recipientId: p.recipients.supervisor,
            family: 'workflow',
            kind: 'approval.escalated',
            title: `${budget} is still waiting for approval`,
          },
          ...each(p.recipients.approvers, {
            family: 'workflow',
            kind: 'approval.reminder',
            title: `Reminder: ${budget} is waiting for your approval`,
          }),
        ],
        body: `Version ${p.versionNumber} has been waiting since ${p.waitingSince.slice(0, 10)}; ${approvers} ${p.recipients.approvers.length === 1 ? 'was' : 'were'} reminded ${p.reminderNumber - 1} times.`,
        link: links.approval(p.budgetId),
      };
    },
  }),
  'comment.added': rule({
    payload: commentPayload,
    mentions(p, m) {
      m.budgets.add(p.budgetId);
      if (p.forecastId) m.forecasts.add(p.forecastId);
      if (p.actorId) m.users.add(p.actorId);
    },
    drafts(p, n) {
      const actor = n.user(p.actorId);
      const where = q(p.forecastId ? n.forecast(p.forecastId) : n.budget(p.budgetId));
      return {
        roles: [
          ...each(p.mentions, {
            family: 'mentions',
            kind: 'comment.mention',
            title: `${actor} mentioned you on ${where}`,
          }),
          ...each(p.participants, {
            family: 'comments',
            kind: 'comment.added',
            title: `${actor} commented on ${where}`,
          }),
        ],
        body: p.excerpt ?? null,
        link: links.thread(p),
      };
    },
  }),
  'grant.created': rule({
    payload: grantPayload,
    mentions(p, m) {
      if ('forecastId' in p.subject) m.forecasts.add(p.subject.forecastId);
      else if ('budgetId' in p.subject) m.budgets.add(p.subject.budgetId);
      else m.goals.add(p.subject.goalId);
      if (p.actorId) m.users.add(p.actorId);
    },
    drafts(p, n) {
      const s = p.subject;
      const name =
        'forecastId' in s ? n.forecast(s.forecastId) : 'budgetId' in s ? n.budget(s.budgetId) : n.goal(s.goalId);
      return {
        roles: [
          {
            recipientId: p.granteeId,
            family: 'sharing',
            kind: 'grant.created',
            title: `${n.user(p.actorId)} shared ${q(name)} with you`,
          },
        ],
        body: `You can ${LEVEL_VERB[p.level] ?? `open it as ${p.level}`}.`,
        link: links.subject(s),
      };
    },
  }),
  'import.finished': rule({
    payload: importPayload,
    mentions() {},
    drafts(p) {
      return {
        roles: [
          {
            recipientId: p.createdBy,
            family: 'imports',
            kind: `import.${p.status}`,
            title: p.status === 'done' ? `Your import ${q(p.fileName)} is done` : `Your import ${q(p.fileName)} failed`,
          },
        ],
        body: p.error ?? null,
        link: p.budgetId ? links.budget(p.budgetId) : null,
      };
    },
  }),
  'reminder.due': rule({
    payload: reminderPayload,
    mentions(p, m) {
      const s = p.subject;
      if ('forecastId' in s) m.forecasts.add(s.forecastId);
      else if ('budgetId' in s) m.budgets.add(s.budgetId);
      else m.goals.add(s.goalId);
    },
    drafts(p, n) {
      const s = p.subject;
      const name =
        'forecastId' in s ? n.forecast(s.forecastId) : 'budgetId' in s ? n.budget(s.budgetId) : n.goal(s.goalId);
      return {
        roles: each(p.recipients, { family: 'reminders', kind: 'reminder.due', title: `Reminder about ${q(name)}` }),
        body: p.message,
        link: links.subject(s),
      };
    },
  }),
  'message.sent': rule({
    payload: messagePayload,
    mentions(p, m) {
      m.budgets.add(p.budgetId);
      if (p.actorId) m.users.add(p.actorId);
    },
    drafts(p, n) {
      return {
        roles: each(p.recipients, {
          family: 'messages',
          kind: 'message.sent',
          title: `${n.user(p.actorId)} sent you a message about ${q(n.budget(p.budgetId))}`,
        }),
        body: p.message,
        link: links.budget(p.budgetId),
      };
    },
  }),
};

/** Adds the ids `event` mentions to `m`. Throws (a poison event) when a known type has the wrong shape. */
export function mentionsOf(event: BusEvent, m: Mentioned): void {
  const r = RULES[event.type];
  if (!r) return;
  r.mentions(parse(event, r), m);
}

/** The notifications `event` makes, one per person, without the person who acted. */
export function draftsFor(event: BusEvent, names: Names): Draft[] {
  const r = RULES[event.type];
  if (!r) return [];
  const { roles, body, link } = r.drafts(parse(event, r), names, event);
  const actorId = typeof event.payload.actorId === 'string' ? event.payload.actorId : null;
  const seen = new Set<string>();
  const drafts: Draft[] = [];
  for (const role of roles) {
    if (!role.recipientId || role.recipientId === actorId || seen.has(role.recipientId)) continue;
    seen.add(role.recipientId);
    drafts.push({
      recipientId: role.recipientId,
      family: role.family,
      kind: role.kind,
      title: role.title.slice(0, 300),
      body,
      link,
    });
  }
  return drafts;
}

function parse(event: BusEvent, r: Rule<unknown>): unknown {
  const parsed = r.payload.safeParse(event.payload);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
    throw new Error(`Event ${event.id} (${event.type}) has a payload this consumer cannot read: ${problems}`);
  }
  return parsed.data;
}
