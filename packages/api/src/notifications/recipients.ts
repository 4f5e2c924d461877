/**
 * Who hears of what: every event type the notifications consumer understands, the people it
 * notifies, the family (which preference applies), and what they read. The payloads are the ones
 * their producers document: workflow/events.ts, comments/events.ts, sharing/events.ts, and, for the
 * events this work emits itself, reminders/scheduler.ts, notifications/service.ts and the imports.
 *
 * | event                                  | notified                                                        | family    |
 * | -------------------------------------- | --------------------------------------------------------------- | --------- |
 * | budget.submitted … budget.cancelled    | the payload's `notify` (the workflow decides, see below), and   | workflow  |
 * |   (every workflow transition)          | `onBehalfOfId`: the approver a delegate acted for               |           |
 * |   submitted, recalled                  |   approvers                                                     |           |
 * |   review-started, final-approved       |   owners                                                        |           |
 * |   approved                             |   owners; final approvers ("waiting for your final approval")   |           |
 * |   changes-requested                    |   owners and whoever submitted the version                      |           |
 * |   cancelled                            |   owners, approvers, final approvers                            |           |
 * |   revised, reopened                    |   nobody                                                        |           |
 * | delegation.created, delegation.ended   | the delegate and the approver                                   | workflow  |
 * | approval.reminder                      | the budget's approvers now (automatic, while submitted / in     | workflow  |
 * |                                        | review)                                                         |           |
 * | approval.escalated                     | its final approvers (the supervisor); approvers get a reminder  | workflow  |
 * | comment.added                          | mentioned people (mentions); the thread's other participants    | mentions, |
 * |                                        | and the owner of the budget or forecast (comments)              | comments  |
 * | thread.resolved, thread.reopened       | the thread's participants                                       | comments  |
 * | grant.created, grant.updated,          | the grantee                                                     | sharing   |
 * |   grant.revoked                        |                                                                 |           |
 * | import.finished                        | who started the import                                          | imports   |
 * | reminder.due                           | the reminder's recipients (its owner, or the collaborators)     | reminders |
 * | message.sent                           | the chosen collaborators                                        | messages  |
 *
 * Everyone above except the person who acted (`actorId`), each person once (the first line that
 * names them wins), and only active accounts (deliver.ts). An event type not listed notifies
 * nobody; a listed event whose payload does not have the shape below is an error (retried, then
 * dead-lettered).
 */
import { GRANT_LEVELS, type NotificationFamily, WORKFLOW_STATES } from '@goalpost/db';
import { z } from 'zod';
import type { BusEvent } from '../outbox/bus.ts';
import { SUBJECT_TYPES } from '../policy/objects.ts';
import { WORKFLOW_ACTIONS, type WorkflowAction } from '../workflow/transitions.ts';
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
const ids = z.array(id);
const subject = z.union([z.object({ forecastId: id }), z.object({ budgetId: id }), z.object({ goalId: id })]);

/** workflow/events.ts WorkflowEventPayload (only the fields read here). */
export const workflowPayload = z.object({
  budgetId: id,
  budgetName: z.string(),
  goalId: id,
  versionNumber: z.number().int(),
  action: z.enum(WORKFLOW_ACTIONS),
  from: z.enum(WORKFLOW_STATES),
  to: z.enum(WORKFLOW_STATES),
  actorId: id,
  onBehalfOfId: id.nullable(),
  reason: z.string().nullable(),
  ownerId: id,
  recipients: z.object({ owners: ids, approvers: ids, finalApprovers: ids }),
  notify: ids,
});

/** workflow/events.ts DelegationEventPayload. */
const delegationPayload = z.object({
  delegationId: id,
  approverId: id,
  delegateId: id,
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  actorId: id,
});

/** reminders/scheduler.ts: one firing of a budget's automatic approval reminder. */
const approvalReminderPayload = z.object({
  budgetId: id,
  versionNumber: z.number().int(),
  reminderNumber: z.number().int().min(1),
  waitingSince: z.string(),
  recipients: z.object({ approvers: ids, finalApprovers: ids }),
});

/** comments/events.ts CellAnchor: where a thread is. */
const cellAnchor = {
  threadId: id,
  subject: z.object({ type: z.enum(['budget', 'forecast']), id }),
  budgetId: id,
  forecastId: id.nullable(),
  lineKey: z.string(),
  period: z.iso.date(),
  ownerId: id,
  participants: ids,
  actorId: id,
};

/** comments/events.ts CommentEventPayload. */
const commentPayload = z.object({ ...cellAnchor, excerpt: z.string(), mentions: ids, newThread: z.boolean() });

/** comments/events.ts ThreadEventPayload. */
const threadPayload = z.object({ ...cellAnchor, status: z.enum(['open', 'resolved']) });

/** sharing/events.ts SharingEventPayload. */
const grantPayload = z.object({
  subject: z.object({ type: z.enum(SUBJECT_TYPES), id }),
  subjectName: z.string(),
  granteeId: id,
  level: z.enum(GRANT_LEVELS),
  expiresAt: z.iso.datetime().nullable(),
  actorId: id,
});

const importPayload = z.object({
  importId: id,
  /** users, budget or forecast: budget and forecast imports have a page of their own. */
  kind: z.string().nullish(),
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
  recipients: ids,
});

const messagePayload = z.object({
  budgetId: id,
  goalId: id.nullish(),
  message: z.string(),
  recipients: ids.min(1),
  actorId: id.nullish(),
});

/** One person's notification of an event; `body` when it differs from the event's. */
type Role = {
  recipientId: string | null | undefined;
  family: NotificationFamily;
  kind: string;
  title: string;
  body?: string | null;
  /** Where this person's notification leads, when it differs from the event's. */
  link?: string | null;
};

interface Rule<P> {
  payload: z.ZodType<P>;
  mentions(p: P, m: Mentioned): void;
  drafts(p: P, names: Names, event: BusEvent): { roles: Role[]; body: string | null; link: string | null };
}

/** Rules of different payloads in one table: each parses its own payload before using it. */
function rule<P>(r: Rule<P>): Rule<unknown> {
  return r as unknown as Rule<unknown>;
}

const each = (people: readonly (string | null | undefined)[], role: Omit<Role, 'recipientId'>): Role[] =>
  people.map((recipientId) => ({ ...role, recipientId }));

/** A name in quotes, as every title shows it. */
const q = (name: string) => `“${name}”`;

/** Times in notifications are read by people in many zones: the date, the time and the zone. */
const moment = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const when = (iso: string) => `${moment.format(new Date(iso))} UTC`;

/** A budget period ('2027-02-01') as the grid heads its column: "Feb 2027". */
const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const month = (period: string) => monthFormat.format(new Date(`${period}T00:00:00Z`));

type Workflow = z.infer<typeof workflowPayload>;

/**
 * What each move reads like: the title for the people the workflow notifies, what it did (for
 * the approver a delegate acted for: "… approved “X” on your behalf"), and the body when the
 * mover left no note (with a note, the note follows it).
 */
const MOVES: Record<
  WorkflowAction,
  { title(actor: string, budget: string, p: Workflow): string; did: string; body(p: Workflow): string | null }
> = {
  submit: {
    title: (actor, budget) => `${actor} submitted ${budget} for approval`,
    did: 'submitted',
    body: (p) => `Revision ${p.versionNumber} is waiting for your review.`,
  },
  recall: {
    title: (actor, budget) => `${actor} recalled ${budget} from approval`,
    did: 'recalled',
    body: () => 'It is back in draft: there is nothing to review for now.',
  },
  'start-review': {
    title: (actor, budget) => `${actor} started reviewing ${budget}`,
    did: 'started reviewing',
    body: (p) => `Revision ${p.versionNumber} is in review, so it can no longer be recalled.`,
  },
  approve: {
    title: (actor, budget) => `${actor} approved ${budget}`,
    did: 'approved',
    body: (p) => `Revision ${p.versionNumber} now waits for its final approval.`,
  },
  'send-back': {
    title: (actor, budget) => `${actor} sent ${budget} back for changes`,
    did: 'sent back',
    // The reason is required: it is the body.
    body: () => null,
  },
  revise: {
    title: (actor, budget) => `${actor} is revising ${budget}`,
    did: 'revised',
    body: () => 'It is back in draft after the requested changes.',
  },
  'final-approve': {
    title: (actor, budget) => `${actor} gave ${budget} its final approval`,
    did: 'gave the final approval to',
    body: (p) => `Revision ${p.versionNumber} is approved and locked.`,
  },
  cancel: {
    title: (actor, budget) => `${actor} cancelled ${budget}`,
    did: 'cancelled',
    body: () => null,
  },
  reopen: {
    title: (actor, budget, p) => `${actor} reopened ${budget} as revision ${p.versionNumber}`,
    did: 'reopened',
    body: () => 'The new version is a draft; the approved one stays as it was.',
  },
};

/** A sentence and the mover's note after it, or either alone. */
const withNote = (sentence: string | null, note: string | null) =>
  sentence && note ? `${sentence} Note: ${note}` : (sentence ?? note);

const workflowRule = rule<Workflow>({
  payload: workflowPayload,
  mentions(p, m) {
    for (const u of [p.actorId, p.onBehalfOfId]) if (u) m.users.add(u);
  },
  drafts(p, n, event) {
    const move = MOVES[p.action];
    const budget = q(p.budgetName);
    const forWhom = p.onBehalfOfId ? ` (for ${n.user(p.onBehalfOfId)})` : '';
    const actor = `${n.user(p.actorId)}${forWhom}`;
    // First, so the approver a delegate acted for reads it this way even if the move is also for them.
    const onBehalf: Role[] = p.onBehalfOfId
      ? [
          {
            recipientId: p.onBehalfOfId,
            family: 'workflow',
            kind: event.type,
            title: `${n.user(p.actorId)} ${move.did} ${budget} on your behalf`,
          },
        ]
      : [];
    const told = p.notify.map(
      (recipientId): Role =>
        p.action === 'approve' && p.recipients.finalApprovers.includes(recipientId)
          ? {
              recipientId,
              family: 'workflow',
              kind: 'budget.awaiting-final-approval',
              title: `${budget} is waiting for your final approval`,
              body: withNote(`${actor} approved revision ${p.versionNumber}; the final approval is yours.`, p.reason),
            }
          : { recipientId, family: 'workflow', kind: event.type, title: move.title(actor, budget, p) },
    );
    return { roles: [...onBehalf, ...told], body: withNote(move.body(p), p.reason), link: links.budget(p.budgetId) };
  },
});

type Delegation = z.infer<typeof delegationPayload>;

function delegationRule(
  roles: (p: Delegation, n: Names, period: string) => { delegate: [string, string]; approver: [string, string] },
): Rule<unknown> {
  return rule<Delegation>({
    payload: delegationPayload,
    mentions(p, m) {
      for (const u of [p.approverId, p.delegateId, p.actorId]) m.users.add(u);
    },
    drafts(p, n, event) {
      const { delegate, approver } = roles(p, n, `From ${when(p.startsAt)} to ${when(p.endsAt)}`);
      return {
        roles: [
          // The delegate finds what waits in the approvals inbox; the approver manages delegations on their account.
          {
            recipientId: p.delegateId,
            family: 'workflow',
            kind: event.type,
            title: delegate[0],
            body: delegate[1],
            link: links.approvals(),
          },
          {
            recipientId: p.approverId,
            family: 'workflow',
            kind: event.type,
            title: approver[0],
            body: approver[1],
            link: links.delegations(),
          },
        ],
        body: null,
        link: null,
      };
    },
  });
}

type Comment = z.infer<typeof commentPayload>;
type Thread = z.infer<typeof threadPayload>;

/** Where a comment is: “Travel 2027” (Feb 2027). */
function cell(p: Comment | Thread, n: Names): string {
  const name = p.forecastId ? n.forecast(p.forecastId) : n.budget(p.budgetId);
  return `${q(name)} (${month(p.period)})`;
}

function cellMentions(p: Comment | Thread, m: Mentioned) {
  if (p.forecastId) m.forecasts.add(p.forecastId);
  else m.budgets.add(p.budgetId);
  m.users.add(p.actorId);
}

function threadRule(verb: string): Rule<unknown> {
  return rule<Thread>({
    payload: threadPayload,
    mentions: cellMentions,
    drafts(p, n, event) {
      return {
        roles: each(p.participants, {
          family: 'comments',
          kind: event.type,
          title: `${n.user(p.actorId)} ${verb} a thread you are in on ${cell(p, n)}`,
        }),
        body: null,
        link: links.thread(p),
      };
    },
  });
}

const LEVEL_VERB: Record<(typeof GRANT_LEVELS)[number], string> = {
  viewer: 'view it',
  commenter: 'view and comment on it',
  editor: 'view, comment on and edit it',
  approver: 'review and approve it',
};

type Grant = z.infer<typeof grantPayload>;

const rights = (p: Grant) => `${LEVEL_VERB[p.level]}${p.expiresAt ? ` until ${when(p.expiresAt)}` : ''}.`;

function grantRule(
  title: (actor: string, name: string) => string,
  body: (p: Grant) => string | null,
  link: (p: Grant) => string | null,
): Rule<unknown> {
  return rule<Grant>({
    payload: grantPayload,
    mentions(p, m) {
      m.users.add(p.actorId);
    },
    drafts(p, n, event) {
      return {
        roles: [
          {
            recipientId: p.granteeId,
            family: 'sharing',
            kind: event.type,
            title: title(n.user(p.actorId), q(p.subjectName)),
          },
        ],
        body: body(p),
        link: link(p),
      };
    },
  });
}

export const RULES: Record<string, Rule<unknown>> = {
  'budget.submitted': workflowRule,
  'budget.recalled': workflowRule,
  'budget.review-started': workflowRule,
  'budget.approved': workflowRule,
  'budget.changes-requested': workflowRule,
  'budget.revised': workflowRule,
  'budget.final-approved': workflowRule,
  'budget.reopened': workflowRule,
  'budget.cancelled': workflowRule,
  'delegation.created': delegationRule((p, n, period) => {
    const [approver, delegate, actor] = [n.user(p.approverId), n.user(p.delegateId), n.user(p.actorId)];
    return {
      delegate: [
        `${approver} handed their approvals to you`,
        `${period} you may approve what ${approver} approves, on their behalf.`,
      ],
      approver: [
        `${actor} handed your approvals to ${delegate}`,
        `${period} ${delegate} may approve what you approve, on your behalf.`,
      ],
    };
  }),
  'delegation.ended': delegationRule((p, n) => {
    const ended = `${n.user(p.actorId)} ended the delegation.`;
    return {
      delegate: [`You no longer approve for ${n.user(p.approverId)}`, ended],
      approver: [`${n.user(p.delegateId)} no longer approves for you`, ended],
    };
  }),
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
        body: `Revision ${p.versionNumber} has been waiting since ${p.waitingSince.slice(0, 10)} (reminder ${p.reminderNumber}).`,
        link: links.budget(p.budgetId),
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
      const approvers = p.recipients.approvers.map((a) => n.user(a)).join(', ') || 'Its approvers';
      return {
        roles: [
          ...each(p.recipients.finalApprovers, {
            family: 'workflow',
            kind: 'approval.escalated',
            title: `${budget} is still waiting for approval`,
          }),
          ...each(p.recipients.approvers, {
            family: 'workflow',
            kind: 'approval.reminder',
            title: `Reminder: ${budget} is waiting for your approval`,
          }),
        ],
        body: `Revision ${p.versionNumber} has been waiting since ${p.waitingSince.slice(0, 10)}; ${approvers} ${p.recipients.approvers.length === 1 ? 'was' : 'were'} reminded ${p.reminderNumber - 1} times.`,
        link: links.budget(p.budgetId),
      };
    },
  }),
  'comment.added': rule<Comment>({
    payload: commentPayload,
    mentions: cellMentions,
    drafts(p, n) {
      const actor = n.user(p.actorId);
      const where = cell(p, n);
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
            title: `${actor} replied to a thread you are in on ${where}`,
          }),
          {
            recipientId: p.ownerId,
            family: 'comments',
            kind: 'comment.added',
            title: `${actor} commented on your ${p.subject.type} ${where}`,
          },
        ],
        body: p.excerpt,
        link: links.thread(p),
      };
    },
  }),
  'thread.resolved': threadRule('resolved'),
  'thread.reopened': threadRule('reopened'),
  'grant.created': grantRule(
    (actor, name) => `${actor} shared ${name} with you`,
    (p) => `You can ${rights(p)}`,
    (p) => links.object(p.subject),
  ),
  'grant.updated': grantRule(
    (actor, name) => `${actor} changed your access to ${name}`,
    (p) => `You can now ${rights(p)}`,
    (p) => links.object(p.subject),
  ),
  // The grantee may no longer open it: nothing to link to.
  'grant.revoked': grantRule(
    (actor, name) => `${actor} stopped sharing ${name} with you`,
    () => null,
    () => null,
  ),
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
        link:
          p.kind === 'budget' || p.kind === 'forecast'
            ? links.import(p.importId)
            : p.budgetId
              ? links.budget(p.budgetId)
              : null,
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
      body: role.body === undefined ? body : role.body,
      link: role.link === undefined ? link : role.link,
    });
  }
  return drafts;
}

/** Parses `event`'s payload with its rule's schema, or throws naming what does not fit. */
export function parse<P>(event: BusEvent, r: { payload: z.ZodType<P> }): P {
  const parsed = r.payload.safeParse(event.payload);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
    throw new Error(`Event ${event.id} (${event.type}) has a payload this consumer cannot read: ${problems}`);
  }
  return parsed.data;
}
