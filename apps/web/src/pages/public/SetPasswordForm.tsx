import { Alert, TextField } from '@goalpost/ui';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { formProblem } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';

export const PASSWORDS_DIFFER = 'The passwords do not match.';

/** Checks a new password and its confirmation on this side; the server judges its strength. */
export function checkNewPassword(password: string, confirm: string): { password?: string; confirm?: string } {
  if (!password) return { password: 'Enter a new password.' };
  if (password !== confirm) return { confirm: PASSWORDS_DIFFER };
  return {};
}

/** The rules the server applies, stated before the first try (the length comes from the server). */
export function PasswordRules() {
  const trpc = useTRPC();
  const options = useQuery(trpc.auth.options.queryOptions());
  const length = options.data?.passwordMinLength;
  return (
    <>
      {length ? `Use at least ${length} characters. ` : 'Use a long passphrase. '}
      Very common passwords, and ones containing your name or email address, are refused.
    </>
  );
}

/**
 * A new password, with the rules stated, and its confirmation: every form that sets a password
 * (sign-up, invite, reset, the account page) shows these two fields.
 */
export function NewPasswordFields({
  label = 'New password',
  password,
  confirm,
  onPassword,
  onConfirm,
  errors,
  required = true,
}: {
  label?: string;
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  errors: { password?: string | undefined; confirm?: string | undefined };
  required?: boolean;
}) {
  return (
    <>
      <TextField
        label={label}
        type="password"
        name="new-password"
        autoComplete="new-password"
        required={required}
        value={password}
        onChange={onPassword}
        error={errors.password}
        hint={<PasswordRules />}
      />
      <TextField
        label="Confirm password"
        type="password"
        name="confirm-password"
        autoComplete="new-password"
        required={required}
        value={confirm}
        onChange={onConfirm}
        error={errors.confirm}
      />
    </>
  );
}

/** "New password" + "Confirm password" + "Set password", shared by the reset and invite pages. */
export function SetPasswordForm({
  onSubmit,
  onEdit,
  pending,
  error,
  label,
}: {
  onSubmit: (password: string) => void;
  /** Called when a field changes, so the page can drop the server's verdict on the old value. */
  onEdit?: () => void;
  pending: boolean;
  error: unknown;
  label: string;
}) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [local, setLocal] = useState<{ password?: string; confirm?: string }>({});
  const problem = formProblem(error, { password: ['password'] });
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    // An old verdict is about a value no longer there.
    setLocal({});
    onEdit?.();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = checkNewPassword(password, confirm);
    setLocal(found);
    if (found.password || found.confirm) return;
    onSubmit(password);
  };

  return (
    <>
      <Alert>{problem?.formError}</Alert>
      <form className="gp-form" onSubmit={submit} noValidate aria-label={label}>
        <NewPasswordFields
          password={password}
          confirm={confirm}
          onPassword={edit(setPassword)}
          onConfirm={edit(setConfirm)}
          errors={{ password: local.password ?? problem?.fieldErrors.password, confirm: local.confirm }}
        />
        <button type="submit" className="gp-button gp-button--primary gp-button--block" disabled={pending}>
          Set password
        </button>
      </form>
    </>
  );
}
