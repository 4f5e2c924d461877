import { Alert, Badge, Notice, Page, roleName, TextField } from '@goalpost/ui';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import { formProblem } from '../lib/errors.ts';
import { useCurrentUser } from '../session.tsx';
import { useTRPC } from '../trpc.ts';
import { PreferencesSection } from './notifications/PreferencesSection.tsx';
import { NewPasswordFields, PASSWORDS_DIFFER } from './public/SetPasswordForm.tsx';
import { ApiTokensSection } from './tokens/ApiTokensSection.tsx';
import { Delegations } from './workflow/Delegations.tsx';

type Field = 'currentPassword' | 'newPassword' | 'confirm';

export const SAME_PASSWORD = 'This is your current password. Choose a new one.';

export const PASSWORD_CHANGED = 'Your password has been changed. Your other sessions have been signed out.';

export function AccountPage() {
  const me = useCurrentUser();
  return (
    <Page title="Account" description="Your details and sign-in settings">
      <div className="gp-grid-2">
        <section className="gp-panel" aria-labelledby="account-details">
          <h2 id="account-details">Your details</h2>
          <dl className="gp-dl">
            <dt>Name</dt>
            <dd>{me.name}</dd>
            <dt>Email</dt>
            <dd>{me.email}</dd>
            <dt>Roles</dt>
            <dd>
              {me.roles.length
                ? me.roles.map((r) => (
                    <Badge key={r} tone="info">
                      {roleName(r)}
                    </Badge>
                  ))
                : 'No roles'}
            </dd>
          </dl>
        </section>
        <ChangePasswordForm />
        <section className="gp-panel" aria-labelledby="account-delegation">
          <h2 id="account-delegation">Delegate my approvals</h2>
          <p className="gp-muted">
            While you are away, a colleague can approve in your place what waits for you. Every approval they give says
            it was on your behalf.
          </p>
          <Delegations />
        </section>
      </div>
      <PreferencesSection />
      <ApiTokensSection />
    </Page>
  );
}

function ChangePasswordForm() {
  const trpc = useTRPC();
  const location = useLocation();
  const firstField = useRef<HTMLDivElement>(null);
  const [values, setValues] = useState({ currentPassword: '', newPassword: '', confirm: '' });
  const [local, setLocal] = useState<Partial<Record<Field, string>>>({});
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => setValues({ currentPassword: '', newPassword: '', confirm: '' }),
    }),
  );
  const problem = formProblem(change.error, {
    currentPassword: ['currentPassword'],
    newPassword: ['newPassword', 'password'],
    confirm: [],
  });

  useEffect(() => {
    if (location.hash === '#change-password') firstField.current?.querySelector('input')?.focus();
  }, [location.hash]);

  const set = (field: Field) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    // An old verdict is about a value no longer there.
    setLocal({});
    if (change.isError || change.isSuccess) change.reset();
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!values.currentPassword) found.currentPassword = 'Enter your current password.';
    if (!values.newPassword) found.newPassword = 'Enter a new password.';
    else if (values.newPassword === values.currentPassword) found.newPassword = SAME_PASSWORD;
    else if (values.newPassword !== values.confirm) found.confirm = PASSWORDS_DIFFER;
    setLocal(found);
    if (Object.keys(found).length) return;
    change.mutate({ currentPassword: values.currentPassword, newPassword: values.newPassword });
  };

  return (
    <section className="gp-panel" id="change-password" aria-labelledby="change-password-title">
      <h2 id="change-password-title">Change password</h2>
      <form className="gp-form" onSubmit={onSubmit} noValidate aria-labelledby="change-password-title">
        {change.isSuccess ? <Notice>{PASSWORD_CHANGED}</Notice> : null}
        <Alert>{problem?.formError}</Alert>
        <div ref={firstField}>
          <TextField
            label="Current password"
            type="password"
            name="current-password"
            autoComplete="current-password"
            value={values.currentPassword}
            onChange={set('currentPassword')}
            error={local.currentPassword ?? problem?.fieldErrors.currentPassword}
          />
        </div>
        <NewPasswordFields
          password={values.newPassword}
          confirm={values.confirm}
          onPassword={set('newPassword')}
          onConfirm={set('confirm')}
          errors={{ password: local.newPassword ?? problem?.fieldErrors.newPassword, confirm: local.confirm }}
          required={false}
        />
        <button type="submit" className="gp-button gp-button--primary" disabled={change.isPending}>
          Change password
        </button>
      </form>
    </section>
  );
}
