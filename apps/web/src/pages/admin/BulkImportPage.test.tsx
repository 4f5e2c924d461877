/**
 * The bulk import page against canned answers: a real staff list has problems and people who are
 * already registered, so the page offers registering the rest (keeping the report), asks what to
 * do with existing people, and, without a mail server, hands out the invite links as a CSV.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminMe, renderApp } from '../../test/canned.tsx';
import type { BulkError, BulkStatus, BulkValidation } from '../../trpc.ts';
import { commitLabel, summaryText } from './BulkImportPage.tsx';

const importId = '20000000-0000-4000-8000-000000000001';
const base = {
  importId,
  fileName: 'staff.csv',
  createdAt: new Date('2026-03-01T10:00:00.000Z'),
  finishedAt: null,
  processedRows: 0,
  errorCount: 0,
  problemRows: 0,
  existingRows: 0,
  createdRows: 0,
  updatedRows: 0,
  skippedRows: 0,
  error: null,
};
const checked = (r: Partial<BulkValidation>): BulkValidation => ({
  ...base,
  status: 'validated',
  totalRows: 0,
  validRows: 0,
  changedRows: 0,
  errorCount: 0,
  errors: [],
  changes: [],
  ...r,
});
const problem = (
  line: number,
  email: string,
  name: string,
  field: BulkError['field'],
  value: string,
  message: string,
) => ({ line, email, name, field, value, message }) satisfies BulkError;

function csvFile(text: string, name = 'staff.csv') {
  return new File([text], name, { type: 'text/csv' });
}

async function check(csv = 'email,name\n') {
  await userEvent.upload(await screen.findByLabelText('CSV file'), csvFile(csv));
  await userEvent.click(screen.getByRole('button', { name: 'Check file' }));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('wording', () => {
  it('counts rows and says what the button will do', () => {
    const r = { totalRows: 2000, validRows: 1950, existingRows: 40, problemRows: 10, changedRows: 12 };
    expect({
      summary: summaryText(r),
      skip: commitLabel(r, 'skip'),
      update: commitLabel(r, 'update'),
      clean: commitLabel({ validRows: 1, changedRows: 0, problemRows: 0 }, null),
      onlyUpdates: commitLabel({ validRows: 0, changedRows: 3, problemRows: 0 }, 'update'),
    }).toEqual({
      summary: '2,000 rows: 1,950 new, 40 already registered, 10 with problems',
      skip: 'Register 1,950 new users, skip 10 rows with problems',
      update: 'Register 1,950 new users and update 12 users, skip 10 rows with problems',
      clean: 'Register 1 new user',
      onlyUpdates: 'Update 3 users',
    });
  });
});

describe('/admin/users/import', () => {
  it('reports every problem with whose row it is, and offers to register the other rows', async () => {
    const errors = [
      problem(2, 'nope', 'Ada Lovelace', 'email', 'nope', 'Not a valid email address.'),
      problem(
        4,
        'c@example.com',
        'Cy',
        'roles',
        'boss',
        'Unknown role "boss". Use admin, user, accountant, supervisor.',
      ),
    ];
    const app = renderApp('/admin/users/import', {
      'auth.me': adminMe,
      'users.bulkValidate': checked({ totalRows: 3, validRows: 1, problemRows: 2, errorCount: 2, errors }),
      'users.bulkCommit': { ...base, status: 'queued', totalRows: 3, errorCount: 2, problemRows: 2 },
      'users.bulkStatus': { ...base, status: 'running', totalRows: 3, errorCount: 2, problemRows: 2, mail: 'captured' },
    });
    const input = (await screen.findByLabelText('CSV file')) as HTMLInputElement;
    expect(input.getAttribute('accept')).toBe('.csv,text/csv');
    expect((screen.getByRole('button', { name: 'Check file' }) as HTMLButtonElement).disabled).toBe(true);
    const csv = 'email,name,roles\nnope,Ada Lovelace,user\nb@example.com,B,user\nc@example.com,Cy,boss\n';
    await check(csv);

    expect(await screen.findByText('3 rows: 1 new, 0 already registered, 2 with problems')).toBeTruthy();
    expect(app.callsTo('users.bulkValidate')[0]?.input).toEqual({ fileName: 'staff.csv', csv });
    const table = screen.getByRole('table', { name: 'Problems found in the file' });
    expect({
      headers: within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
      first: within(within(table).getAllByRole('row')[1]!)
        .getAllByRole('cell')
        .map((c) => c.textContent),
      warning: screen.getByRole('alert').textContent,
    }).toEqual({
      headers: ['Line', 'Email', 'Name', 'Field', 'Value', 'Problem'],
      first: ['2', 'nope', 'Ada Lovelace', 'Email', 'nope', 'Not a valid email address.'],
      warning:
        '2 rows have problems and will not be registered. Register the other rows now and skip them (the report stays here to download), or fix the file and check it again.',
    });
    expect(screen.getByRole('button', { name: 'Download report (CSV)' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Register 1 new user, skip 2 rows with problems' }));
    await waitFor(() => expect(app.callsTo('users.bulkCommit')).toHaveLength(1));
    expect(app.callsTo('users.bulkCommit')[0]?.input).toEqual({ importId, skipProblems: true });
  });

  it('offers nothing to register when no row can be', async () => {
    renderApp('/admin/users/import', {
      'auth.me': adminMe,
      'users.bulkValidate': checked({
        status: 'failed',
        totalRows: 1,
        problemRows: 1,
        errorCount: 1,
        error: 'No row can be registered; fix the file and check it again.',
        errors: [problem(2, 'nope', 'N', 'email', 'nope', 'Not a valid email address.')],
      }),
    });
    await check();
    expect((await screen.findAllByRole('alert'))[0]?.textContent).toBe(
      'No row can be registered; fix the file and check it again.',
    );
    expect(screen.queryByRole('button', { name: /^Register/ })).toBeNull();
  });

  it('pages a large report through users.bulkErrors', async () => {
    const all = Array.from({ length: 250 }, (_, i) =>
      problem(i + 2, `bad${i}`, `Person ${i}`, 'email', `bad${i}`, 'Not a valid email address.'),
    );
    const app = renderApp('/admin/users/import', {
      'auth.me': adminMe,
      'users.bulkValidate': checked({
        status: 'failed',
        totalRows: 250,
        problemRows: 250,
        errorCount: 250,
        error: 'No row can be registered; fix the file and check it again.',
        errors: all.slice(0, 100),
      }),
      'users.bulkErrors': ({ page = 1, pageSize = 100 }) => ({
        items: all.slice((page - 1) * pageSize, page * pageSize),
        total: all.length,
        page,
        pageSize,
      }),
    });
    await check();
    expect(await screen.findByText('Page 1 of 3')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('Person 100')).toBeTruthy();
    expect(app.callsTo('users.bulkErrors').at(-1)?.input).toEqual({ importId, page: 2, pageSize: 100 });
  });

  it('asks what to do with people already registered, shows what would change, and sends the choice', async () => {
    const app = renderApp('/admin/users/import', {
      'auth.me': adminMe,
      'users.bulkValidate': checked({
        totalRows: 3,
        validRows: 1,
        existingRows: 2,
        changedRows: 1,
        changes: [
          {
            line: 3,
            userId: '10000000-0000-4000-8000-000000000001',
            email: 'ada@example.com',
            status: 'active',
            name: { from: 'Ada Lovelace', to: 'Ada King' },
            roles: { from: ['accountant'], to: ['accountant', 'supervisor'] },
          },
        ],
      }),
      'users.bulkCommit': { ...base, status: 'queued', totalRows: 3, existingRows: 2 },
      'users.bulkStatus': {
        ...base,
        status: 'running',
        totalRows: 3,
        existingRows: 2,
        mail: 'captured',
        errorCount: 0,
      },
    });
    await check();
    const section = within(await screen.findByRole('region', { name: 'Already registered (2)' }));
    expect(section.getByText(/already have an account/).textContent).toBe(
      '2 people in the file already have an account; the file gives 1 of them a different name or roles.',
    );
    const changes = section.getByRole('table', { name: 'Changes the file would make to people already registered' });
    expect(
      within(within(changes).getAllByRole('row')[1]!)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['3', 'ada@example.com', 'Ada Lovelace → Ada King', 'Accountant → Accountant, Supervisor']);
    await userEvent.click(screen.getByRole('button', { name: 'Register 1 new user' }));
    expect((await section.findByRole('alert')).textContent).toBe(
      'Choose whether to skip the people already registered or to update them.',
    );
    expect(app.callsTo('users.bulkCommit')).toHaveLength(0);
    await userEvent.click(section.getByRole('radio', { name: /Update their name and roles/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Register 1 new user and update 1 user' }));
    await waitFor(() => expect(app.callsTo('users.bulkCommit')).toHaveLength(1));
    expect(app.callsTo('users.bulkCommit')[0]?.input).toEqual({ importId, skipProblems: false, existing: 'update' });
  });

  it('follows the job to the end and, without a mail server, hands out the invite links as a CSV', async () => {
    const states: Pick<BulkStatus, 'status' | 'processedRows'>[] = [
      { status: 'running', processedRows: 0 },
      { status: 'running', processedRows: 1 },
      { status: 'done', processedRows: 2 },
    ];
    let polls = 0;
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:invite-links';
    });
    const app = renderApp('/admin/users/import', {
      'auth.me': adminMe,
      'users.list': { items: [], total: 0, page: 1, pageSize: 25 },
      'users.bulkValidate': checked({ totalRows: 2, validRows: 2 }),
      'users.bulkCommit': { ...base, status: 'queued', totalRows: 2 },
      'users.bulkStatus': () => {
        const s = states[Math.min(polls++, states.length - 1)]!;
        return {
          ...base,
          totalRows: 2,
          errorCount: 0,
          createdRows: s.status === 'done' ? 2 : 0,
          mail: 'captured',
          ...s,
        };
      },
      'users.bulkInviteLinks': {
        fileName: 'staff.csv',
        expiresAt: new Date('2026-03-08T10:00:00.000Z'),
        items: [
          { name: 'A Person', email: 'a@x.io', url: 'http://localhost:3000/accept-invite?token=aaaaaaaaaaaaaaaaaaaa' },
          { name: 'B Person', email: 'b@x.io', url: 'http://localhost:3000/accept-invite?token=bbbbbbbbbbbbbbbbbbbb' },
        ],
      },
    });
    await check('email,name\na@x.io,A Person\nb@x.io,B Person\n');
    expect(await screen.findByText('2 rows: 2 new, 0 already registered, 0 with problems')).toBeTruthy();
    const invalidate = vi.spyOn(app.queryClient, 'invalidateQueries');
    await userEvent.click(screen.getByRole('button', { name: 'Register 2 new users' }));

    const bar = await screen.findByRole('progressbar', { name: 'Import progress' });
    expect(bar.getAttribute('aria-valuemax')).toBe('2');
    expect(await screen.findByText('Registered 2 users.', {}, { timeout: 4000 })).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow')).toBe('2');
    expect(screen.getByText('Done')).toBeTruthy();
    expect(screen.queryByText(/has been sent an invite/)).toBeNull();
    expect(screen.getByText(/No mail server is configured, so no invite was sent/)).toBeTruthy();
    // Polling has stopped: the status query's own interval answers "no more" for a finished import.
    const query = app.queryClient
      .getQueryCache()
      .findAll({ queryKey: [['users', 'bulkStatus']] })
      .find((q) => (q.state.data as BulkStatus | undefined)?.status === 'done');
    const interval = query?.observers[0]?.options.refetchInterval;
    expect(typeof interval === 'function' ? interval(query as never) : interval).toBe(false);
    expect(invalidate).toHaveBeenCalledWith(expect.objectContaining({ queryKey: [['users', 'list']] }));

    await userEvent.click(screen.getByRole('button', { name: 'Download invite links (CSV)' }));
    expect((await screen.findByText(/^Downloaded 2 invite links/)).textContent).toBe(
      'Downloaded 2 invite links, working until 8 Mar 2026.',
    );
    expect(app.callsTo('users.bulkInviteLinks')[0]?.input).toEqual({ importId });
    expect((await blobs[0]!.text()).replace(/^\ufeff/, '')).toBe(
      'name,email,invite link,works until\r\n' +
        'A Person,a@x.io,http://localhost:3000/accept-invite?token=aaaaaaaaaaaaaaaaaaaa,2026-03-08T10:00:00.000Z\r\n' +
        'B Person,b@x.io,http://localhost:3000/accept-invite?token=bbbbbbbbbbbbbbbbbbbb,2026-03-08T10:00:00.000Z\r\n',
    );
  });

  it('says the invites go by mail when a mail server is configured', async () => {
    renderApp('/admin/users/import', {
      'auth.me': adminMe,
      'users.list': { items: [], total: 0, page: 1, pageSize: 25 },
      'users.bulkValidate': checked({ totalRows: 1, validRows: 1 }),
      'users.bulkCommit': { ...base, status: 'queued', totalRows: 1 },
      'users.bulkStatus': {
        ...base,
        status: 'done',
        totalRows: 1,
        processedRows: 1,
        createdRows: 1,
        errorCount: 0,
        mail: 'queued',
      },
    });
    await check();
    await userEvent.click(await screen.findByRole('button', { name: 'Register 1 new user' }));
    expect(
      await screen.findByText('Each new user is being sent an invite by mail to set their password.'),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Download invite links (CSV)' })).toBeNull();
  });

  it('shows why a commit failed', async () => {
    renderApp('/admin/users/import', {
      'auth.me': adminMe,
      'users.bulkValidate': checked({ totalRows: 1, validRows: 1 }),
      'users.bulkCommit': { ...base, status: 'queued', totalRows: 1 },
      'users.bulkStatus': {
        ...base,
        status: 'failed',
        totalRows: 1,
        errorCount: 0,
        mail: 'captured',
        error: 'The registration could not be written, so nothing was saved. Check the file again to retry.',
      },
    });
    await check();
    await userEvent.click(await screen.findByRole('button', { name: 'Register 1 new user' }));
    expect(
      await screen.findByText(
        'The registration could not be written, so nothing was saved. Check the file again to retry.',
      ),
    ).toBeTruthy();
  });
});
