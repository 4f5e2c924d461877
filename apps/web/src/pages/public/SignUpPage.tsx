import { Alert, AuthCard, Loading, TextField } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { formProblem } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { checkNewPassword, NewPasswordFields } from './SetPasswordForm.tsx';

type Field = 'name' | 'email' | 'password' | 'confirm';

export function SignUpPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const options = useQuery(trpc.auth.options.queryOptions());
  const [values, setValues] = useState({ name: '', email: '', password: '', confirm: '' });
  const [local, setLocal] = useState<Partial<Record<Field, string>>>({});
  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        await navigate('/', { replace: true });
      },
    }),
  );
  const problem = formProblem(signUp.error, { name: ['name'], email: ['email'], password: ['password'], confirm: [] });
  const set = (field: Field) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {
      ...(values.name.trim() ? {} : { name: 'Enter your name.' }),
      ...(values.email.trim() ? {} : { email: 'Enter your email address.' }),
      ...checkNewPassword(values.password, values.confirm),
    };
    setLocal(found);
    if (Object.values(found).some(Boolean)) return;
    signUp.mutate({ name: values.name, email: values.email, password: values.password });
  };

  let body: React.ReactNode;
  if (options.isPending) body = <Loading />;
  else if (!options.data?.signupEnabled) {
    body = <Alert tone="warning">Self sign-up is turned off. Ask an administrator for an invite.</Alert>;
  } else {
    body = (
      <>
        <Alert>{problem?.formError}</Alert>
        <form className="gp-form" onSubmit={onSubmit} noValidate aria-label="Create an account">
          <TextField
            label="Name"
            name="name"
            autoComplete="name"
            required
            value={values.name}
            onChange={set('name')}
            error={local.name ?? problem?.fieldErrors.name}
          />
          <TextField
            label="Email"
            type="email"
            name="email"
            autoComplete="email"
            required
            value={values.email}
            onChange={set('email')}
            error={local.email ?? problem?.fieldErrors.email}
          />
          <NewPasswordFields
            label="Password"
            password={values.password}
            confirm={values.confirm}
            onPassword={set('password')}
            onConfirm={set('confirm')}
            errors={{ password: local.password ?? problem?.fieldErrors.password, confirm: local.confirm }}
          />
          <button type="submit" className="gp-button gp-button--primary gp-button--block" disabled={signUp.isPending}>
            Create account
          </button>
        </form>
      </>
    );
  }
  return (
    <AuthCard
      title="Create an account"
      footer={
        <span>
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </span>
      }
    >
      {body}
    </AuthCard>
  );
}
