import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmDialog, Dialog, FormDialog } from './Dialog.tsx';

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

describe('FormDialog', () => {
  it('submits its form from the footer button and from Enter in a field, shows the form-wide problem, and cancels', async () => {
    const onSubmit = vi.fn((e: { preventDefault: () => void }) => e.preventDefault());
    const onClose = vi.fn();
    const { rerender } = render(
      <FormDialog
        title="New goal"
        onClose={onClose}
        onSubmit={onSubmit}
        submitLabel="Create goal"
        intro={<p>Under the plan.</p>}
      >
        <label>
          Name
          <input />
        </label>
      </FormDialog>,
    );
    const form = screen.getByRole('form', { name: 'New goal' });
    expect(screen.getByText('Under the plan.')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Create goal' }));
    await userEvent.type(screen.getByLabelText('Name'), 'Rent{Enter}');
    expect(onSubmit).toHaveBeenCalledTimes(2);
    rerender(
      <FormDialog
        title="New goal"
        onClose={onClose}
        onSubmit={onSubmit}
        submitLabel="Create goal"
        submitDisabled
        formError="The goal could not be saved."
        formLabel="Goal details"
      >
        <input aria-label="Name" />
      </FormDialog>,
    );
    expect(screen.getByRole('alert').textContent).toBe('The goal could not be saved.');
    expect((screen.getByRole('button', { name: 'Create goal' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('form', { name: 'Goal details' })).toBe(form);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalledOnce();
  });
});
