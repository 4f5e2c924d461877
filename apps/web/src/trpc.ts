import type { AppRouter } from '@goalpost/api';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import {
  createTRPCClient,
  httpBatchLink,
  httpLink as httpSingleLink,
  httpSubscriptionLink,
  isNonJsonSerializable,
  splitLink,
  type TRPCClient,
  TRPCClientError,
  type TRPCLink,
} from '@trpc/client';
import {
  createTRPCContext,
  type inferInput,
  type inferOutput,
  type TRPCOptionsProxy,
} from '@trpc/tanstack-react-query';
import superjson from 'superjson';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

type Api = TRPCOptionsProxy<AppRouter>;
/** What each procedure returns; superjson carries dates and bigints typed. */
export type Me = NonNullable<inferOutput<Api['auth']['me']>>;
export type UserListPage = inferOutput<Api['users']['list']>;
export type UserRow = UserListPage['items'][number];
export type UserDetail = inferOutput<Api['users']['get']>;
export type AuditEntry = UserDetail['audit'][number];
export type Role = UserRow['roles'][number];
export type UserStatus = UserRow['status'];
export type DisplayStatus = UserRow['displayStatus'];
export type UserSort = NonNullable<inferInput<Api['users']['list']>['sort']>;
export type ManyUsersOutcome = inferOutput<Api['users']['bulkAssignRole']>;
export type BulkValidation = inferOutput<Api['users']['bulkValidate']>;
export type BulkStatus = inferOutput<Api['users']['bulkStatus']>;
export type BulkError = BulkValidation['errors'][number];
export type BulkChange = BulkValidation['changes'][number];
export type MailListPage = inferOutput<Api['mail']['list']>;
export type LinkState = NonNullable<MailRow['linkState']>;
export type MailRow = MailListPage['items'][number];
export type MailDetail = inferOutput<Api['mail']['open']>;
export type GoalListPage = inferOutput<Api['goals']['list']>;
export type GoalRow = GoalListPage['items'][number];
export type GoalProgress = GoalRow['progress'];
export type GoalDetail = inferOutput<Api['goals']['get']>;
export type GoalHistoryEntry = inferOutput<Api['goals']['history']>['items'][number];
export type BudgetDetail = inferOutput<Api['budgets']['get']>;
export type BudgetHistoryEntry = inferOutput<Api['budgets']['history']>['items'][number];
export type ForecastDetail = inferOutput<Api['forecasts']['get']>;
export type NotificationPage = inferOutput<Api['notifications']['list']>;
export type NotificationItem = NotificationPage['items'][number];
export type NotificationPreferences = inferOutput<Api['notifications']['preferences']>;
export type DeadLetterPage = inferOutput<Api['deadLetters']['list']>;
export type ApiTokenRow = inferOutput<Api['tokens']['list']>[number];
export type AdminApiTokenRow = inferOutput<Api['tokens']['adminList']>['items'][number];
export type DeadLetterRow = DeadLetterPage['items'][number];
export type ShareList = inferOutput<Api['sharing']['list']>;
export type Grant = ShareList['grants'][number];
export type GrantLevel = Grant['level'];
export type SharedItem = inferOutput<Api['sharing']['sharedWithMe']>['items'][number];
export type AccessList = inferOutput<Api['sharing']['whoHasAccess']>;
export type Person = inferOutput<Api['sharing']['searchUsers']>[number];
export type InboxPage = inferOutput<Api['workflow']['inbox']>;
export type InboxItem = InboxPage['items'][number];
export type BulkOutcome = inferOutput<Api['workflow']['bulk']>;
export type TransitionEntry = inferOutput<Api['workflow']['history']>['items'][number];
export type Delegations = inferOutput<Api['workflow']['delegations']>;
export type Delegation = Delegations['given'][number];
export type Thread = inferOutput<Api['comments']['list']>['threads'][number];
export type CommentSubject = inferInput<Api['comments']['list']>['subject'];
export type Reminder = inferOutput<Api['reminders']['list']>[number];
export type ReminderSubject = inferInput<Api['reminders']['list']>;
export type ReminderSchedule = inferInput<Api['reminders']['create']>['schedule'];
export type Collaborator = inferOutput<Api['notifications']['collaborators']>[number];

export type ImportView = inferOutput<Api['imports']['get']>;
export type ImportParse = NonNullable<ImportView['parse']>;
export type ImportDiff = NonNullable<ImportParse['diff']>;
export type ImportListPage = inferOutput<Api['imports']['list']>;
export type ImportRow = ImportListPage['items'][number];
/** imports.start with a link; an upload sends the same target and options with the file, as FormData. */
export type ImportLinkStart = Exclude<inferInput<Api['imports']['start']>, FormData>;
export type ImportTarget = ImportLinkStart['target'];
export type ImportOptions = NonNullable<ImportLinkStart['options']>;

export type ApiClient = TRPCClient<AppRouter>;

/**
 * The real link: batched HTTP to /trpc on this origin, with the session cookie; subscriptions
 * (live notifications) over Server-Sent Events, which reconnect by themselves; an upload (a
 * FormData input, such as a budget import's file) as one multipart request of its own, since a
 * batch is JSON.
 */
export function httpLink(): TRPCLink<AppRouter> {
  const fetchWithCookie = (url: URL | RequestInfo, init?: RequestInit | object) =>
    fetch(url, { ...(init as RequestInit), credentials: 'same-origin' });
  return splitLink({
    condition: (op) => op.type === 'subscription',
    true: httpSubscriptionLink({ url: '/trpc', transformer: superjson }),
    false: splitLink({
      condition: (op) => isNonJsonSerializable(op.input),
      true: httpSingleLink({ url: '/trpc', transformer: superjson, fetch: fetchWithCookie }),
      false: httpBatchLink({
        url: '/trpc',
        transformer: superjson,
        maxURLLength: 2000,
        // The server refuses batches of more than 20 calls (MAX_BATCH_CALLS in apps/server/src/http.ts).
        maxItems: 20,
        fetch: fetchWithCookie,
      }),
    }),
  });
}

export function createApiClient(links: TRPCLink<AppRouter>[] = [httpLink()]): ApiClient {
  return createTRPCClient<AppRouter>({ links });
}

/** The tRPC error code ('UNAUTHORIZED', 'CONFLICT', …) of an error, if it has one. */
export function errorCode(error: unknown): string | null {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : null;
  }
  return null;
}

/**
 * Queries are not retried on answers the server meant (4xx). A query or mutation refused with
 * UNAUTHORIZED means the session ended while the app was open: auth.me is asked again, so the guard sends the person
 * to sign in (and back here afterwards).
 */
export function createQueryClient(): QueryClient {
  const onError = (error: unknown) => {
    if (errorCode(error) === 'UNAUTHORIZED') void client.invalidateQueries({ queryKey: [['auth', 'me']] });
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => {
          const code = errorCode(error);
          if (code && code !== 'INTERNAL_SERVER_ERROR') return false;
          return failures < 2;
        },
      },
      mutations: { retry: false },
    },
  });
  return client;
}
