import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { type Column, DataTable } from './DataTable.tsx';

interface Person {
  id: string;
  name: string;
  email: string;
}

const columns: Column<Person>[] = [
  { header: 'Name', render: (p) => p.name },
  { header: 'Email', render: (p) => p.email },
];
const people: Person[] = [
  { id: 'a', name: 'Ada', email: 'ada@example.com' },
  { id: 'b', name: 'Grace', email: 'grace@example.com' },
];

describe('DataTable', () => {
  it('has a caption and column headers', () => {
    render(<DataTable caption="People" columns={columns} rows={people} rowKey={(p) => p.id} />);
    expect(screen.getByRole('table', { name: 'People' })).toBeTruthy();
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Name', 'Email']);
  });

  it('selects a row by clicking any cell, or from the keyboard', async () => {
    const onRowSelect = vi.fn();
    render(
      <DataTable caption="People" columns={columns} rows={people} rowKey={(p) => p.id} onRowSelect={onRowSelect} />,
    );
    await userEvent.click(screen.getByRole('cell', { name: 'grace@example.com' }));
    expect(onRowSelect).toHaveBeenLastCalledWith(people[1]);
    screen.getByRole('button', { name: 'Ada' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(onRowSelect).toHaveBeenLastCalledWith(people[0]);
    expect(onRowSelect).toHaveBeenCalledTimes(2);
  });

  it('marks the selected row', () => {
    render(
      <DataTable
        caption="People"
        columns={columns}
        rows={people}
        rowKey={(p) => p.id}
        onRowSelect={() => {}}
        selectedKey="b"
      />,
    );
    const selected = screen.getAllByRole('row').filter((r) => r.getAttribute('aria-current') === 'true');
    expect(selected.map((r) => r.textContent)).toEqual(['Gracegrace@example.com']);
  });

  it('shows the empty text, or loading while nothing has arrived', () => {
    const { rerender } = render(
      <DataTable caption="People" columns={columns} rows={[]} rowKey={(p) => p.id} empty="No users match." />,
    );
    expect(screen.getByText('No users match.')).toBeTruthy();
    rerender(<DataTable caption="People" columns={columns} rows={[]} rowKey={(p) => p.id} loading empty="None" />);
    expect(screen.getByText('Loading…')).toBeTruthy();
    expect(screen.queryByText('None')).toBeNull();
  });

  it('sorts from its headers, announcing the order, and asks the caller to sort', async () => {
    const onSortChange = vi.fn();
    const sortable: Column<Person>[] = [
      { header: 'Name', render: (p) => p.name, sortKey: 'name' },
      { header: 'Joined', render: () => '2026', sortKey: 'joined', firstDir: 'desc' },
      { header: 'Email', render: (p) => p.email },
    ];
    render(
      <DataTable
        caption="People"
        columns={sortable}
        rows={people}
        rowKey={(p) => p.id}
        sort={{ key: 'name', dir: 'asc' }}
        onSortChange={onSortChange}
      />,
    );
    const headers = screen.getAllByRole('columnheader');
    expect(headers.map((h) => h.getAttribute('aria-sort'))).toEqual(['ascending', null, null]);
    await userEvent.click(screen.getByRole('button', { name: 'Name' }));
    await userEvent.click(screen.getByRole('button', { name: 'Joined' }));
    expect(onSortChange.mock.calls).toEqual([[{ key: 'name', dir: 'desc' }], [{ key: 'joined', dir: 'desc' }]]);
    expect(screen.queryByRole('button', { name: 'Email' })).toBeNull();
  });

  it('checks rows one by one or all at once, without opening them', async () => {
    const onCheck = vi.fn();
    const onCheckAll = vi.fn();
    const onRowSelect = vi.fn();
    render(
      <DataTable
        caption="People"
        columns={columns}
        rows={people}
        rowKey={(p) => p.id}
        onRowSelect={onRowSelect}
        checks={{ checked: new Set(['b']), onCheck, onCheckAll, label: (p) => `Select ${p.name}` }}
      />,
    );
    const all = screen.getByRole('checkbox', { name: 'Select everyone on this page' }) as HTMLInputElement;
    expect([all.checked, all.indeterminate]).toEqual([false, true]);
    expect((screen.getByRole('checkbox', { name: 'Select Grace' }) as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select Ada' }));
    await userEvent.click(all);
    expect({ check: onCheck.mock.calls, all: onCheckAll.mock.calls, opened: onRowSelect.mock.calls.length }).toEqual({
      check: [[people[0], true]],
      all: [[true]],
      opened: 0,
    });
  });
});

describe('DataTable, wide', () => {
  it('makes its frame a named region that takes focus, so the keyboard can scroll it', () => {
    render(
      <DataTable
        caption="Lines"
        columns={[{ header: 'A', render: (r: { a: string }) => r.a }]}
        rows={[{ a: 'x' }]}
        rowKey={(r) => r.a}
        wide
      />,
    );
    const region = screen.getByRole('region', { name: 'Lines' });
    expect(region.tabIndex).toBe(0);
    expect(region.querySelector('table')).toBeTruthy();
  });
});
