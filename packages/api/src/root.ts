import { authRouter } from './auth/router.ts';
import { budgetsRouter } from './budgets/router.ts';
import { deadLettersRouter } from './deadletters/router.ts';
import { forecastsRouter } from './forecasts/router.ts';
import { goalsRouter } from './goals/router.ts';
import { mailRouter } from './mail/router.ts';
import { notificationsRouter } from './notifications/router.ts';
import { remindersRouter } from './reminders/router.ts';
import { router } from './trpc.ts';
import { usersRouter } from './users/router.ts';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  mail: mailRouter,
  goals: goalsRouter,
  budgets: budgetsRouter,
  forecasts: forecastsRouter,
  notifications: notificationsRouter,
  reminders: remindersRouter,
  deadLetters: deadLettersRouter,
});

export type AppRouter = typeof appRouter;
