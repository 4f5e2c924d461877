import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adminMe, fail, plainMe, renderApp } from '../../test/canned.tsx';
import { RESET_SENT } from './ForgotPasswordPage.tsx';
import { PASSWORD_SET_NOTICE } from './SignInPage.tsx';

describe('/sign-in', () => {
  it('signs in and returns to the page the person came for', async () => {
    let signedIn = false;
    const app = renderApp('/sign-in?next=%2Fadmin%2Foutbox', {
      'auth.me': () => (signedIn ? adminMe : null),
      'auth.login': () => {
        signedIn = true;
        return { ok: true };
      },
      'mail.list': { items: [], total: 0, page: 1, pageSize: 25 },
    });
    await userEvent.type(await screen.findByLabelText('Email'), 'admin@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(app.location()).toBe('/admin/outbox'));
    expect(app.callsTo('auth.login')[0]?.input).toEqual({
      email: 'admin@example.com',
      password: 'correct horse battery',
    });
    expect(await screen.findByRole('heading', { name: 'Outbox' })).toBeTruthy();
  });

  it('puts the cursor in Email', async () => {
    renderApp('/sign-in', { 'auth.me': null });
    const email = await screen.findByLabelText('Email');
    await waitFor(() => expect(document.activeElement).toBe(email));
  });

  it('shows the server message verbatim when sign-in fails', async () => {
    const message = 'That email and password do not match. Check both, or reset your password.';
    renderApp('/sign-in', { 'auth.me': null, 'auth.login': fail('UNAUTHORIZED', message) });
    await userEvent.type(await screen.findByLabelText('Email'), 'a@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe(message);
  });

  it('puts a field error beside its field', async () => {
    renderApp('/sign-in', {
      'auth.me': null,
      'auth.login': fail('BAD_REQUEST', 'email: Enter a valid email address, like name@example.com.', {
        email: ['Enter a valid email address, like name@example.com.'],
      }),
    });
    await userEvent.type(await screen.findByLabelText('Email'), 'nope');
    await userEvent.type(screen.getByLabelText('Password'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Enter a valid email address, like name@example.com.');
    const email = screen.getByLabelText('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')).toContain(alert.id);
  });

  it('confirms a newly set password, links to reset, and hides sign-up when it is off', async () => {
    renderApp('/sign-in?notice=password-set', { 'auth.me': null });
    expect((await screen.findByRole('status')).textContent).toBe(PASSWORD_SET_NOTICE);
    expect(screen.getByRole('link', { name: 'Forgot password?' }).getAttribute('href')).toBe('/forgot-password');
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Create an account' })).toBeNull());
  });

  it('offers sign-up when it is on', async () => {
    renderApp('/sign-in?notice=password-reset', {
      'auth.me': null,
      'auth.options': { signupEnabled: true, passwordMinLength: 10 },
    });
    expect((await screen.findByRole('link', { name: 'Create an account' })).getAttribute('href')).toBe('/sign-up');
    expect(screen.getByText(PASSWORD_SET_NOTICE)).toBeTruthy();
  });
});

describe('route guard', () => {
  it('sends a signed-out visitor to sign in, remembering where they were going', async () => {
    const app = renderApp('/admin/users?page=2', { 'auth.me': null });
    await waitFor(() => expect(app.location()).toBe('/sign-in?next=%2Fadmin%2Fusers%3Fpage%3D2'));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('sends someone who is only an admin to the user list, and everyone else to the goals', async () => {
    const admin = renderApp('/', {
      'auth.me': adminMe,
      'users.list': { items: [], total: 0, page: 1, pageSize: 25 },
    });
    await waitFor(() => expect(admin.location()).toBe('/admin/users'));
    admin.unmount();
    const emptyGoals = { items: [], total: 0, page: 1, pageSize: 20, categories: [] };
    const other = renderApp('/', {
      'auth.me': { ...adminMe, roles: ['user'] },
      'goals.list': emptyGoals,
    });
    await waitFor(() => expect(other.location()).toBe('/goals'));
    expect(await screen.findByRole('heading', { name: 'Goals' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Users' })).toBeNull();
    other.unmount();
    const adminAndUser = renderApp('/', {
      'auth.me': { ...adminMe, roles: ['admin', 'user'] },
      'goals.list': emptyGoals,
    });
    await waitFor(() => expect(adminAndUser.location()).toBe('/goals'));
  });
});

describe('/forgot-password', () => {
  it('answers neutrally once the request is sent', async () => {
    const app = renderApp('/forgot-password', { 'auth.requestPasswordReset': { ok: true } });
    await userEvent.type(screen.getByLabelText('Email'), 'someone@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect((await screen.findByRole('status')).textContent).toBe(RESET_SENT);
    expect(app.callsTo('auth.requestPasswordReset')[0]?.input).toEqual({ email: 'someone@example.com' });
  });
});

describe('/reset-password', () => {
  const token = 'a'.repeat(43);

  it('sets the new password and sends the person to sign in', async () => {
    const app = renderApp(`/reset-password?token=${token}`, {
      'auth.me': null,
      'auth.checkToken': { valid: true, email: 'pat@example.com', name: 'Pat' },
      'auth.resetPassword': { ok: true },
    });
    expect(await screen.findByText('pat@example.com')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('New password'), 'a long new passphrase');
    await userEvent.type(screen.getByLabelText('Confirm password'), 'a long new passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Set password' }));
    await waitFor(() => expect(app.location()).toBe('/sign-in?notice=password-reset'));
    expect(app.callsTo('auth.resetPassword')[0]?.input).toEqual({ token, password: 'a long new passphrase' });
    expect(await screen.findByText(PASSWORD_SET_NOTICE)).toBeTruthy();
  });

  it('catches a mistyped confirmation before asking the server', async () => {
    const app = renderApp(`/reset-password?token=${token}`, {
      'auth.checkToken': { valid: true, email: 'pat@example.com', name: 'Pat' },
    });
    await userEvent.type(await screen.findByLabelText('New password'), 'one passphrase');
    await userEvent.type(screen.getByLabelText('Confirm password'), 'another passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Set password' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The passwords do not match.');
    expect(app.callsTo('auth.resetPassword')).toHaveLength(0);
  });

  it('states the rules before the first try, shows the server verdict beside the field, and drops it on a change', async () => {
    renderApp(`/reset-password?token=${token}`, {
      'auth.options': { signupEnabled: false, passwordMinLength: 12 },
      'auth.checkToken': { valid: true, email: 'pat@example.com', name: 'Pat' },
      'auth.resetPassword': fail('BAD_REQUEST', 'password: This is your current password. Choose a new one.'),
    });
    const field = await screen.findByLabelText('New password');
    const hintId = field.getAttribute('aria-describedby') ?? '';
    await waitFor(() =>
      expect(document.getElementById(hintId)?.textContent).toBe(
        'Use at least 12 characters. Very common passwords, and ones containing your name or email address, are refused.',
      ),
    );
    await userEvent.type(field, 'my old passphrase');
    await userEvent.type(screen.getByLabelText('Confirm password'), 'my old passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Set password' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('This is your current password. Choose a new one.');
    expect(field.getAttribute('aria-describedby')).toContain(alert.id);
    await userEvent.type(field, '!');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('explains a dead link and offers a new one', async () => {
    renderApp(`/reset-password?token=${token}`, { 'auth.checkToken': { valid: false } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/invalid, already used or expired/);
    expect(screen.getByRole('link', { name: 'Request a new reset link' }).getAttribute('href')).toBe(
      '/forgot-password',
    );
    expect(screen.queryByLabelText('New password')).toBeNull();
  });
});

describe('/accept-invite', () => {
  it('greets the invitee, sets their password and takes them into the app signed in', async () => {
    const token = 'b'.repeat(43);
    let signedIn = false;
    const app = renderApp(`/accept-invite?token=${token}`, {
      'auth.me': () => (signedIn ? { ...plainMe, email: 'new@example.com', name: 'Nia New' } : null),
      'goals.list': { items: [], total: 0, page: 1, pageSize: 20, categories: [] },
      'auth.checkToken': { valid: true, email: 'new@example.com', name: 'Nia New' },
      'auth.acceptInvite': () => {
        signedIn = true;
        return { ok: true, email: 'new@example.com' };
      },
    });
    expect(await screen.findByText('Nia New')).toBeTruthy();
    expect(screen.getByText('new@example.com')).toBeTruthy();
    expect(app.callsTo('auth.checkToken')[0]?.input).toEqual({ token, purpose: 'invite' });
    await userEvent.type(screen.getByLabelText('New password'), 'my own passphrase');
    await userEvent.type(screen.getByLabelText('Confirm password'), 'my own passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Set password' }));
    await waitFor(() => expect(app.location()).toBe('/goals'));
    // Signed in: the shell shows the person (the goals page is their home).
    expect(await screen.findByText('Nia New')).toBeTruthy();
  });
});

describe('/sign-up', () => {
  it('says so when self sign-up is off', async () => {
    renderApp('/sign-up', { 'auth.me': null });
    expect((await screen.findByRole('alert')).textContent).toMatch(/Self sign-up is turned off/);
    expect(screen.queryByLabelText('Email')).toBeNull();
  });

  it('creates the account and goes into the app', async () => {
    let signedIn = false;
    const app = renderApp('/sign-up', {
      'auth.options': { signupEnabled: true, passwordMinLength: 10 },
      'auth.me': () => (signedIn ? { ...adminMe, roles: ['user'] } : null),
      'goals.list': { items: [], total: 0, page: 1, pageSize: 20, categories: [] },
      'auth.signUp': () => {
        signedIn = true;
        return { ok: true };
      },
    });
    await userEvent.type(await screen.findByLabelText('Name'), 'Sam Signup');
    await userEvent.type(screen.getByLabelText('Email'), 'sam@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'a fine passphrase');
    await userEvent.type(screen.getByLabelText('Confirm password'), 'a fine passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(app.location()).toBe('/goals'));
    expect(app.callsTo('auth.signUp')[0]?.input).toEqual({
      name: 'Sam Signup',
      email: 'sam@example.com',
      password: 'a fine passphrase',
    });
  });
});
