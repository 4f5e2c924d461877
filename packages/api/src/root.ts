import { authRouter } from './auth/router.ts';
import { mailRouter } from './mail/router.ts';
import { router } from './trpc.ts';
import { usersRouter } from './users/router.ts';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  mail: mailRouter,
});

export type AppRouter = typeof appRouter;
