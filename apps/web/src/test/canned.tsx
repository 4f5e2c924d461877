/**
 * Renders the app against canned tRPC answers: a terminating link looks each call's path up in a
 * table (a value, or a function of the input) instead of going over HTTP, and records the calls.
 */
import type { AppRouter } from '@goalpost/api';
import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AppProviders } from '../providers.tsx';
import { routes } from '../routes.tsx';
import { createApiClient } from '../trpc.ts';

type Inputs = inferRouterInputs<AppRouter>;
type Outputs = inferRouterOutputs<AppRouter>;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
/** 'users.list' -> what users.list returns, or a function of its input returning that. */
type Answers = UnionToIntersection<
  {
    [R in keyof Outputs & string]: {
      [P in keyof Outputs[R] & string as `${R}.${P}`]:
        | Outputs[R][P]
        | ((input: Inputs[R][P] extends infer I ? I : never) => Outputs[R][P] | Promise<Outputs[R][P]>);
    };
  }[keyof Outputs & string]
>;
/**
 * The answers a test gives, typed by the router: an answer that no longer matches what a procedure
 * returns (a renamed field, a string where a Date now arrives) fails the typecheck, not silently.
 */
export type CannedTable = Partial<Answers>;
export interface Call {
  path: string;
  type: string;
  input: unknown;
}

export function cannedLink(table: CannedTable, calls: Call[]): TRPCLink<AppRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        calls.push({ path: op.path, type: op.type, input: op.input });
        const answer = (table as Record<string, unknown>)[op.path];
        Promise.resolve()
          .then(() => {
            if (answer === undefined) throw new Error(`No canned answer for ${op.path}`);
            return typeof answer === 'function' ? (answer as (input: unknown) => unknown)(op.input) : answer;
          })
          .then((data) => {
            observer.next({ result: { type: 'data', data } });
            observer.complete();
          })
          .catch((error: unknown) => {
            observer.error(error instanceof TRPCClientError ? error : TRPCClientError.from(error as Error));
          });
      });
}

/** An error as the server would send it: a message for people and a code. */
export function apiError(code: string, message: string, fieldErrors?: Record<string, string[]>) {
  return TRPCClientError.from({
    error: {
      code: -32600,
      message,
      data: { code, httpStatus: 400, zodError: fieldErrors ? { formErrors: [], fieldErrors } : null },
    },
  });
}

export function fail(code: string, message: string, fieldErrors?: Record<string, string[]>) {
  return () => {
    throw apiError(code, message, fieldErrors);
  };
}

export const adminMe: NonNullable<Outputs['auth']['me']> = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'admin@example.com',
  name: 'Ada Admin',
  roles: ['admin'],
};
export const plainMe: NonNullable<Outputs['auth']['me']> = {
  id: '00000000-0000-4000-8000-000000000002',
  email: 'pat@example.com',
  name: 'Pat User',
  roles: ['user'],
};

export function renderApp(path: string, table: CannedTable) {
  const calls: Call[] = [];
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Number.POSITIVE_INFINITY }, mutations: { retry: false } },
  });
  const apiClient = createApiClient([
    cannedLink(
      {
        'auth.options': { signupEnabled: false, passwordMinLength: 10 },
        // Every page in the shell shows the bell.
        'notifications.unreadCount': { unread: 0 },
        // The account page and the users panel list delegations; most tests have none.
        'workflow.delegations': { given: [], received: [] },
        ...table,
      },
      calls,
    ),
  ]);
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const view = render(
    <AppProviders queryClient={queryClient} apiClient={apiClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  const callsTo = (p: string) => calls.filter((c) => c.path === p);
  const location = () => `${router.state.location.pathname}${router.state.location.search}`;
  return { ...view, calls, callsTo, router, queryClient, location };
}
