/**
 * The budget import pages against canned answers, step by step: the source step sends an upload
 * as FormData (or a Google Sheets link as JSON) with the target and reading options; the import
 * page follows the server's state (polling while it moves, stopping when it waits), lets the
 * person correct one column's mapping (sent as the whole corrected mapping), shows the rejected
 * cells with their coordinates and the report as CSV, imports the valid rows or cancels, and ends
 * with the way to the budget's grid. The list shows each import's state.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fail, plainMe, renderApp } from '../../test/canned.tsx';
import {
  IMPORT_BUDGET_ID,
  IMPORT_GOAL_ID,
  IMPORT_ID,
  importGoal,
  importView,
  parsed,
  started,
} from '../../test/import-fixtures.ts';
import { BUDGET_ID, budget, GOAL_ID } from '../../test/review-fixtures.ts';
import type { ImportView } from '../../trpc.ts';
import { choicesFrom, choicesProblem, overrideFrom } from './mapping.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('mapping', () => {
  it('lists every column with its role and turns the choices back into a correction', () => {
    const choices = choicesFrom(parsed().mapping!, parsed().headers);
    expect(choices.map((c) => `${c.col}:${c.role}:${c.period ?? ''}:${c.label}`).slice(0, 3)).toEqual([
      '1:category::Category',
      '2:description::Line item',
      '3:period:2027-01-01:Jan 2027',
    ]);
    const dec = choices.map((c) => (c.col === 14 ? { ...c, role: 'period' as const, period: '2027-12-01' } : c));
    expect(choicesProblem(dec)).toBeNull();
    const override = overrideFrom(dec);
    expect({ ...override, periods: override.periods.slice(-2) }).toEqual({
      category: 1,
      description: 2,
      notes: null,
      periods: [
        { col: 13, period: '2027-11-01' },
        { col: 14, period: '2027-12-01' },
      ],
      totalColumns: [],
    });
    expect({
      twoCategories: choicesProblem(dec.map((c) => (c.col === 2 ? { ...c, role: 'category' as const } : c))),
      samePeriod: choicesProblem(dec.map((c) => (c.col === 14 ? { ...c, period: '2027-11-01' } : c))),
      noPeriod: choicesProblem(dec.map((c) => (c.col === 14 ? { ...c, period: null } : c))),
    }).toEqual({
      twoCategories: 'Only one column can be the category; columns A and B both are.',
      samePeriod: 'Columns M and N are both given the same period; each period can come from one column only.',
      noPeriod: 'Choose the period column N holds.',
    });
  });
});

describe('/imports/new', () => {
  it('uploads a workbook as a new budget under the goal, with the reading options, and opens the import', async () => {
    const app = renderApp(`/imports/new?goal=${IMPORT_GOAL_ID}`, {
      'auth.me': plainMe,
      'goals.get': importGoal,
      'imports.start': importView({ state: 'queued', parse: null, progress: { rows: 0, total: null } }),
      'imports.get': importView({ state: 'queued', parse: null, progress: { rows: 0, total: null } }),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Import a new budget' })).toBeTruthy();
    expect(screen.getByText('A new budget under the goal “Run the office”.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Read the file' }));
    expect((await screen.findAllByRole('alert')).map((a) => a.textContent)).toEqual([
      'Enter a name for the new budget.',
      'Choose a file, or drop one on the box.',
    ]);
    const file = new File([new Uint8Array([0x50, 0x4b, 3, 4])], 'Plan 2027.xlsx', { type: xlsxType });
    await userEvent.upload(screen.getByLabelText('Budget file'), file);
    expect((screen.getByLabelText('Budget name') as HTMLInputElement).value).toBe('Plan 2027');
    await userEvent.selectOptions(screen.getByLabelText('Amounts written as'), 'de-DE');
    await userEvent.selectOptions(screen.getByLabelText('Fiscal year starts in'), '4');
    await userEvent.click(screen.getByRole('button', { name: 'Read the file' }));

    await waitFor(() => expect(app.callsTo('imports.start')).toHaveLength(1));
    const form = app.callsTo('imports.start')[0]!.input as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect({
      input: JSON.parse(form.get('input') as string),
      file: (form.get('file') as File).name,
    }).toEqual({
      input: {
        target: {
          kind: 'new-budget',
          goalId: IMPORT_GOAL_ID,
          name: 'Plan 2027',
          currency: 'EUR',
          granularity: 'monthly',
        },
        options: { locale: 'de-DE', fiscalYearStartMonth: 4 },
      },
      file: 'Plan 2027.xlsx',
    });
    await waitFor(() => expect(app.location()).toBe(`/imports/${IMPORT_ID}`));
    expect(await screen.findByText('Waiting for a worker to pick the file up…')).toBeTruthy();
  });

  it('reads a private Google sheet with the person’s token, and refuses what is not a sheet link', async () => {
    const app = renderApp(`/imports/new?goal=${IMPORT_GOAL_ID}`, {
      'auth.me': plainMe,
      'goals.get': importGoal,
      'imports.start': importView({ state: 'queued', parse: null }),
      'imports.get': importView({ state: 'queued', parse: null }),
    });
    await userEvent.type(await screen.findByLabelText('Budget name'), 'Sheet plan');
    await userEvent.click(screen.getByRole('radio', { name: 'Google Sheets' }));
    await userEvent.click(screen.getByLabelText('Google Sheets link'));
    await userEvent.paste('https://example.com/sheet');
    await userEvent.click(screen.getByRole('button', { name: 'Read the file' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Paste the sheet’s link, such as https://docs.google.com/spreadsheets/d/…/edit.',
    );
    const link = 'https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/edit#gid=0';
    await userEvent.clear(screen.getByLabelText('Google Sheets link'));
    await userEvent.click(screen.getByLabelText('Google Sheets link'));
    await userEvent.paste(link);
    await userEvent.click(screen.getByLabelText('Access token (private sheets only)'));
    await userEvent.paste('ya29.token');
    await userEvent.click(screen.getByRole('button', { name: 'Read the file' }));
    await waitFor(() => expect(app.callsTo('imports.start')).toHaveLength(1));
    expect(app.callsTo('imports.start')[0]!.input).toEqual({
      source: { kind: 'google', url: link, accessToken: 'ya29.token' },
      target: {
        kind: 'new-budget',
        goalId: IMPORT_GOAL_ID,
        name: 'Sheet plan',
        currency: 'EUR',
        granularity: 'monthly',
      },
      options: { locale: expect.any(String) },
    });
  });

  it('into an existing budget: merge by default, or replace, or one of its forecasts’ figures', async () => {
    const forecastId = '60000000-0000-4000-8000-0000000000f1';
    const app = renderApp(`/imports/new?budget=${BUDGET_ID}`, {
      'auth.me': plainMe,
      'budgets.get': budget(),
      'goals.get': {
        ...importGoal,
        id: GOAL_ID,
        forecasts: [{ id: forecastId, name: 'Rolling', budgetId: BUDGET_ID, updatedAt: started }],
      },
      'imports.start': importView({ state: 'queued', parse: null }),
      'imports.get': importView({ state: 'queued', parse: null }),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Import into Operations 2027' })).toBeTruthy();
    const group = screen.getByRole('group', { name: 'What the file does to “Operations 2027”' });
    expect(
      within(group)
        .getAllByRole('radio')
        .map((r) => [(r as HTMLInputElement).checked, r.nextElementSibling?.firstChild?.textContent?.trim()]),
    ).toEqual([
      [true, 'Merge into the budget'],
      [false, 'Replace the budget with the file'],
      [false, 'Actuals of “Rolling”'],
      [false, 'Forecast figures of “Rolling”'],
    ]);
    await userEvent.click(within(group).getByRole('radio', { name: /^Actuals of “Rolling”/ }));
    await userEvent.upload(
      screen.getByLabelText('Budget file'),
      new File(['a;b'], 'actuals.csv', { type: 'text/csv' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Read the file' }));
    await waitFor(() => expect(app.callsTo('imports.start')).toHaveLength(1));
    expect(JSON.parse((app.callsTo('imports.start')[0]!.input as FormData).get('input') as string).target).toEqual({
      kind: 'forecast',
      forecastId,
      field: 'actual',
      mode: 'merge',
    });
  });

  it('shows a refusal of the file beside the form', async () => {
    renderApp(`/imports/new?goal=${IMPORT_GOAL_ID}`, {
      'auth.me': plainMe,
      'goals.get': importGoal,
      'imports.start': fail(
        'BAD_REQUEST',
        'file: The file is not a spreadsheet: it is neither a workbook, CSV nor JSON.',
      ),
    });
    await userEvent.type(await screen.findByLabelText('Budget name'), 'X');
    await userEvent.upload(screen.getByLabelText('Budget file'), new File(['%PDF-1.7'], 'scan.xlsx'));
    await userEvent.click(screen.getByRole('button', { name: 'Read the file' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The file is not a spreadsheet: it is neither a workbook, CSV nor JSON.',
    );
  });
});

describe('/imports/:id', () => {
  it('follows the reading until the dry run is ready, then stops asking', async () => {
    const states: Partial<ImportView>[] = [
      { state: 'parsing', parse: null, progress: { rows: 0, total: 3 } },
      { state: 'parsing', parse: null, progress: { rows: 2, total: 3 } },
      {},
    ];
    let polls = 0;
    const app = renderApp(`/imports/${IMPORT_ID}`, {
      'auth.me': plainMe,
      'imports.get': () => importView(states[Math.min(polls++, states.length - 1)]),
    });
    const bar = await screen.findByRole('progressbar', { name: 'Reading the file: progress' });
    expect(bar.getAttribute('aria-valuemax')).toBe('3');
    expect(screen.getByRole('list', { name: 'Import steps' }).querySelector('[aria-current="step"]')?.textContent).toBe(
      'Reading',
    );
    expect(await screen.findByRole('button', { name: 'Import 3 valid rows' }, { timeout: 4000 })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Import steps' }).querySelector('[aria-current="step"]')?.textContent).toBe(
      'Review',
    );
    const query = app.queryClient.getQueryCache().findAll({ queryKey: [['imports', 'get']] })[0];
    const interval = query?.observers[0]?.options.refetchInterval;
    expect(typeof interval === 'function' ? interval(query as never) : interval).toBe(false);
  });

  it('corrects one column of the mapping, reads the file again, and shows the new dry run', async () => {
    const remapped = parsed({
      proposed: false,
      mapping: {
        ...parsed().mapping!,
        periods: [
          ...parsed().mapping!.periods,
          { col: 14, period: '2027-12-01', label: 'Dec estimate', granularity: 'monthly' },
        ],
        ignored: [{ col: 15, label: 'Owner' }],
      },
      periods: { first: '2027-01-01', last: '2027-12-01' },
      stats: { rows: 3, lines: 3, cells: 35, rejectedCells: 1, blankRows: 0, totalRows: 0, headings: 0 },
    });
    const app = renderApp(`/imports/${IMPORT_ID}`, {
      'auth.me': plainMe,
      'imports.get': importView(),
      'imports.remap': importView({ state: 'queued', parse: null, progress: { rows: 0, total: null } }),
    });
    const mapping = await screen.findByRole('table', { name: 'Column mapping' });
    const dec = within(mapping).getByLabelText('Column N (Dec estimate) imported as') as HTMLSelectElement;
    expect(dec.value).toBe('ignore');
    // Every column shows its header as the file has it, the category and description columns too.
    const firstRows = within(mapping)
      .getAllByRole('row')
      .slice(1, 4)
      .map((r) => [...r.querySelectorAll('th, td')].slice(0, 2).map((c) => c.textContent));
    expect(firstRows).toEqual([
      ['A', 'Category'],
      ['B', 'Line item'],
      ['C', 'Jan 2027'],
    ]);
    expect((within(mapping).getByLabelText('Column A (Category) imported as') as HTMLSelectElement).value).toBe(
      'category',
    );
    const reread = screen.getByRole('button', { name: 'Read the file again with this mapping' }) as HTMLButtonElement;
    expect(reread.disabled).toBe(true);
    await userEvent.selectOptions(dec, 'period');
    await userEvent.click(reread);
    expect((await screen.findByRole('alert')).textContent).toBe('Choose the period column N holds.');
    await userEvent.selectOptions(within(mapping).getByLabelText('Column N (Dec estimate) period'), '2027-12-01');
    await userEvent.click(reread);
    await waitFor(() => expect(app.callsTo('imports.remap')).toHaveLength(1));
    const sent = app.callsTo('imports.remap')[0]!.input as { importId: string; mapping: { periods: unknown[] } };
    expect({ importId: sent.importId, last: sent.mapping.periods.at(-1), count: sent.mapping.periods.length }).toEqual({
      importId: IMPORT_ID,
      last: { col: 14, period: '2027-12-01' },
      count: 12,
    });
    expect(await screen.findByText('Waiting for a worker to pick the file up…')).toBeTruthy();
    // Back from the job: the mapping is the person's now.
    app.queryClient.setQueryData([['imports', 'get'], { input: { importId: IMPORT_ID }, type: 'query' }], {
      ...importView({ parse: remapped, updatedAt: new Date(started.getTime() + 5000) }),
    });
    expect(await screen.findByText(/^Your mapping of “Budget”/)).toBeTruthy();
    expect(
      (
        within(screen.getByRole('table', { name: 'Column mapping' })).getByLabelText(
          'Column N (Dec estimate) period',
        ) as HTMLSelectElement
      ).value,
    ).toBe('2027-12-01');
  });

  it('reads the file again from another sheet or with another locale', async () => {
    const app = renderApp(`/imports/${IMPORT_ID}`, {
      'auth.me': plainMe,
      'imports.get': importView(),
      'imports.remap': importView({ state: 'queued', parse: null, progress: { rows: 0, total: null } }),
    });
    const again = (await screen.findByRole('button', { name: 'Read the file again' })) as HTMLButtonElement;
    expect(again.disabled).toBe(true);
    expect((screen.getByLabelText('Sheet') as HTMLSelectElement).value).toBe('Budget');
    await userEvent.selectOptions(screen.getByLabelText('Sheet'), 'Notes');
    await userEvent.selectOptions(screen.getAllByLabelText('Amounts written as')[0]!, 'de-DE');
    await userEvent.click(again);
    await waitFor(() => expect(app.callsTo('imports.remap')).toHaveLength(1));
    expect(app.callsTo('imports.remap')[0]!.input).toEqual({
      importId: IMPORT_ID,
      options: { sheet: 'Notes', locale: 'de-DE' },
    });
  });

  it('shows the preview, the rejected cells with coordinates and the report; imports the valid rows', async () => {
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:report';
    });
    const app = renderApp(`/imports/${IMPORT_ID}`, {
      'auth.me': plainMe,
      'imports.get': importView(),
      'imports.report': {
        fileName: 'plan - import report.csv',
        contentType: 'text/csv; charset=utf-8',
        csv: '\uFEFF"coordinate","row","column","rule","value","message"\r\n"Budget!E3","3","E","amount","n/a","""n/a"" is text, not an amount."\r\n',
      },
      'imports.commit': importView({ state: 'importing', progress: { rows: 0, total: 3 } }),
    });
    const preview = await screen.findByRole('table', { name: 'Lines the import will create' });
    const first = within(preview).getAllByRole('row')[1]!;
    expect(
      within(first)
        .getAllByRole('cell')
        .map((c) => c.textContent)
        .slice(0, 4),
    ).toEqual(['2', 'Travel', 'Flights', expect.stringMatching(/1,000\.00/)]);
    expect(within(first).getAllByRole('cell').at(-1)?.textContent).toMatch(/11,000\.00/);
    const rejected = screen.getByRole('table', { name: 'Rejected cells' });
    expect(
      within(within(rejected).getAllByRole('row')[1]!)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['Budget!E3', 'Not an amount', 'n/a', '"n/a" is text, not an amount.']);
    await userEvent.click(screen.getByRole('button', { name: 'Download report (CSV)' }));
    await waitFor(() => expect(blobs).toHaveLength(1));
    expect((await blobs[0]!.text()).replace(/^\uFEFF/, '').split('\r\n')[1]).toBe(
      '"Budget!E3","3","E","amount","n/a","""n/a"" is text, not an amount."',
    );
    expect(screen.getByText(/1 rejected cell will be left out/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Import 3 valid rows' }));
    await waitFor(() => expect(app.callsTo('imports.commit')).toHaveLength(1));
    expect(app.callsTo('imports.commit')[0]!.input).toEqual({ importId: IMPORT_ID, skipRejected: true });
    expect(await screen.findByRole('progressbar', { name: 'Importing the lines: progress' })).toBeTruthy();
  });

  it('for an existing budget, shows the lines and cells the import adds, changes and removes', async () => {
    renderApp(`/imports/${IMPORT_ID}`, {
      'auth.me': plainMe,
      'imports.get': importView({
        target: { kind: 'budget', budgetId: IMPORT_BUDGET_ID, mode: 'replace', budgetName: 'Ops', currency: 'EUR' },
        budgetId: IMPORT_BUDGET_ID,
        parse: parsed({
          rejected: [],
          rejectedTotal: 0,
          stats: { rows: 3, lines: 3, cells: 33, rejectedCells: 0, blankRows: 0, totalRows: 0, headings: 0 },
          diff: {
            mode: 'replace',
            lines: { added: 1, changed: 1, removed: 1, unchanged: 1 },
            cells: { added: 11, changed: 1, removed: 2 },
            unmatched: 0,
            empty: false,
            items: [
              {
                change: 'changed',
                row: 2,
                lineKey: '70000000-0000-4000-8000-000000000001',
                category: 'Travel',
                description: 'Flights',
                fields: [],
                cells: [{ period: '2027-01-01', before: 900_00n, after: 1_000_00n }],
              },
              {
                change: 'removed',
                row: null,
                lineKey: '70000000-0000-4000-8000-000000000002',
                category: 'Rent',
                description: null,
                fields: [],
                cells: [
                  { period: '2027-01-01', before: 2_000_00n, after: null },
                  { period: '2027-02-01', before: 2_000_00n, after: null },
                ],
              },
            ],
          },
        }),
        needsSkipRejected: false,
      }),
    });
    const changes = await screen.findByRole('table', { name: 'Changes the import will make' });
    expect(
      within(changes)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent),
    ).toEqual([
      'Changed2TravelFlightsJan 2027: €900.00 → €1,000.00',
      'Removed—Rent—Jan 2027: €2,000.00 (removed)Feb 2027: €2,000.00 (removed)',
    ]);
    expect(screen.getByText('Lines removed').nextSibling?.textContent).toBe('1');
    expect(screen.getByText('Everything is imported in one go, or nothing is.')).toBeTruthy();
  });

  it('cancels: nothing is imported', async () => {
    const app = renderApp(`/imports/${IMPORT_ID}`, {
      'auth.me': plainMe,
      'imports.get': importView(),
      'imports.cancel': importView({ state: 'cancelled', finishedAt: started }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel import' }));
    expect(await screen.findByText('This import was cancelled; nothing was imported.')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Import steps' }).querySelector('[aria-current="step"]')?.textContent).toBe(
      'Review (cancelled)',
    );
    expect(screen.queryByRole('button', { name: /^Import \d/ })).toBeNull();
    expect(app.callsTo('imports.cancel')[0]!.input).toEqual({ importId: IMPORT_ID });
    expect(screen.getByRole('link', { name: 'Start again' }).getAttribute('href')).toBe(
      `/imports/new?goal=${IMPORT_GOAL_ID}`,
    );
  });

  it('offers no import while the file cannot be read as mapped', async () => {
    renderApp(`/imports/${IMPORT_ID}`, {
      'auth.me': plainMe,
      'imports.get': importView({
        canCommit: false,
        parse: parsed({
          problems: [{ code: 'granularity', message: 'The file has quarters; the budget is monthly.' }],
        }),
      }),
    });
    expect((await screen.findByText('The file has quarters; the budget is monthly.')).getAttribute('role')).toBe(
      'alert',
    );
    expect(screen.queryByRole('button', { name: /^Import \d/ })).toBeNull();
    expect(screen.queryByRole('table', { name: 'Lines the import will create' })).toBeNull();
  });

  it('says what was imported and opens the budget in the grid', async () => {
    renderApp(`/imports/${IMPORT_ID}`, {
      'auth.me': plainMe,
      'imports.get': importView({
        state: 'done',
        parse: null,
        budgetId: IMPORT_BUDGET_ID,
        finishedAt: new Date(started.getTime() + 60_000),
        result: {
          budgetId: IMPORT_BUDGET_ID,
          forecastId: null,
          lines: { added: 3, changed: 0, removed: 0 },
          cells: { written: 35 },
          logRows: 38,
        },
      }),
    });
    expect(
      await screen.findByText(
        'Imported into “Plan 2027”: 3 lines added, 0 lines changed, 0 lines removed, 35 amounts written.',
      ),
    ).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the budget in the grid' }).getAttribute('href')).toBe(
      `/budgets/${IMPORT_BUDGET_ID}`,
    );
  });

  it('says why an import failed, and offers to start again', async () => {
    renderApp(`/imports/${IMPORT_ID}`, {
      'auth.me': plainMe,
      'imports.get': importView({
        state: 'failed',
        parse: null,
        error: 'The workbook is password-protected. Save it without a password and upload it again.',
      }),
    });
    expect(
      await screen.findByText('The workbook is password-protected. Save it without a password and upload it again.'),
    ).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Start again' })).toBeTruthy();
  });
});

describe('/imports', () => {
  it('lists the person’s imports with their state and progress', async () => {
    const row = (changes: Partial<ReturnType<typeof listRow>>) => ({ ...listRow(), ...changes });
    renderApp('/imports', {
      'auth.me': plainMe,
      'imports.list': {
        items: [
          row({ id: '60000000-0000-4000-8000-0000000000a1', state: 'parsing', progress: { rows: 500, total: 2000 } }),
          row({
            id: '60000000-0000-4000-8000-0000000000a2',
            fileName: 'q1.csv',
            state: 'done',
            targetKind: 'budget',
            targetName: 'Fit-out 2027',
            budgetId: IMPORT_BUDGET_ID,
          }),
          row({
            id: '60000000-0000-4000-8000-0000000000a3',
            fileName: 'bad.xlsx',
            state: 'failed',
            error: 'The file is damaged.',
          }),
        ],
        total: 3,
        page: 1,
        pageSize: 20,
      },
    });
    const table = await screen.findByRole('table', { name: 'Your imports' });
    await within(table).findByText('q1.csv');
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) =>
          within(r)
            .getAllByRole('cell')
            .slice(0, 3)
            .map((c) => c.textContent),
        ),
    ).toEqual([
      ['plan.xlsx', 'New budget “Plan 2027”', 'Reading the file'],
      ['q1.csv', 'Budget “Fit-out 2027”', 'Done'],
      ['bad.xlsx', 'New budget “Plan 2027”', 'Failed'],
    ]);
    expect(within(table).getByRole('link', { name: 'Budget “Fit-out 2027”' }).getAttribute('href')).toBe(
      `/budgets/${IMPORT_BUDGET_ID}`,
    );
    expect(
      within(table).getByRole('progressbar', { name: 'Progress of plan.xlsx' }).getAttribute('aria-valuenow'),
    ).toBe('500');
    expect(within(table).getByText('The file is damaged.')).toBeTruthy();
    expect(within(table).getByRole('link', { name: 'plan.xlsx' }).getAttribute('href')).toBe(
      '/imports/60000000-0000-4000-8000-0000000000a1',
    );
  });
});

function listRow() {
  return {
    id: IMPORT_ID,
    kind: 'budget' as const,
    state: 'ready' as ImportView['state'],
    fileName: 'plan.xlsx',
    targetKind: 'new-budget' as 'new-budget' | 'budget' | 'forecast',
    targetName: 'Plan 2027' as string | null,
    budgetId: null as string | null,
    forecastId: null as string | null,
    progress: { rows: 0, total: null as number | null },
    error: null as string | null,
    createdAt: started,
    finishedAt: null as Date | null,
  };
}
