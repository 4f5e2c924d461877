import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AppShell, initials, type LinkComponent, UserMenu } from './AppShell.tsx';

const PlainLink: LinkComponent = ({ to, children, ...rest }) => (
  <a href={to} {...rest}>
    {children}
  </a>
);

describe('AppShell', () => {
  it('has the product name, a labelled navigation with the active link marked, and the content', () => {
    render(
      <AppShell
        productName="Goalpost"
        nav={[
          { to: '/admin/users', label: 'Users', icon: null, group: 'Administration' },
          { to: '/admin/outbox', label: 'Outbox', icon: null, group: 'Administration' },
        ]}
        isActive={(item) => item.to === '/admin/users'}
        Link={PlainLink}
        userMenu={null}
      >
        <p>Content here</p>
      </AppShell>,
    );
    expect(screen.getByText('Goalpost')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav.textContent).toContain('Administration');
    expect(screen.getByRole('link', { name: 'Users' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Outbox' }).getAttribute('aria-current')).toBeNull();
    expect(screen.getByRole('main').textContent).toBe('Content here');
  });
});

describe('UserMenu', () => {
  it('opens to show the person and roles, and offers Change password and Sign out', async () => {
    const onChangePassword = vi.fn();
    const onSignOut = vi.fn();
    render(
      <UserMenu
        name="Ada Lovelace"
        email="ada@example.com"
        roles={['admin', 'accountant']}
        onChangePassword={onChangePassword}
        onSignOut={onSignOut}
      />,
    );
    const button = screen.getByRole('button', { name: 'Account menu for Ada Lovelace' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
    await userEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('ada@example.com')).toBeTruthy();
    expect(screen.getByText(/Admin, Accountant/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(onChangePassword).toHaveBeenCalledOnce();
    expect(screen.queryByRole('button', { name: 'Change password' })).toBeNull();
    await userEvent.click(button);
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(onSignOut).toHaveBeenCalledOnce();
  });

  it('closes on Escape', async () => {
    render(<UserMenu name="Ada" email="a@example.com" roles={[]} onChangePassword={() => {}} onSignOut={() => {}} />);
    await userEvent.click(screen.getByRole('button', { name: /Account menu/ }));
    expect(screen.getByText('No roles')).toBeTruthy();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByText('No roles')).toBeNull();
  });
});

describe('initials', () => {
  it('takes the first and last name', () => {
    expect(initials('Ada King Lovelace')).toBe('AL');
    expect(initials('grace')).toBe('G');
    expect(initials('  ')).toBe('?');
  });
});
