import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ErrorTable } from './ErrorTable.tsx';

describe('ErrorTable', () => {
  it('lists every problem with whose row it is, under Line, Email, Name, Field, Value and Problem', () => {
    render(
      <ErrorTable
        errors={[
          {
            line: 3,
            field: 'email',
            value: 'not-an-email',
            message: 'Not a valid email address.',
            email: 'not-an-email',
            name: 'Ada Lovelace',
          },
          {
            line: 7,
            field: 'roles',
            value: 'boss',
            message: 'Unknown role "boss".',
            email: 'grace@example.com',
            name: 'Grace Hopper',
          },
          {
            line: 0,
            field: 'file',
            value: '',
            message: 'The file has 20000 rows; the limit is 10000.',
            email: '',
            name: '',
          },
        ]}
      />,
    );
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Line', 'Email', 'Name', 'Field', 'Value', 'Problem']);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    const first = within(rows[0]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(first).toEqual(['3', 'not-an-email', 'Ada Lovelace', 'Email', 'not-an-email', 'Not a valid email address.']);
    const fileRow = within(rows[2]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(fileRow).toEqual(['—', '—', '—', 'File', '(empty)', 'The file has 20000 rows; the limit is 10000.']);
  });

  it('says so when there is nothing to list', () => {
    render(<ErrorTable errors={[]} />);
    expect(screen.getByText('No problems.')).toBeTruthy();
  });
});
