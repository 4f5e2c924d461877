import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Pager, pageCount } from './Pager.tsx';

describe('pageCount', () => {
  it('is at least one page and rounds up', () => {
    expect(pageCount(0, 25)).toBe(1);
    expect(pageCount(25, 25)).toBe(1);
    expect(pageCount(26, 25)).toBe(2);
    expect(pageCount(101, 50)).toBe(3);
  });
});

describe('Pager', () => {
  it('shows the position and the total, and disables the ends', () => {
    render(<Pager page={1} pageSize={25} total={60} onPageChange={() => {}} describeTotal={(n) => `${n} users`} />);
    expect(screen.getByText('Page 1 of 3')).toBeTruthy();
    expect(screen.getByText('60 users')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Previous page' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Next page' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('asks for the neighbouring pages', async () => {
    const onPageChange = vi.fn();
    render(<Pager page={2} pageSize={25} total={60} onPageChange={onPageChange} />);
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await userEvent.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(onPageChange.mock.calls).toEqual([[3], [1]]);
  });

  it('disables both buttons on the only page', () => {
    render(<Pager page={1} pageSize={25} total={3} onPageChange={() => {}} />);
    expect(screen.getByText('Page 1 of 1')).toBeTruthy();
    expect(screen.getByText('3 items')).toBeTruthy();
    for (const name of ['Previous page', 'Next page']) {
      expect((screen.getByRole('button', { name }) as HTMLButtonElement).disabled).toBe(true);
    }
  });

  it('clamps a page past the end to the last page', () => {
    render(<Pager page={9} pageSize={10} total={25} onPageChange={() => {}} />);
    expect(screen.getByText('Page 3 of 3')).toBeTruthy();
  });

  it('offers a page size when asked to', async () => {
    const onPageSizeChange = vi.fn();
    render(
      <Pager
        page={1}
        pageSize={25}
        total={60}
        onPageChange={() => {}}
        pageSizes={[25, 50, 100]}
        onPageSizeChange={onPageSizeChange}
      />,
    );
    await userEvent.selectOptions(screen.getByLabelText('Rows per page'), '100');
    expect(onPageSizeChange).toHaveBeenCalledWith(100);
  });
});
