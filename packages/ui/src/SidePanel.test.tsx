import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Dialog } from './Dialog.tsx';
import { SidePanel } from './SidePanel.tsx';

describe('SidePanel', () => {
  it('takes focus when it opens and closes on Escape, but not while a dialog above it has the key', async () => {
    const onClose = vi.fn();
    const { rerender } = render(
      <SidePanel title="Ada Lovelace" onClose={onClose}>
        <p>Details</p>
      </SidePanel>,
    );
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Ada Lovelace' }));
    rerender(
      <SidePanel title="Ada Lovelace" onClose={onClose}>
        <Dialog title="Sure?" onClose={() => {}}>
          <button type="button">Cancel</button>
        </Dialog>
      </SidePanel>,
    );
    await userEvent.keyboard('{Escape}');
    expect(onClose).not.toHaveBeenCalled();
    rerender(
      <SidePanel title="Ada Lovelace" onClose={onClose}>
        <p>Details</p>
      </SidePanel>,
    );
    await userEvent.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledOnce();
  });
});
