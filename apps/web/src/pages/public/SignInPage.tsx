import { Alert, AuthCard, Notice, TextField } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { formProblem } from '../../lib/errors.ts';
import { safeNext } from '../../lib/links.ts';
import { useTRPC } from '../../trpc.ts';

export const PASSWORD_SET_NOTICE = 'Your password is set. Sign in to continue.';

export function SignInPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const notice = params.get('notice');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});
  const emailField = useRef<HTMLDivElement>(null);
  // The cursor starts in Email: the one thing everyone on this page does first.
  useEffect(() => {
    emailField.current?.querySelector('input')?.focus();
  }, []);

  const me = useQuery(trpc.auth.me.queryOptions());
  const options = useQuery(trpc.auth.options.queryOptions());
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        await navigate(next, { replace: true });
      },
    }),
  );

  if (me.data && !login.isPending) return <Navigate to={next} replace />;

  const problem = formProblem(login.error, { email: ['email'], password: ['password'] });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const m = {
      email: email.trim() ? undefined : 'Enter your email address.',
      password: password ? undefined : 'Enter your password.',
    };
    setMissing(m);
    if (m.email || m.password) return;
    login.mutate({ email, password });
  };

  return (
    <AuthCard
      title="Sign in"
      footer={
        options.data?.signupEnabled ? (
          <span>
            New to Goalpost? <Link to="/sign-up">Create an account</Link>
          </span>
        ) : null
      }
    >
      {notice === 'password-set' || notice === 'password-reset' ? <Notice>{PASSWORD_SET_NOTICE}</Notice> : null}
      <Alert>{problem?.formError}</Alert>
      <form className="gp-form" onSubmit={onSubmit} noValidate aria-label="Sign in">
        <div ref={emailField}>
          <TextField
            label="Email"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={setEmail}
            error={missing.email ?? problem?.fieldErrors.email}
          />
        </div>
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
          error={missing.password ?? problem?.fieldErrors.password}
        />
        <button type="submit" className="gp-button gp-button--primary gp-button--block" disabled={login.isPending}>
          Sign in
        </button>
      </form>
      <div className="gp-auth__links">
        <Link to="/forgot-password">Forgot password?</Link>
      </div>
    </AuthCard>
  );
}
