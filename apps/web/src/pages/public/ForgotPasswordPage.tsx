import { Alert, AuthCard, Notice, TextField } from '@goalpost/ui';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { formProblem } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';

export const RESET_SENT = 'If an account exists for that email, we have sent a link to reset the password.';

export function ForgotPasswordPage() {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [missing, setMissing] = useState<string | undefined>();
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const problem = formProblem(request.error, { email: ['email'] });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim()) {
      setMissing('Enter your email address.');
      return;
    }
    setMissing(undefined);
    request.mutate({ email });
  };

  return (
    <AuthCard title="Reset your password" footer={<Link to="/sign-in">Back to sign in</Link>}>
      {request.isSuccess ? (
        <Notice>{RESET_SENT}</Notice>
      ) : (
        <>
          <p className="gp-muted">
            Enter the email address of your account and we will send you a link to set a new password.
          </p>
          <Alert>{problem?.formError}</Alert>
          <form className="gp-form" onSubmit={onSubmit} noValidate aria-label="Reset your password">
            <TextField
              label="Email"
              type="email"
              name="email"
              autoComplete="email"
              required
              value={email}
              onChange={setEmail}
              error={missing ?? problem?.fieldErrors.email}
            />
            <button
              type="submit"
              className="gp-button gp-button--primary gp-button--block"
              disabled={request.isPending}
            >
              Send reset link
            </button>
          </form>
        </>
      )}
    </AuthCard>
  );
}
