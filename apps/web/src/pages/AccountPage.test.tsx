import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fail, plainMe, renderApp } from '../test/canned.tsx';
import type { NotificationPreferences } from '../trpc.ts';
import { PASSWORD_CHANGED, SAME_PASSWORD } from './AccountPage.tsx';

const instant = { inApp: true, email: 'instant' } as const;
const appOnly = { inApp: true, email: 'off' } as const;
const preferences: NotificationPreferences = {
  timeZone: 'Europe/London',
  digestHour: 8,
  families: [
    { family: 'workflow', ...instant, defaults: instant },
    { family: 'mentions', ...instant, defaults: instant },
    { family: 'comments', ...appOnly, defaults: appOnly },
    { family: 'sharing', ...appOnly, defaults: appOnly },
    { family: 'imports', ...appOnly, defaults: appOnly },
    { family: 'reminders', ...appOnly, defaults: appOnly },
    { family: 'messages', ...instant, defaults: instant },
  ],
};

describe('/account', () => {
  it("shows the person's details", async () => {
    renderApp('/account', { 'auth.me': plainMe, 'notifications.preferences': preferences });
    expect(await screen.findByText('pat@example.com', { selector: 'dd' })).toBeTruthy();
    expect(screen.getByText('Pat User', { selector: 'dd' })).toBeTruthy();
  });

  it('changes the password, showing the server verdict beside the right field', async () => {
    let tries = 0;
    const app = renderApp('/account', {
      'auth.me': plainMe,
      'notifications.preferences': preferences,
      'tokens.list': [],
      'auth.changePassword': () => {
        tries++;
        if (tries === 1) throw fail('BAD_REQUEST', 'currentPassword: Your current password is not correct.')();
        return { ok: true };
      },
    });
    await userEvent.type(await screen.findByLabelText('Current password'), 'wrong');
    await userEvent.type(screen.getByLabelText('New password'), 'a brand new passphrase');
    await userEvent.type(screen.getByLabelText('Confirm password'), 'a brand new passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Your current password is not correct.');
    expect(screen.getByLabelText('Current password').getAttribute('aria-describedby')).toContain(alert.id);

    // The old verdict goes as soon as the field it was about changes.
    await userEvent.clear(screen.getByLabelText('Current password'));
    expect(screen.queryByRole('alert')).toBeNull();
    await userEvent.type(screen.getByLabelText('Current password'), 'right');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect((await screen.findByRole('status')).textContent).toBe(PASSWORD_CHANGED);
    expect(app.callsTo('auth.changePassword').at(-1)?.input).toEqual({
      currentPassword: 'right',
      newPassword: 'a brand new passphrase',
    });
    expect((screen.getByLabelText('New password') as HTMLInputElement).value).toBe('');
  });

  it('states the password rules before the first try, and refuses the current password as the new one', async () => {
    const app = renderApp('/account', {
      'auth.me': plainMe,
      'auth.options': { signupEnabled: false, passwordMinLength: 12 },
      'notifications.preferences': preferences,
      'tokens.list': [],
    });
    const field = await screen.findByLabelText('New password');
    await waitFor(() =>
      expect(document.getElementById(field.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
        'Use at least 12 characters. Very common passwords, and ones containing your name or email address, are refused.',
      ),
    );
    await userEvent.type(screen.getByLabelText('Current password'), 'the same passphrase');
    await userEvent.type(field, 'the same passphrase');
    await userEvent.type(screen.getByLabelText('Confirm password'), 'the same passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect((await screen.findByRole('alert')).textContent).toBe(SAME_PASSWORD);
    expect(app.callsTo('auth.changePassword')).toHaveLength(0);
  });

  it('signs out from the user menu and lands on sign-in', async () => {
    let signedIn = true;
    const app = renderApp('/account', {
      'notifications.preferences': preferences,
      'tokens.list': [],
      'auth.me': () => (signedIn ? plainMe : null),
      'auth.logout': () => {
        signedIn = false;
        return { ok: true };
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Account menu for Pat User' }));
    expect(screen.getByText('User', { selector: '.gp-user-menu__roles' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(app.location()).toBe('/sign-in'));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(app.callsTo('auth.logout')).toHaveLength(1);
  });

  it('saves the time zone and where each kind of notification goes', async () => {
    const app = renderApp('/account', {
      'auth.me': plainMe,
      'notifications.preferences': preferences,
      'tokens.list': [],
      'notifications.setPreferences': (input) => ({ ...preferences, timeZone: input.timeZone ?? preferences.timeZone }),
    });
    await userEvent.selectOptions(await screen.findByLabelText('Time zone'), 'Asia/Tokyo');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Comments on threads you take part in: in the app' }));
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Mentions of you in comments: by mail' }),
      'digest',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save notification settings' }));
    expect((await screen.findByText('Your notification settings are saved.')).textContent).toBeTruthy();
    const sent = app.callsTo('notifications.setPreferences')[0]?.input as { timeZone: string; families: unknown[] };
    expect({
      timeZone: sent.timeZone,
      changed: sent.families.filter(
        (f) => JSON.stringify(f).includes('digest') || JSON.stringify(f).includes('"inApp":false'),
      ),
    }).toEqual({
      timeZone: 'Asia/Tokyo',
      changed: [
        { family: 'mentions', inApp: true, email: 'digest' },
        { family: 'comments', inApp: false, email: 'off' },
      ],
    });
  });
});
