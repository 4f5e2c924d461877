import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmDialog, Dialog } from './Dialog.tsx';

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

  it('asks before a risky action, with Cancel focused so Enter alone never confirms', async () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(
      <ConfirmDialog title="Deactivate Ada?" confirmLabel="Deactivate" onConfirm={onConfirm} onCancel={onCancel}>
        <p>They are signed out at once.</p>
      </ConfirmDialog>,
    );
    expect(screen.getByRole('dialog', { name: 'Deactivate Ada?' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(screen.getByRole('button', { name: 'Deactivate' }));
    expect([onConfirm.mock.calls.length, onCancel.mock.calls.length]).toEqual([1, 0]);
  });
});
