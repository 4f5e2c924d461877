import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { adminMe, renderApp } from '../../test/canned.tsx';
import type { BulkError, BulkStatus } from '../../trpc.ts';
import { summaryText } from './BulkImportPage.tsx';

const importId = '20000000-0000-4000-8000-000000000001';
const base = {
  importId,
  fileName: 'staff.csv',
  createdAt: new Date('2026-03-01T10:00:00.000Z'),
  finishedAt: null,
};

function csvFile(text: string, name = 'staff.csv') {
  return new File([text], name, { type: 'text/csv' });
}

describe('summaryText', () => {
  it('counts rows, valid rows and problems', () => {
    expect(summaryText(12, 10, 2)).toBe('12 rows, 10 valid, 2 problems');
    expect(summaryText(1, 1, 0)).toBe('1 row, 1 valid, 0 problems');
  });
});

describe('/admin/users/import', () => {
  it('checks a file, reports every problem, and offers no commit', async () => {
    const errors: BulkError[] = [
      { line: 2, field: 'email', value: 'nope', message: 'Not a valid email address.' },
      {
        line: 4,
        field: 'roles',
        value: 'boss',
        message: 'Unknown role "boss". Use admin, user, accountant, supervisor.',
      },
    ];
    const app = renderApp('/admin/users/import', {
      'auth.me': adminMe,
      'users.bulkValidate': {
        ...base,
        status: 'failed',
        totalRows: 3,
        processedRows: 0,
        validRows: 1,
        errorCount: 2,
        error: '2 problems found; fix the file and upload it again.',
        errors,
      },
    });
    const input = (await screen.findByLabelText('CSV file')) as HTMLInputElement;
    expect(input.getAttribute('accept')).toBe('.csv,text/csv');
    expect((screen.getByRole('button', { name: 'Check file' }) as HTMLButtonElement).disabled).toBe(true);
    const csv = 'email,name,roles\nnope,A,user\nb@example.com,B,user\nc@example.com,C,boss\n';
    await userEvent.upload(input, csvFile(csv));
    await userEvent.click(screen.getByRole('button', { name: 'Check file' }));

    expect(await screen.findByText('3 rows, 1 valid, 2 problems')).toBeTruthy();
    expect(app.callsTo('users.bulkValidate')[0]?.input).toEqual({ fileName: 'staff.csv', csv });
    const table = screen.getByRole('table', { name: 'Problems found in the file' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Line', 'Field', 'Value', 'Problem']);
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(screen.getByRole('button', { name: 'Download report (CSV)' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Register/ })).toBeNull();
  });

  it('pages a large report through users.bulkErrors', async () => {
    const all = Array.from(
      { length: 250 },
      (_, i): BulkError => ({
        line: i + 2,
        field: 'email',
        value: `bad${i}`,
        message: 'Not a valid email address.',
      }),
    );
    const app = renderApp('/admin/users/import', {
      'auth.me': adminMe,
      'users.bulkValidate': {
        ...base,
        status: 'failed',
        totalRows: 250,
        processedRows: 0,
        validRows: 0,
        errorCount: 250,
        error: '250 problems found; fix the file and upload it again.',
        errors: all,
      },
      'users.bulkErrors': ({ page = 1, pageSize = 100 }) => ({
        items: all.slice((page - 1) * pageSize, page * pageSize),
        total: all.length,
        page,
        pageSize,
      }),
    });
    await userEvent.upload(await screen.findByLabelText('CSV file'), csvFile('email,name\n'));
    await userEvent.click(screen.getByRole('button', { name: 'Check file' }));
    expect(await screen.findByText('Page 1 of 3')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('bad100')).toBeTruthy();
    expect(app.callsTo('users.bulkErrors').at(-1)?.input).toEqual({ importId, page: 2, pageSize: 100 });
  });

  it('registers a clean file and follows the job to the end', async () => {
    const states: Pick<BulkStatus, 'status' | 'processedRows'>[] = [
      { status: 'running', processedRows: 0 },
      { status: 'running', processedRows: 1 },
      { status: 'done', processedRows: 2 },
    ];
    let polls = 0;
    const app = renderApp('/admin/users/import', {
      'auth.me': adminMe,
      'users.list': { items: [], total: 0, page: 1, pageSize: 25 },
      'users.bulkValidate': {
        ...base,
        status: 'validated',
        totalRows: 2,
        processedRows: 0,
        validRows: 2,
        errorCount: 0,
        error: null,
        errors: [],
      },
      'users.bulkCommit': { ...base, status: 'queued', totalRows: 2, processedRows: 0, errorCount: 0, error: null },
      'users.bulkStatus': () => {
        const s = states[Math.min(polls++, states.length - 1)]!;
        return { ...base, totalRows: 2, errorCount: 0, error: null, ...s };
      },
    });
    await userEvent.upload(await screen.findByLabelText('CSV file'), csvFile('email,name\na@x.io,A\nb@x.io,B\n'));
    await userEvent.click(screen.getByRole('button', { name: 'Check file' }));
    expect(await screen.findByText('2 rows, 2 valid, 0 problems')).toBeTruthy();
    const invalidate = vi.spyOn(app.queryClient, 'invalidateQueries');
    await userEvent.click(screen.getByRole('button', { name: 'Register 2 users' }));

    const bar = await screen.findByRole('progressbar', { name: 'Import progress' });
    expect(bar.getAttribute('aria-valuemax')).toBe('2');
    expect(await screen.findByText('Registered 2 users.', {}, { timeout: 4000 })).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow')).toBe('2');
    expect(screen.getByText('Done')).toBeTruthy();
    expect(app.callsTo('users.bulkCommit')[0]?.input).toEqual({ importId });
    expect(app.callsTo('users.bulkStatus').length).toBeGreaterThanOrEqual(3);
    // Polling has stopped: the status query's own interval answers "no more" for a finished import.
    const query = app.queryClient
      .getQueryCache()
      .findAll({ queryKey: [['users', 'bulkStatus']] })
      .find((q) => (q.state.data as BulkStatus | undefined)?.status === 'done');
    const interval = query?.observers[0]?.options.refetchInterval;
    expect(typeof interval === 'function' ? interval(query as never) : interval).toBe(false);
    expect(invalidate).toHaveBeenCalledWith(expect.objectContaining({ queryKey: [['users', 'list']] }));
  });

  it('shows why a commit failed, with its problems', async () => {
    renderApp('/admin/users/import', {
      'auth.me': adminMe,
      'users.bulkValidate': {
        ...base,
        status: 'validated',
        totalRows: 1,
        processedRows: 0,
        validRows: 1,
        errorCount: 0,
        error: null,
        errors: [],
      },
      'users.bulkCommit': { ...base, status: 'queued', totalRows: 1, processedRows: 0, errorCount: 0, error: null },
      'users.bulkStatus': {
        ...base,
        status: 'failed',
        totalRows: 1,
        processedRows: 0,
        errorCount: 1,
        error: 'Since the check, 1 row became invalid. Nothing was written; check the file again.',
      },
      'users.bulkErrors': {
        items: [{ line: 2, field: 'email', value: 'a@x.io', message: 'A user with this email already exists.' }],
        total: 1,
        page: 1,
        pageSize: 100,
      },
    });
    await userEvent.upload(await screen.findByLabelText('CSV file'), csvFile('email,name\na@x.io,A\n'));
    await userEvent.click(screen.getByRole('button', { name: 'Check file' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Register 1 user' }));
    expect(
      await screen.findByText('Since the check, 1 row became invalid. Nothing was written; check the file again.'),
    ).toBeTruthy();
    expect(await screen.findByText('A user with this email already exists.')).toBeTruthy();
  });
});
