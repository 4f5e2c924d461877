import { type KeyboardEvent, type ReactNode, useState } from 'react';

/**
 * The keyboard model of a combobox's list (WAI-ARIA combobox pattern, focus stays in the text
 * box): while the list is open, Arrow Down/Up move the active option (wrapping), Enter (and Tab
 * when asked) picks it, Escape closes the list without reaching the dialog around it. `keyDown`
 * returns true when it handled the key, so the text box can go on with its own keys otherwise.
 */
export function useListbox<T>(
  baseId: string,
  items: readonly T[],
  {
    open,
    onPick,
    onClose,
    pickOnTab = false,
  }: { open: boolean; onPick: (item: T) => void; onClose: () => void; pickOnTab?: boolean },
) {
  const [active, setActive] = useState(0);
  const optionId = (i: number) => `${baseId}-option-${i}`;
  const current = open ? items[active] : undefined;
  const keyDown = (e: KeyboardEvent): boolean => {
    if (!open || items.length === 0) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = items.length;
      setActive((i) => (e.key === 'ArrowDown' ? (i + 1) % n : (i - 1 + n) % n));
      return true;
    }
    if ((e.key === 'Enter' || (pickOnTab && e.key === 'Tab')) && current !== undefined) {
      e.preventDefault();
      onPick(current);
      return true;
    }
    if (e.key === 'Escape') {
      // Closes the list only; a second Escape reaches the dialog.
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return true;
    }
    return false;
  };
  return {
    /** Index of the active option. */
    active,
    /** Back to the first option (the matches changed). */
    reset: () => setActive(0),
    keyDown,
    optionId,
    /** For the text box's aria-activedescendant. */
    activeDescendant: current !== undefined ? optionId(active) : undefined,
  };
}

/**
 * The list a combobox controls. Options are picked on mousedown, which would otherwise take the
 * focus from the text box first.
 */
export function Listbox<T extends { id: string }>({
  id,
  label,
  items,
  open,
  listbox,
  onPick,
  className,
  children,
}: {
  id: string;
  label: string;
  items: readonly T[];
  open: boolean;
  listbox: Pick<ReturnType<typeof useListbox<T>>, 'active' | 'optionId'>;
  onPick: (item: T) => void;
  className?: string;
  /** An option's content. */
  children: (item: T) => ReactNode;
}) {
  return (
    <div id={id} role="listbox" aria-label={label} className={className} hidden={!open}>
      {open
        ? items.map((item, i) => (
            <div
              key={item.id}
              id={listbox.optionId(i)}
              role="option"
              tabIndex={-1}
              aria-selected={i === listbox.active}
              className={`gp-combobox__option${i === listbox.active ? ' gp-combobox__option--active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                onPick(item);
              }}
            >
              {children(item)}
            </div>
          ))
        : null}
    </div>
  );
}
