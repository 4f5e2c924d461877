/**
 * The users list's state lives in the URL (`/admin/users?q=ada&role=admin&sort=createdAt&dir=desc&page=2`),
 * so reload, back and a shared link show the same list. Reading is forgiving: a value this page
 * does not know falls back to its default rather than failing.
 */
import { ROLE_KEYS } from '@goalpost/db/roles';
import type { Role, UserSort } from '../../trpc.ts';
import type { StatusFilter } from './roles.ts';

export interface UsersQuery {
  q: string;
  role: Role | '';
  status: StatusFilter | '';
  sort: UserSort;
  dir: 'asc' | 'desc';
  page: number;
  size: number;
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;
const SORTS: readonly UserSort[] = ['name', 'email', 'status', 'lastLoginAt', 'createdAt'];
const STATUSES: readonly StatusFilter[] = ['active', 'invited', 'locked', 'deactivated'];

export const DEFAULT_USERS_QUERY: UsersQuery = {
  q: '',
  role: '',
  status: '',
  sort: 'name',
  dir: 'asc',
  page: 1,
  size: PAGE_SIZES[0],
};

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T | ''): T | '' {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function readUsersQuery(params: URLSearchParams): UsersQuery {
  const page = Number(params.get('page'));
  const size = Number(params.get('size'));
  return {
    q: params.get('q') ?? '',
    role: oneOf(params.get('role'), ROLE_KEYS, ''),
    status: oneOf(params.get('status'), STATUSES, ''),
    sort: oneOf(params.get('sort'), SORTS, '') || DEFAULT_USERS_QUERY.sort,
    dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_USERS_QUERY.size,
  };
}

/** "?q=ada&page=2", leaving out defaults so a plain list has a plain URL (""). */
export function usersSearch(query: UsersQuery): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(DEFAULT_USERS_QUERY) as (keyof UsersQuery)[]) {
    if (query[key] !== DEFAULT_USERS_QUERY[key]) params.set(key, String(query[key]));
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** The part of the query that picks who is in the list: a change to it starts again at page 1. */
export function filterKey(query: UsersQuery): string {
  return JSON.stringify([query.q, query.role, query.status]);
}
