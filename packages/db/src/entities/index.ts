export * from './api-token.ts';
export * from './audit-event.ts';
export * from './budget.ts';
export * from './budget-log.ts';
export * from './comment.ts';
export * from './delegation.ts';
export * from './forecast.ts';
export * from './goal.ts';
export * from './goal-log.ts';
export * from './grant.ts';
export * from './import.ts';
export * from './mail-message.ts';
export * from './notification.ts';
export * from './organisation.ts';
export * from './outbox-event.ts';
export * from './reminder.ts';
export * from './session.ts';
export * from './user.ts';
export * from './workflow-transition.ts';

import { ApiToken } from './api-token.ts';
import { AuditEvent } from './audit-event.ts';
import { Budget, BudgetAmount, BudgetLine, BudgetVersion } from './budget.ts';
import { BudgetLog } from './budget-log.ts';
import { Comment, CommentThread } from './comment.ts';
import { Delegation } from './delegation.ts';
import { Forecast, ForecastAmount, ForecastLine } from './forecast.ts';
import { Goal } from './goal.ts';
import { GoalLog } from './goal-log.ts';
import { Grant } from './grant.ts';
import { Import, ImportFile, ImportLine } from './import.ts';
import { MailMessage } from './mail-message.ts';
import { DeadLetter, Notification, NotificationDigest, NotificationPreference } from './notification.ts';
import { Organisation } from './organisation.ts';
import { OutboxEvent } from './outbox-event.ts';
import { Reminder, ReminderOccurrence } from './reminder.ts';
import { LoginAttempt, PasswordResetToken, Session } from './session.ts';
import { Role, User, UserAccountant, UserRole } from './user.ts';
import { WorkflowTransition } from './workflow-transition.ts';

export const entities = [
  Organisation,
  User,
  Role,
  UserRole,
  UserAccountant,
  Session,
  PasswordResetToken,
  LoginAttempt,
  AuditEvent,
  ApiToken,
  Goal,
  GoalLog,
  Budget,
  BudgetVersion,
  BudgetLine,
  BudgetAmount,
  BudgetLog,
  Forecast,
  ForecastLine,
  ForecastAmount,
  Grant,
  WorkflowTransition,
  Delegation,
  CommentThread,
  Comment,
  Reminder,
  ReminderOccurrence,
  Notification,
  NotificationPreference,
  NotificationDigest,
  DeadLetter,
  OutboxEvent,
  Import,
  ImportFile,
  ImportLine,
  MailMessage,
];
