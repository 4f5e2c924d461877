import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { errorMessage, formProblem, loadError, parseFieldMessages } from './errors.ts';

function serverError(code: string, message: string, fieldErrors?: Record<string, string[]>) {
  return TRPCClientError.from({
    error: {
      code: -32600,
      message,
      data: { code, httpStatus: 400, zodError: fieldErrors ? { formErrors: [], fieldErrors } : null },
    },
  });
}

describe('parseFieldMessages', () => {
  it('splits messages that name their fields', () => {
    expect(parseFieldMessages('email: Enter a valid email address.; password: Enter a password.')).toEqual({
      email: 'Enter a valid email address.',
      password: 'Enter a password.',
    });
    expect(parseFieldMessages('roles.0: Use one of: admin, user.')).toEqual({ roles: 'Use one of: admin, user.' });
  });

  it('leaves sentences alone', () => {
    expect(parseFieldMessages('Too many attempts. Try again in 5 minutes.')).toBeNull();
    expect(parseFieldMessages('Cross-site request refused: the Origin header does not match.')).toBeNull();
    expect(parseFieldMessages('email: fine; but this part is prose')).toBeNull();
  });
});

describe('formProblem', () => {
  const fields = { currentPassword: ['currentPassword'], newPassword: ['newPassword', 'password'] } as const;

  it('puts a message that names a field of the form beside that field', () => {
    const problem = formProblem(
      serverError('BAD_REQUEST', 'currentPassword: Your current password is not correct.'),
      fields,
    );
    expect(problem).toEqual({
      formError: null,
      fieldErrors: { currentPassword: 'Your current password is not correct.' },
    });
  });

  it('maps a server field to the form field that stands for it', () => {
    const problem = formProblem(serverError('BAD_REQUEST', 'password: Use at least 12 characters.'), fields);
    expect(problem?.fieldErrors).toEqual({ newPassword: 'Use at least 12 characters.' });
  });

  it('prefers the zod field errors when the server sent them', () => {
    const problem = formProblem(
      serverError('BAD_REQUEST', 'email: Enter a valid email address, like name@example.com.', {
        email: ['Enter a valid email address, like name@example.com.'],
      }),
      { email: ['email'] },
    );
    expect(problem?.fieldErrors.email).toBe('Enter a valid email address, like name@example.com.');
    expect(problem?.formError).toBeNull();
  });

  it('keeps other messages verbatim for the alert', () => {
    const message = 'That email and password do not match. Check both, or reset your password.';
    expect(formProblem(serverError('UNAUTHORIZED', message), { email: ['email'] })).toEqual({
      formError: message,
      fieldErrors: {},
    });
    expect(formProblem(serverError('BAD_REQUEST', 'token: This link is incomplete.'), { email: ['email'] })).toEqual({
      formError: 'token: This link is incomplete.',
      fieldErrors: {},
    });
  });

  it('is null without an error', () => {
    expect(formProblem(null, { email: ['email'] })).toBeNull();
  });
});

describe('errorMessage', () => {
  it('shows server messages as they are, and explains a lost connection', () => {
    expect(errorMessage(serverError('CONFLICT', 'At least one active admin must remain.'))).toBe(
      'At least one active admin must remain.',
    );
    expect(errorMessage(new TRPCClientError('Failed to fetch'))).toMatch(/^Could not reach the server/);
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('?')).toBe('Something went wrong. Try again.');
  });
});

describe('loadError', () => {
  it('reads an id the server refused as a broken link, and passes other errors on', () => {
    expect(loadError(serverError('BAD_REQUEST', 'budgetId: Invalid UUID'), 'budget')).toBe(
      'This address does not lead to a budget: the link is incomplete or mistyped.',
    );
    const missing = 'This budget does not exist, or it has not been shared with you.';
    expect(loadError(serverError('NOT_FOUND', missing), 'budget')).toBe(missing);
  });
});
