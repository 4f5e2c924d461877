/**
 * Cell comments on the budget page against canned answers: cells with open threads are marked in
 * the grid; the side panel lists threads with the filters sent to the server; a thread's cell
 * name selects that cell, from which a new thread starts; "@" offers the people the server says
 * may read the budget, and only mentions still in the text are sent; threads are resolved.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { plainMe, renderApp } from '../../test/canned.tsx';
import { arun, BUDGET_ID, budget, RENT, sofia, thread } from '../../test/review-fixtures.ts';

const subject = { type: 'budget' as const, id: BUDGET_ID };
/** The budget page loads the grid's chunk on first use: longer than a query under load. */
const LOADING = 10_000;

function page(path = `/budgets/${BUDGET_ID}`) {
  const open = thread();
  return renderApp(path, {
    'auth.me': plainMe,
    'budgets.get': budget({ state: 'changes_requested' }),
    'workflow.history': { budgetId: BUDGET_ID, state: 'changes_requested', versionNumber: 1, items: [] },
    // January: happy-dom has no layout, so Handsontable draws only the first few columns.
    'comments.cells': [{ lineKey: RENT, period: '2027-01-01', open: 1 }],
    'comments.list': (input) => ({
      versionNumber: 1,
      threads: input.status === 'resolved' ? [] : [open],
      truncated: false,
    }),
    'comments.mentionable': (input) => [sofia, arun].filter((p) => p.name.toLowerCase().includes(input.search ?? '')),
    'comments.start': (input) => thread({ id: '60000000-0000-4000-8000-000000000002', comments: [], ...input }),
    'comments.reply': () => open,
    'comments.resolve': () => ({ ...open, status: 'resolved' }),
  });
}

describe('comments on the budget grid', () => {
  it('marks commented cells and filters the threads on the server', async () => {
    const app = page();
    const toggle = await screen.findByRole('button', { name: 'Comments (1 open)' }, { timeout: LOADING });
    await waitFor(() => expect(document.querySelectorAll('.ht_master td.gp-grid__cell--marked')).toHaveLength(1));
    const marked = document.querySelector('.ht_master td.gp-grid__cell--marked');
    await userEvent.click(toggle);
    const panel = await screen.findByRole('complementary', { name: 'Comments' });
    const threads = await within(panel).findByRole('list', { name: 'Threads' });
    const shown = within(threads)
      .getAllByRole('article')
      .map((a) => ({
        cell: within(a).getByRole('button', { name: 'Rent · Mar 2027' }).textContent,
        badges: [...a.querySelectorAll('.gp-badge')].map((b) => b.textContent),
        mention: a.querySelector('mark')?.textContent,
      }));
    await userEvent.click(within(panel).getByRole('checkbox', { name: 'Mine' }));
    await userEvent.click(within(panel).getByRole('checkbox', { name: 'Mentioning me' }));
    await userEvent.click(within(panel).getByRole('radio', { name: 'Resolved' }));
    await within(panel).findByText('No thread matches these filters.');
    expect({
      marked: {
        line: marked?.parentElement?.querySelector('th')?.textContent,
        column: marked?.getAttribute('aria-colindex'),
        text: marked?.textContent,
      },
      shown,
      lists: app.callsTo('comments.list').map((c) => c.input),
    }).toEqual({
      marked: { line: '1', column: '4', text: '2,000.00' },
      shown: [{ cell: 'Rent · Mar 2027', badges: ['Mentions you'], mention: '@Olga Owner' }],
      lists: [
        { subject, versionNumber: 1, status: 'open', mine: false, mentioningMe: false },
        { subject, versionNumber: 1, status: 'open', mine: true, mentioningMe: false },
        { subject, versionNumber: 1, status: 'open', mine: true, mentioningMe: true },
        { subject, versionNumber: 1, status: 'resolved', mine: true, mentioningMe: true },
      ],
    });
  });

  it('starts a thread on the selected cell with the people picked after "@", and resolves one', async () => {
    const app = page();
    await userEvent.click(await screen.findByRole('button', { name: 'Comments (1 open)' }, { timeout: LOADING }));
    const panel = await screen.findByRole('complementary', { name: 'Comments' });
    // The thread's cell name selects that cell in the grid, and the cell takes a new thread.
    await userEvent.click(await within(panel).findByRole('button', { name: 'Rent · Mar 2027' }));
    const commentOnCell = screen.getByRole('button', { name: 'Comment on cell' });
    await waitFor(() => expect(commentOnCell.hasAttribute('disabled')).toBe(false));
    await userEvent.click(commentOnCell);
    const box = await within(panel).findByRole('textbox', { name: 'New comment on Rent · Mar 2027' });
    // "@" typed in the middle of the text: the name goes there, and so does what is typed next.
    await userEvent.type(box, 'Check this please.');
    await userEvent.keyboard('{ArrowLeft>7/}@so');
    const option = await within(panel).findByRole('option', { name: /Sofia Supervisor/ });
    const offered = within(within(panel).getByRole('listbox'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(box.getAttribute('aria-activedescendant')).toBe(option.id);
    // Picked with Enter, then typing straight on as a fast typist does (no pause between keys).
    await userEvent.setup({ delay: null }).keyboard('{Enter}now ');
    const written = (box as HTMLTextAreaElement).value;
    await userEvent.click(within(panel).getByRole('button', { name: 'Comment' }));
    await waitFor(() => expect(app.callsTo('comments.start')).toHaveLength(1));

    // A mention taken out of the text before sending is not sent.
    await userEvent.click(within(panel).getByRole('button', { name: 'Reply on Rent · Mar 2027' }));
    const reply = within(panel).getByRole('textbox', { name: 'Reply on Rent · Mar 2027' });
    await userEvent.type(reply, '@ar');
    await within(panel).findByRole('option', { name: /Arun Accountant/ });
    await userEvent.keyboard('{Enter}');
    await userEvent.clear(reply);
    await userEvent.type(reply, 'Fixed it.');
    await userEvent.click(within(panel).getByRole('button', { name: 'Reply' }));
    await waitFor(() => expect(app.callsTo('comments.reply')).toHaveLength(1));
    await userEvent.click(within(panel).getByRole('button', { name: 'Resolve the thread on Rent · Mar 2027' }));
    await waitFor(() => expect(app.callsTo('comments.resolve')).toHaveLength(1));

    expect({
      offered,
      written,
      searched: app.callsTo('comments.mentionable').map((c) => c.input),
      started: app.callsTo('comments.start').map((c) => c.input),
      replied: app.callsTo('comments.reply').map((c) => c.input),
      resolved: app.callsTo('comments.resolve').map((c) => c.input),
    }).toEqual({
      offered: ['Sofia Supervisor sofia@x.test'],
      written: 'Check this @Sofia Supervisor now please.',
      searched: expect.arrayContaining([
        { subject, search: 'so', limit: 8 },
        { subject, search: 'ar', limit: 8 },
      ]),
      started: [
        {
          subject,
          lineKey: RENT,
          period: '2027-03-01',
          body: 'Check this @Sofia Supervisor now please.',
          mentions: [sofia.id],
        },
      ],
      replied: [{ threadId: thread().id, body: 'Fixed it.', mentions: [] }],
      resolved: [{ threadId: thread().id }],
    });
  });

  it('opens at the thread a notification links to, resolved ones included, and marks it', async () => {
    const { id } = thread();
    const app = page(`/budgets/${BUDGET_ID}?line=${RENT}&period=2027-03-01&thread=${id}`);
    const panel = await screen.findByRole('complementary', { name: 'Comments' }, { timeout: LOADING });
    const threads = await within(panel).findByRole('list', { name: 'Threads' });
    expect({
      focused: within(threads)
        .getAllByRole('article')
        .map((a) => [a.getAttribute('aria-current'), within(a).getAllByRole('button')[0]?.textContent]),
      status: within(panel).getByRole('radio', { name: 'All' }).matches(':checked'),
      lists: app.callsTo('comments.list').map((c) => c.input),
    }).toEqual({
      focused: [['true', 'Rent · Mar 2027']],
      status: true,
      lists: [{ subject, versionNumber: 1, status: 'all', mine: false, mentioningMe: false }],
    });
  });
});
