import { Alert, AuthCard, Loading } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage, parseFieldMessages } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { SetPasswordForm } from './SetPasswordForm.tsx';

export const INVALID_LINK = 'This link is invalid, already used or expired.';

type Purpose = 'reset' | 'invite';

/** Asks the server whether the link's token still works before showing the form. */
function useTokenCheck(purpose: Purpose) {
  const trpc = useTRPC();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const check = useQuery({
    ...trpc.auth.checkToken.queryOptions({ token, purpose }),
    enabled: token.length > 0,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
  return { token, check };
}

function InvalidLink({ purpose, reason }: { purpose: Purpose; reason?: string | undefined }) {
  return (
    <>
      <Alert>{reason ?? INVALID_LINK}</Alert>
      {purpose === 'reset' ? (
        <p>
          Links work once and expire after a while. <Link to="/forgot-password">Request a new reset link</Link>.
        </p>
      ) : (
        <p>
          Invite links work once and expire after a few days. Ask your administrator to send a new invite, or{' '}
          <Link to="/forgot-password">request a password reset link</Link> if you already set a password.
        </p>
      )}
    </>
  );
}

/** The reason a check failed: "token: This link is incomplete…" becomes its message. */
function checkFailure(error: unknown): string {
  const message = errorMessage(error);
  return parseFieldMessages(message)?.token ?? message;
}

function TokenGate({
  purpose,
  title,
  children,
}: {
  purpose: Purpose;
  title: string;
  children: (identity: { token: string; email: string; name: string }) => ReactNode;
}) {
  const { token, check } = useTokenCheck(purpose);
  let body: ReactNode;
  if (!token)
    body = <InvalidLink purpose={purpose} reason="This link is incomplete. Open the whole link from the mail." />;
  else if (check.isPending) body = <Loading label="Checking the link…" />;
  else if (check.isError) body = <InvalidLink purpose={purpose} reason={checkFailure(check.error)} />;
  else if (!check.data.valid) body = <InvalidLink purpose={purpose} />;
  else body = children({ token, email: check.data.email, name: check.data.name });
  return (
    <AuthCard title={title} footer={<Link to="/sign-in">Back to sign in</Link>}>
      {body}
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({
      onSuccess: () => navigate('/sign-in?notice=password-reset', { replace: true }),
    }),
  );
  return (
    <TokenGate purpose="reset" title="Choose a new password">
      {({ token, email }) => (
        <>
          <p>
            Set a new password for <strong>{email}</strong>. You will be signed out everywhere else.
          </p>
          <SetPasswordForm
            label="Choose a new password"
            pending={reset.isPending}
            error={reset.error}
            onEdit={() => reset.reset()}
            onSubmit={(password) => reset.mutate({ token, password })}
          />
        </>
      )}
    </TokenGate>
  );
}

export function AcceptInvitePage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const accept = useMutation(
    trpc.auth.acceptInvite.mutationOptions({
      // Accepting signs the person in: straight into the app, not to an empty sign-in form.
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        await navigate('/', { replace: true });
      },
    }),
  );
  return (
    <TokenGate purpose="invite" title="Welcome to Goalpost">
      {({ token, email, name }) => (
        <>
          <p>
            Hello <strong>{name}</strong>, set a password to finish setting up your account <strong>{email}</strong>.
          </p>
          <SetPasswordForm
            label="Set your password"
            pending={accept.isPending}
            error={accept.error}
            onEdit={() => accept.reset()}
            onSubmit={(password) => accept.mutate({ token, password })}
          />
        </>
      )}
    </TokenGate>
  );
}
