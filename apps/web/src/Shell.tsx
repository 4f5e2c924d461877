import {
  AccountIcon,
  ApprovalIcon,
  AppShell,
  GoalIcon,
  InboxAlertIcon,
  KeyIcon,
  type LinkComponent,
  MailIcon,
  type NavItem,
  SharedIcon,
  UploadIcon,
  UserMenu,
  UsersIcon,
} from '@goalpost/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { Bell } from './pages/notifications/Bell.tsx';
import { hasRole, useCurrentUser } from './session.tsx';
import { errorCode, useTRPC } from './trpc.ts';

const RouterLink: LinkComponent = ({ to, children, ...rest }) => (
  <Link to={to} {...rest}>
    {children}
  </Link>
);

export function navFor(isAdmin: boolean): NavItem[] {
  const items: NavItem[] = [
    { to: '/goals', label: 'Goals', icon: <GoalIcon /> },
    { to: '/shared', label: 'Shared with me', icon: <SharedIcon /> },
    { to: '/approvals', label: 'Approvals', icon: <ApprovalIcon /> },
    { to: '/imports', label: 'Imports', icon: <UploadIcon /> },
    { to: '/account', label: 'Account', icon: <AccountIcon /> },
  ];
  if (isAdmin) {
    items.push(
      { to: '/admin/users', label: 'Users', icon: <UsersIcon />, group: 'Administration' },
      { to: '/admin/outbox', label: 'Outbox', icon: <MailIcon />, group: 'Administration' },
      { to: '/admin/dead-letters', label: 'Dead letters', icon: <InboxAlertIcon />, group: 'Administration' },
      { to: '/admin/api-tokens', label: 'API tokens', icon: <KeyIcon />, group: 'Administration' },
    );
  }
  return items;
}

/** The authenticated area's frame: top bar with the user menu, navigation rail, content. */
export function ShellLayout() {
  const me = useCurrentUser();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const signOut = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: (_data, error) => {
        if (error && errorCode(error) !== 'UNAUTHORIZED') return;
        void navigate('/sign-in', { replace: true });
        queryClient.clear();
      },
    }),
  );
  const nav = navFor(hasRole(me, 'admin'));
  return (
    <AppShell
      productName="Goalpost"
      nav={nav}
      Link={RouterLink}
      isActive={(item) => location.pathname === item.to || location.pathname.startsWith(`${item.to}/`)}
      actions={<Bell Link={RouterLink} />}
      userMenu={
        <UserMenu
          name={me.name}
          email={me.email}
          roles={me.roles}
          signingOut={signOut.isPending}
          onChangePassword={() => void navigate('/account#change-password')}
          onSignOut={() => signOut.mutate()}
        />
      }
    >
      {signOut.isError ? (
        <div role="alert" className="gp-alert gp-alert--error gp-shell__alert">
          {signOut.error.message}
        </div>
      ) : null}
      <Outlet />
    </AppShell>
  );
}

/** "/" goes to the goals, except for someone who is only an admin: they land on the users. */
export function HomeRedirect() {
  const me = useCurrentUser();
  const onlyAdmin = me.roles.length === 1 && hasRole(me, 'admin');
  return <Navigate to={onlyAdmin ? '/admin/users' : '/goals'} replace />;
}
