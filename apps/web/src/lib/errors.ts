import { TRPCClientError } from '@trpc/client';

/**
 * What went wrong, for a form: messages that name one of the form's fields ("email: …", or the
 * zod field errors) go beside that field; anything else is shown as is in the form's alert.
 */
export interface FormProblem<F extends string> {
  /** The server's message, verbatim, when it does not belong to a field of this form. */
  formError: string | null;
  fieldErrors: Partial<Record<F, string>>;
}

const FIELD_PREFIX = /^([A-Za-z][A-Za-z0-9_]*)(?:\.[A-Za-z0-9_]+)*: (.+)$/s;

/** Splits "email: Enter a valid…; password: Enter a password." into field → message. */
export function parseFieldMessages(message: string): Record<string, string> | null {
  const parts = message.split('; ');
  const fields: Record<string, string> = {};
  for (const part of parts) {
    const match = FIELD_PREFIX.exec(part.trim());
    if (!match) return null;
    const [, field, text] = match;
    if (field && text && !(field in fields)) fields[field] = text;
  }
  return Object.keys(fields).length ? fields : null;
}

function zodFieldErrors(error: TRPCClientError<never>): Record<string, string> | null {
  const data = error.data as { zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null } | undefined;
  const raw = data?.zodError?.fieldErrors;
  if (!raw) return null;
  const fields: Record<string, string> = {};
  for (const [field, messages] of Object.entries(raw)) {
    const first = messages?.[0];
    if (first) fields[field] = first;
  }
  return Object.keys(fields).length ? fields : null;
}

/** The message to show for any error, verbatim when the server wrote it. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    if (!error.data && !error.shape) {
      return `Could not reach the server (${error.message}). Check your connection and try again.`;
    }
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Try again.';
}

/**
 * What a page says when the object its address names cannot be loaded. An id the server cannot
 * even read (a link cut short or mistyped) is a broken link, not a validation message to show.
 */
export function loadError(error: unknown, noun: string): string {
  if (error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'BAD_REQUEST') {
    return `This address does not lead to a ${noun}: the link is incomplete or mistyped.`;
  }
  return errorMessage(error);
}

/**
 * Maps an error onto a form. `fields` names the server's field for each of the form's fields
 * (e.g. `{ newPassword: ['newPassword', 'password'] }`); a message for any other field, or with no
 * field, goes to `formError` verbatim.
 */
export function formProblem<F extends string>(
  error: unknown,
  fields: Record<F, readonly string[]>,
): FormProblem<F> | null {
  if (!error) return null;
  const message = errorMessage(error);
  const byServerField =
    (error instanceof TRPCClientError ? zodFieldErrors(error) : null) ??
    (error instanceof TRPCClientError && error.data ? parseFieldMessages(message) : null);
  if (!byServerField) return { formError: message, fieldErrors: {} };
  const fieldErrors: Partial<Record<F, string>> = {};
  const unmatched: string[] = [];
  for (const [serverField, text] of Object.entries(byServerField)) {
    const formField = (Object.keys(fields) as F[]).find((f) => fields[f].includes(serverField));
    if (formField && !fieldErrors[formField]) fieldErrors[formField] = text;
    else if (!formField) unmatched.push(`${serverField}: ${text}`);
  }
  return { formError: unmatched.length ? unmatched.join('; ') : null, fieldErrors };
}
