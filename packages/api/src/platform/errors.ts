/**
 * Database errors become API errors here, and only here. A unique violation or a stale optimistic
 * lock means someone else got there first (CONFLICT); a missing foreign row means the thing
 * referred to is gone (NOT_FOUND) or was never valid (BAD_REQUEST); a serialization failure or
 * deadlock asks for a retry (CONFLICT). Constraints a person can trip get a message that says what
 * to do; the rest get a generic one. Everything else stays an internal error.
 */
import {
  CheckConstraintViolationException,
  DeadlockException,
  type DriverException,
  ForeignKeyConstraintViolationException,
  NotNullConstraintViolationException,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { TRPCError } from '@trpc/server';

type Answer = { code: TRPCError['code']; message: string };

/** Constraints with their own answer: `field: message` where a form field is at fault. */
const CONSTRAINTS: Record<string, Answer> = {
  users_org_email_unique: {
    code: 'CONFLICT',
    message: 'email: A user with this email already exists. Search for them in the list.',
  },
  user_roles_pkey: { code: 'CONFLICT', message: 'The user already has this role.' },
};

const STALE: Answer = {
  code: 'CONFLICT',
  message: 'Someone else changed this at the same time. Reload to see their change, then try again.',
};

export function toApiError(error: unknown): TRPCError | null {
  if (error instanceof TRPCError) return error;
  if (error instanceof OptimisticLockError) return new TRPCError({ ...STALE, cause: error });
  const constraint = (error as { constraint?: string } | null)?.constraint;
  const known = constraint ? CONSTRAINTS[constraint] : undefined;
  if (known && error instanceof Error) return new TRPCError({ ...known, cause: error });
  if (error instanceof UniqueConstraintViolationException) {
    return new TRPCError({ code: 'CONFLICT', message: 'This already exists. Reload to see it.', cause: error });
  }
  if (error instanceof ForeignKeyConstraintViolationException) {
    // On delete, a row still refers to this one; on insert or update, the row referred to is gone.
    const referenced = /is still referenced/.test((error as DriverException).message);
    return new TRPCError({
      code: referenced ? 'CONFLICT' : 'NOT_FOUND',
      message: referenced
        ? 'Other records still refer to this, so it cannot be removed.'
        : 'Something this refers to no longer exists. Reload and try again.',
      cause: error,
    });
  }
  if (error instanceof CheckConstraintViolationException || error instanceof NotNullConstraintViolationException) {
    return new TRPCError({
      code: 'BAD_REQUEST',
      message: `This change breaks a rule of the data (${constraint ?? 'a required value is missing'}).`,
      cause: error,
    });
  }
  if (error instanceof DeadlockException || (error as DriverException | null)?.code === '40001') {
    return new TRPCError({ ...STALE, cause: error });
  }
  return null;
}
