import { authRouter } from './auth/router.ts';
import { budgetsRouter } from './budgets/router.ts';
import { forecastsRouter } from './forecasts/router.ts';
import { goalsRouter } from './goals/router.ts';
import { mailRouter } from './mail/router.ts';
import { router } from './trpc.ts';
import { usersRouter } from './users/router.ts';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  mail: mailRouter,
  goals: goalsRouter,
  budgets: budgetsRouter,
  forecasts: forecastsRouter,
});

export type AppRouter = typeof appRouter;
