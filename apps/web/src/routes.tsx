import type { RouteObject } from 'react-router';
import { AccountPage } from './pages/AccountPage.tsx';
import { ApiTokensPage } from './pages/admin/ApiTokensPage.tsx';
import { BulkImportPage } from './pages/admin/BulkImportPage.tsx';
import { DeadLettersPage } from './pages/admin/DeadLettersPage.tsx';
import { OutboxPage } from './pages/admin/OutboxPage.tsx';
import { UsersPage } from './pages/admin/UsersPage.tsx';
import { GoalPage } from './pages/goals/GoalPage.tsx';
import { GoalsPage } from './pages/goals/GoalsPage.tsx';
import { ImportPage } from './pages/imports/ImportPage.tsx';
import { ImportsPage } from './pages/imports/ImportsPage.tsx';
import { NewImportPage } from './pages/imports/NewImportPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { NotificationsPage } from './pages/notifications/NotificationsPage.tsx';
import { ForgotPasswordPage } from './pages/public/ForgotPasswordPage.tsx';
import { SignInPage } from './pages/public/SignInPage.tsx';
import { SignUpPage } from './pages/public/SignUpPage.tsx';
import { AcceptInvitePage, ResetPasswordPage } from './pages/public/TokenPages.tsx';
import { SharedWithMePage } from './pages/sharing/SharedWithMePage.tsx';
import { InboxPage } from './pages/workflow/InboxPage.tsx';
import { HomeRedirect, ShellLayout } from './Shell.tsx';
import { RequireAuth, RequireRole } from './session.tsx';

/** Every page of the app. Public pages stand alone; the rest sit behind the guard, in the shell. */
export const routes: RouteObject[] = [
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
  { path: '/accept-invite', element: <AcceptInvitePage /> },
  { path: '/sign-up', element: <SignUpPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <ShellLayout />,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: 'account', element: <AccountPage /> },
          { path: 'goals', element: <GoalsPage /> },
          { path: 'goals/:goalId', element: <GoalPage /> },
          { path: 'shared', element: <SharedWithMePage /> },
          { path: 'approvals', element: <InboxPage /> },
          // The grid (Handsontable) and the chart load with the pages that use them.
          {
            path: 'budgets/:budgetId',
            lazy: () => import('./pages/budgets/BudgetPage.tsx').then((m) => ({ Component: m.BudgetPage })),
          },
          {
            path: 'forecasts/:forecastId',
            lazy: () => import('./pages/forecasts/ForecastPage.tsx').then((m) => ({ Component: m.ForecastPage })),
          },
          { path: 'imports', element: <ImportsPage /> },
          { path: 'imports/new', element: <NewImportPage /> },
          { path: 'imports/:importId', element: <ImportPage /> },
          { path: 'notifications', element: <NotificationsPage /> },
          {
            path: 'admin',
            element: <RequireRole needs="admin" />,
            children: [
              // One route for the list and the person shown beside it, so opening someone keeps the page.
              { path: 'users/:userId?', element: <UsersPage /> },
              { path: 'users/import', element: <BulkImportPage /> },
              { path: 'outbox', element: <OutboxPage /> },
              { path: 'dead-letters', element: <DeadLettersPage /> },
              { path: 'api-tokens', element: <ApiTokensPage /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
