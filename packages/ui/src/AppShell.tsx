import { ROLE_LABELS, type RoleKey } from '@goalpost/db/roles';
import { type ComponentType, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { ChevronDownIcon, GoalpostLogo } from './icons.tsx';

export interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  /** Items with the same group are listed under its heading. */
  group?: string;
}

/** The router's link, so this package stays router-agnostic. */
export type LinkComponent = ComponentType<{
  to: string;
  className?: string;
  /** The label as a tooltip, for when the rail shows only icons. */
  title?: string;
  'aria-current'?: 'page';
  onClick?: () => void;
  children: ReactNode;
}>;

export interface AppShellProps {
  productName: string;
  nav: readonly NavItem[];
  isActive: (item: NavItem) => boolean;
  Link: LinkComponent;
  /** Controls in the top bar before the user menu (the notification bell). */
  actions?: ReactNode;
  userMenu: ReactNode;
  children: ReactNode;
}

/** Top bar, left navigation rail, and the content area pages render into. */
export function AppShell({ productName, nav, isActive, Link, actions, userMenu, children }: AppShellProps) {
  return (
    <div className="gp-shell">
      <a className="gp-skip-link" href="#gp-main">
        Skip to content
      </a>
      <header className="gp-topbar">
        <div className="gp-topbar__brand">
          <GoalpostLogo />
          <span>{productName}</span>
        </div>
        <div className="gp-topbar__spacer" />
        {actions}
        {userMenu}
      </header>
      <NavRail items={nav} isActive={isActive} Link={Link} />
      <main id="gp-main" className="gp-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

export function NavRail({
  items,
  isActive,
  Link,
}: {
  items: readonly NavItem[];
  isActive: (item: NavItem) => boolean;
  Link: LinkComponent;
}) {
  const groups: { name: string | undefined; items: NavItem[] }[] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last && last.name === item.group) last.items.push(item);
    else groups.push({ name: item.group, items: [item] });
  }
  return (
    <nav className="gp-nav" aria-label="Main">
      {groups.map((g) => (
        <div className="gp-nav__group" key={g.name ?? '_'}>
          {g.name ? <div className="gp-nav__heading">{g.name}</div> : null}
          <ul>
            {g.items.map((item) => {
              const active = isActive(item);
              return (
                <li key={item.to}>
                  <Link
                    to={item.to}
                    title={item.label}
                    className={`gp-nav__link${active ? ' gp-nav__link--active' : ''}`}
                    aria-current={active ? 'page' : undefined}
                  >
                    <span className="gp-nav__icon">{item.icon}</span>
                    <span className="gp-nav__label">{item.label}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}

export function roleName(role: string): string {
  return ROLE_LABELS[role as RoleKey] ?? role.charAt(0).toUpperCase() + role.slice(1);
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts.at(-1)!] : parts;
  return letters.map((p) => p.charAt(0).toUpperCase()).join('') || '?';
}

export interface UserMenuProps {
  name: string;
  email: string;
  roles: readonly string[];
  onChangePassword: () => void;
  onSignOut: () => void;
  signingOut?: boolean;
}

/** The signed-in person, with "Change password" and "Sign out". */
export function UserMenu({ name, email, roles, onChangePassword, onSignOut, signingOut }: UserMenuProps) {
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (wrapper.current && !wrapper.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const roleText = roles.length ? roles.map(roleName).join(', ') : 'No roles';
  return (
    <div className="gp-user-menu" ref={wrapper}>
      <button
        ref={button}
        type="button"
        className="gp-user-menu__button"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="gp-avatar" aria-hidden="true">
          {initials(name)}
        </span>
        <span className="gp-visually-hidden">Account menu for </span>
        <span className="gp-user-menu__name">{name}</span>
        <ChevronDownIcon width={14} height={14} />
      </button>
      {open ? (
        <div id={menuId} className="gp-user-menu__popover">
          <div className="gp-user-menu__who">
            <div className="gp-user-menu__who-name">{name}</div>
            <div className="gp-muted">{email}</div>
            <div className="gp-user-menu__roles">
              <span className="gp-visually-hidden">Roles: </span>
              {roleText}
            </div>
          </div>
          <div className="gp-user-menu__actions">
            <button
              type="button"
              className="gp-menu-item"
              onClick={() => {
                setOpen(false);
                onChangePassword();
              }}
            >
              Change password
            </button>
            <button type="button" className="gp-menu-item" disabled={signingOut} onClick={onSignOut}>
              Sign out
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
