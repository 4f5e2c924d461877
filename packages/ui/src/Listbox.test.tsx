import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Listbox, useListbox } from './Listbox.tsx';

const fruit = [
  { id: 'a', name: 'Apple' },
  { id: 'b', name: 'Banana' },
  { id: 'c', name: 'Cherry' },
];

/** A combobox as the app builds one: a text box that keeps the focus and the list it controls. */
function Combo({
  onPick,
  onOuterEscape,
  pickOnTab,
}: {
  onPick: (name: string) => void;
  onOuterEscape?: () => void;
  pickOnTab?: boolean;
}) {
  const [open, setOpen] = useState(true);
  const list = useListbox('fruit', fruit, {
    open,
    onPick: (f) => onPick(f.name),
    onClose: () => setOpen(false),
    pickOnTab,
  });
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: stands in for the dialog that would get a second Escape
    <div onKeyDown={(e) => e.key === 'Escape' && onOuterEscape?.()}>
      <input
        role="combobox"
        aria-expanded={open}
        aria-controls="fruit"
        aria-activedescendant={list.activeDescendant}
        onKeyDown={(e) => list.keyDown(e)}
      />
      <Listbox id="fruit" label="Fruit" items={fruit} open={open} listbox={list} onPick={(f) => onPick(f.name)}>
        {(f) => f.name}
      </Listbox>
    </div>
  );
}

describe('Listbox with useListbox', () => {
  it('moves the active option with the arrow keys, wrapping at both ends, and picks it with Enter', async () => {
    const onPick = vi.fn();
    render(<Combo onPick={onPick} />);
    const box = screen.getByRole('combobox');
    await userEvent.click(box);
    const active = () => document.getElementById(box.getAttribute('aria-activedescendant') ?? '')?.textContent;
    expect(active()).toBe('Apple');
    await userEvent.keyboard('{ArrowUp}');
    expect(active()).toBe('Cherry');
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    expect(active()).toBe('Banana');
    expect(screen.getByRole('option', { name: 'Banana' }).getAttribute('aria-selected')).toBe('true');
    await userEvent.keyboard('{Enter}');
    expect(onPick.mock.calls).toEqual([['Banana']]);
  });

  it('picks with Tab only when asked, and with the mouse', async () => {
    const onPick = vi.fn();
    const { unmount } = render(<Combo onPick={onPick} />);
    await userEvent.click(screen.getByRole('combobox'));
    await userEvent.keyboard('{Tab}');
    expect(onPick).not.toHaveBeenCalled();
    unmount();
    render(<Combo onPick={onPick} pickOnTab />);
    await userEvent.click(screen.getByRole('combobox'));
    await userEvent.keyboard('{Tab}');
    await userEvent.click(screen.getByRole('option', { name: 'Cherry' }));
    expect(onPick.mock.calls).toEqual([['Apple'], ['Cherry']]);
  });

  it('closes the list on Escape without letting that Escape reach the dialog; the next one does', async () => {
    const onOuterEscape = vi.fn();
    render(<Combo onPick={() => {}} onOuterEscape={onOuterEscape} />);
    await userEvent.click(screen.getByRole('combobox'));
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(screen.getByRole('combobox').getAttribute('aria-activedescendant')).toBeNull();
    expect(onOuterEscape).not.toHaveBeenCalled();
    await userEvent.keyboard('{Escape}');
    expect(onOuterEscape).toHaveBeenCalledTimes(1);
  });
});
