import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Dialog } from './Dialog.tsx';

describe('Dialog', () => {
  it('is a named dialog that focuses its first field and closes from its close button', async () => {
    const onClose = vi.fn();
    render(
      <Dialog title="New user" onClose={onClose} footer={<button type="button">Send invite</button>}>
        <label>
          Email
          <input />
        </label>
      </Dialog>,
    );
    const dialog = screen.getByRole('dialog', { name: 'New user' });
    expect(dialog).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Email'));
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('closes when the browser cancels it (Escape)', () => {
    const onClose = vi.fn();
    render(
      <Dialog title="Confirm" onClose={onClose}>
        <p>Sure?</p>
      </Dialog>,
    );
    screen.getByRole('dialog').dispatchEvent(new Event('cancel', { cancelable: true }));
    expect(onClose).toHaveBeenCalledOnce();
  });
});
