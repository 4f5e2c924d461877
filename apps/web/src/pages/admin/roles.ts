import { ROLE_KEYS, ROLE_LABELS } from '@goalpost/db/roles';
import type { Role, UserStatus } from '../../trpc.ts';

export const ROLE_OPTIONS: readonly { value: Role; label: string }[] = ROLE_KEYS.map((value) => ({
  value,
  label: ROLE_LABELS[value],
}));

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
