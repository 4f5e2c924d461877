import { CheckboxGroup, FormDialog, TextField } from '@goalpost/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { formProblem } from '../../lib/errors.ts';
import { type Role, type UserRow, useTRPC } from '../../trpc.ts';
import { ROLE_OPTIONS } from './roles.ts';

type Field = 'email' | 'name' | 'roles';

export function NewUserDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (user: Pick<UserRow, 'id' | 'email'> & { mail: 'queued' | 'captured' }) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>(['user']);
  const [local, setLocal] = useState<Partial<Record<Field, string>>>({});
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async (user) => {
        await queryClient.invalidateQueries(trpc.users.list.pathFilter());
        onCreated(user);
      },
    }),
  );
  const problem = formProblem(create.error, { email: ['email'], name: ['name'], roles: ['roles'] });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!email.trim()) found.email = 'Enter an email address.';
    if (!name.trim()) found.name = 'Enter a name.';
    if (!roles.length) found.roles = 'Give the user at least one role.';
    setLocal(found);
    if (Object.keys(found).length) return;
    create.mutate({ email, name, roles });
  };

  return (
    <FormDialog
      title="New user"
      onClose={onClose}
      onSubmit={onSubmit}
      submitLabel="Create and invite"
      submitDisabled={create.isPending}
      formError={problem?.formError}
      intro={
        <p className="gp-muted">
          The person gets an invite link to set their own password: by mail, or from you when no mail server is
          configured.
        </p>
      }
    >
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="off"
        value={email}
        onChange={setEmail}
        error={local.email ?? problem?.fieldErrors.email}
      />
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        value={name}
        onChange={setName}
        error={local.name ?? problem?.fieldErrors.name}
      />
      <CheckboxGroup
        legend="Roles"
        options={ROLE_OPTIONS}
        selected={roles}
        onToggle={(role, checked) =>
          setRoles((rs) => (checked ? [...rs.filter((r) => r !== role), role] : rs.filter((r) => r !== role)))
        }
        error={local.roles ?? problem?.fieldErrors.roles}
      />
    </FormDialog>
  );
}
