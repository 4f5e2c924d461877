import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { CheckboxGroup, SelectField, TextField } from './Field.tsx';

function Controlled({ error }: { error?: string }) {
  const [value, setValue] = useState('');
  return <TextField label="Email" value={value} onChange={setValue} error={error} hint="Your work address." />;
}

describe('TextField', () => {
  it('is labelled and takes typing', async () => {
    render(<Controlled />);
    const input = screen.getByLabelText('Email') as HTMLInputElement;
    await userEvent.type(input, 'ada@example.com');
    expect(input.value).toBe('ada@example.com');
    expect(input.getAttribute('aria-invalid')).toBeNull();
  });

  it('shows its error beside it and links it for screen readers', () => {
    render(<Controlled error="Enter a valid email address." />);
    const input = screen.getByLabelText('Email');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('Enter a valid email address.');
    const describedBy = input.getAttribute('aria-describedby')?.split(' ') ?? [];
    expect(describedBy).toContain(alert.id);
    expect(describedBy.map((id) => document.getElementById(id)?.textContent)).toContain('Your work address.');
  });
});

describe('CheckboxGroup', () => {
  it('labels each checkbox by its option and reports toggles', async () => {
    const onToggle = vi.fn();
    render(
      <CheckboxGroup
        legend="Roles"
        options={[
          { value: 'admin', label: 'Admin' },
          { value: 'user', label: 'User' },
        ]}
        selected={['user']}
        onToggle={onToggle}
      />,
    );
    expect((screen.getByRole('checkbox', { name: 'User' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Admin' }) as HTMLInputElement).checked).toBe(false);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Admin' }));
    expect(onToggle).toHaveBeenCalledWith('admin', true);
    expect(screen.getByRole('group', { name: 'Roles' })).toBeTruthy();
  });
});

describe('SelectField', () => {
  it('is labelled and reports the chosen value', async () => {
    const onChange = vi.fn();
    render(
      <SelectField
        label="Status"
        value=""
        onChange={onChange}
        options={[
          { value: '', label: 'Any status' },
          { value: 'locked', label: 'Locked' },
        ]}
      />,
    );
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Locked');
    expect(onChange).toHaveBeenCalledWith('locked');
  });

  it('says why it is disabled in a hint the select is described by', () => {
    render(
      <SelectField
        label="Currency"
        value="EUR"
        onChange={() => {}}
        options={[{ value: 'EUR', label: 'EUR' }]}
        disabled
        hint="A goal keeps its currency."
      />,
    );
    const select = screen.getByLabelText('Currency') as HTMLSelectElement;
    expect(select.disabled).toBe(true);
    expect(document.getElementById(select.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'A goal keeps its currency.',
    );
  });
});
