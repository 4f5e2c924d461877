import type { Role, UserStatus } from '../../trpc.ts';

export const ROLE_OPTIONS: readonly { value: Role; label: string }[] = [
  { value: 'admin', label: 'Admin' },
  { value: 'user', label: 'User' },
  { value: 'accountant', label: 'Accountant' },
  { value: 'supervisor', label: 'Supervisor' },
];

export type StatusFilter = UserStatus | 'locked';

export const STATUS_FILTERS: readonly { value: StatusFilter | ''; label: string }[] = [
  { value: '', label: 'Any status' },
  { value: 'active', label: 'Active' },
  { value: 'invited', label: 'Invited' },
  { value: 'deactivated', label: 'Deactivated' },
  { value: 'locked', label: 'Locked' },
];

export const ROLE_FILTERS: readonly { value: Role | ''; label: string }[] = [
  { value: '', label: 'Any role' },
  ...ROLE_OPTIONS,
];
