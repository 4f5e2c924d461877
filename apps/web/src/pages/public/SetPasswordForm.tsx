import { Alert, TextField } from '@goalpost/ui';
import { type FormEvent, useState } from 'react';
import { formProblem } from '../../lib/errors.ts';

export const PASSWORDS_DIFFER = 'The passwords do not match.';

/** Checks a new password and its confirmation on this side; the server judges its strength. */
export function checkNewPassword(password: string, confirm: string): { password?: string; confirm?: string } {
  if (!password) return { password: 'Enter a new password.' };
  if (password !== confirm) return { confirm: PASSWORDS_DIFFER };
  return {};
}

/** "New password" + "Confirm password" + "Set password", shared by the reset and invite pages. */
export function SetPasswordForm({
  onSubmit,
  pending,
  error,
  label,
}: {
  onSubmit: (password: string) => void;
  pending: boolean;
  error: unknown;
  label: string;
}) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [local, setLocal] = useState<{ password?: string; confirm?: string }>({});
  const problem = formProblem(error, { password: ['password'] });

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
        <TextField
          label="New password"
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          value={password}
          onChange={setPassword}
          error={local.password ?? problem?.fieldErrors.password}
          hint="Use a long passphrase that is not used anywhere else."
        />
        <TextField
          label="Confirm password"
          type="password"
          name="confirm-password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={setConfirm}
          error={local.confirm}
        />
        <button type="submit" className="gp-button gp-button--primary gp-button--block" disabled={pending}>
          Set password
        </button>
      </form>
    </>
  );
}
