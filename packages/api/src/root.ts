import { authRouter } from './auth/router.ts';
import { budgetsRouter } from './budgets/router.ts';
import { commentsRouter } from './comments/router.ts';
import { deadLettersRouter } from './deadletters/router.ts';
import { forecastsRouter } from './forecasts/router.ts';
import { goalsRouter } from './goals/router.ts';
import { importsRouter } from './imports/router.ts';
import { mailRouter } from './mail/router.ts';
import { notificationsRouter } from './notifications/router.ts';
import { remindersRouter } from './reminders/router.ts';
import { sharingRouter } from './sharing/router.ts';
import { tokensRouter } from './tokens/router.ts';
import { router } from './trpc.ts';
import { usersRouter } from './users/router.ts';
import { workflowRouter } from './workflow/router.ts';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  mail: mailRouter,
  goals: goalsRouter,
  budgets: budgetsRouter,
  forecasts: forecastsRouter,
  imports: importsRouter,
  sharing: sharingRouter,
  workflow: workflowRouter,
  comments: commentsRouter,
  notifications: notificationsRouter,
  reminders: remindersRouter,
  deadLetters: deadLettersRouter,
  tokens: tokensRouter,
});

export type AppRouter = typeof appRouter;
