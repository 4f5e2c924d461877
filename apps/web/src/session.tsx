import { Alert, Loading } from '@goalpost/ui';
import { useQuery } from '@tanstack/react-query';
import { createContext, use } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { errorMessage } from './lib/errors.ts';
import { type Me, type Role, useTRPC } from './trpc.ts';

const CurrentUser = createContext<Me | null>(null);

/** The signed-in person; only inside the authenticated area. */
export function useCurrentUser(): Me {
  const me = use(CurrentUser);
  if (!me) throw new Error('useCurrentUser is only available inside <RequireAuth>.');
  return me;
}

export function hasRole(me: Pick<Me, 'roles'>, role: Role): boolean {
  return (me.roles as readonly string[]).includes(role);
}

/** "/sign-in?next=/admin/users?page=2", or plain "/sign-in" when coming from the home page. */
export function signInPath(from: { pathname: string; search: string; hash?: string }): string {
  const target = `${from.pathname}${from.search}${from.hash ?? ''}`;
  return target === '/' || target === '' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(target)}`;
}

/** The route guard: renders the authenticated area for a signed-in person, else goes to sign-in. */
export function RequireAuth() {
  const trpc = useTRPC();
  const location = useLocation();
  const me = useQuery(trpc.auth.me.queryOptions());
  if (me.isPending) {
    return (
      <div className="gp-loading gp-loading--page">
        <Loading />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="gp-auth">
        <main className="gp-auth__card">
          <h1>Goalpost is unavailable</h1>
          <Alert>{errorMessage(me.error)}</Alert>
          <button type="button" className="gp-button" onClick={() => void me.refetch()}>
            Try again
          </button>
        </main>
      </div>
    );
  }
  if (!me.data) return <Navigate to={signInPath(location)} replace />;
  return (
    <CurrentUser value={me.data}>
      <Outlet />
    </CurrentUser>
  );
}

/** Renders its routes only for people with the role; others see why not. */
export function RequireRole({ needs }: { needs: Role }) {
  const me = useCurrentUser();
  if (!hasRole(me, needs)) return <Forbidden />;
  return <Outlet />;
}

export function Forbidden() {
  return (
    <div className="gp-page">
      <div className="gp-titlebar">
        <div className="gp-titlebar__text">
          <h1>Not allowed</h1>
        </div>
      </div>
      <div className="gp-page__content">
        <Alert tone="warning">You do not have permission to open this page. Ask an administrator if you need it.</Alert>
      </div>
    </div>
  );
}
