import { ROLE_KEYS, ROLE_LABELS } from '@goalpost/db/roles';
import type { DisplayStatus, Role } from '../../trpc.ts';

export const ROLE_OPTIONS: readonly { value: Role; label: string }[] = ROLE_KEYS.map((value) => ({
  value,
  label: ROLE_LABELS[value],
}));

/** The list filters by the one status each person shows. */
export type StatusFilter = DisplayStatus;

export const STATUS_FILTERS: readonly { value: StatusFilter | ''; label: string }[] = [
  { value: '', label: 'Any status' },
  { value: 'active', label: 'Active' },
  { value: 'invited', label: 'Invited' },
  { value: 'locked', label: 'Locked' },
  { value: 'deactivated', label: 'Deactivated' },
];

export const ROLE_FILTERS: readonly { value: Role | ''; label: string }[] = [
  { value: '', label: 'Any role' },
  ...ROLE_OPTIONS,
];
