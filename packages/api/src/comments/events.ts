/**
 * The events cell comments write to the outbox (topic 'comments', key = the budget id, also for a
 * forecast's comments), in the transaction of the change. The notifications work consumes them;
 * change the shape only by adding fields.
 *   comment.added                    CommentEventPayload (the first comment of a new thread too: newThread)
 *   thread.resolved, thread.reopened ThreadEventPayload
 */
export interface CellAnchor {
  threadId: string;
  subject: { type: 'budget' | 'forecast'; id: string };
  budgetId: string;
  forecastId: string | null;
  goalId: string;
  lineKey: string;
  /** 'YYYY-MM-01' */
  period: string;
  /** The budget revision the thread was started on; null for a forecast's threads. */
  versionNumber: number | null;
  /** The owner of the budget or forecast. */
  ownerId: string;
  /** Everyone who started or wrote in the thread, except whoever acted now. */
  participants: string[];
}

export interface CommentEventPayload extends CellAnchor {
  commentId: string;
  authorId: string;
  /** The comment's first 280 characters. */
  excerpt: string;
  /** People @mentioned in this comment (each able to read the subject). */
  mentions: string[];
  newThread: boolean;
}

export interface ThreadEventPayload extends CellAnchor {
  status: 'open' | 'resolved';
}
