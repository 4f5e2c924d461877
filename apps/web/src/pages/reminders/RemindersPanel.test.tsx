/**
 * Reminders on the budget page against canned answers that keep state like the server would: the
 * side panel lists the reminders with their next firing in the owner's time zone and their
 * schedule in words; each schedule kind is sent as the server expects; edit, pause, resume and
 * delete (after a confirmation) send what they say; a refusal lands at the field it names. On the
 * goal page, a reader without comment rights reminds only themselves, counting back from the
 * goal's target date; the workflow's automatic reminder is listed without actions.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, plainMe, renderApp } from '../../test/canned.tsx';
import { BUDGET_ID, budget, GOAL_ID } from '../../test/review-fixtures.ts';
import type { GoalDetail, NotificationPreferences, Reminder } from '../../trpc.ts';

/** The budget page loads the grid's chunk on first use: longer than a query under load. */
const LOADING = 10_000;
const subject = { budgetId: BUDGET_ID };
const preferences: NotificationPreferences = { timeZone: 'Europe/London', digestHour: 8, families: [] };

function reminder(changes: Partial<Reminder> = {}): Reminder {
  return {
    id: '70000000-0000-4000-8000-000000000001',
    subject,
    message: 'Check the travel line',
    schedule: { kind: 'weekly', startDate: '2026-12-07', time: '09:30' },
    audience: 'self',
    automatic: false,
    ownerId: plainMe.id,
    paused: false,
    nextFireAt: new Date('2026-12-07T09:30:00.000Z'),
    firedCount: 0,
    due: false,
    timeZone: 'Europe/London',
    createdAt: new Date('2026-11-26T10:00:00.000Z'),
    ...changes,
  };
}

/** The budget page with a reminders "server" holding `start`. */
function page(start: Reminder[] = [], create?: (input: unknown) => never) {
  let items = [...start];
  let next = 2;
  return renderApp(`/budgets/${BUDGET_ID}`, {
    'auth.me': plainMe,
    'budgets.get': budget(),
    'comments.cells': [],
    'notifications.preferences': preferences,
    'reminders.list': () => items,
    'reminders.create': (input) => {
      create?.(input);
      const made = reminder({
        id: `70000000-0000-4000-8000-00000000000${next++}`,
        message: input.message,
        schedule: input.schedule,
        audience: input.audience ?? 'self',
      });
      items = [...items, made];
      return made;
    },
    'reminders.update': (input) => {
      const changed = items.map((r) =>
        r.id === input.reminderId
          ? { ...r, message: input.message ?? r.message, schedule: input.schedule ?? r.schedule }
          : r,
      );
      items = changed;
      return changed.find((r) => r.id === input.reminderId) as Reminder;
    },
    'reminders.pause': (input) => {
      items = items.map((r) => (r.id === input.reminderId ? { ...r, paused: input.paused } : r));
      return items.find((r) => r.id === input.reminderId) as Reminder;
    },
    'reminders.delete': (input) => {
      items = items.filter((r) => r.id !== input.reminderId);
      return { deleted: true };
    },
  });
}

async function openPanel() {
  await userEvent.click(await screen.findByRole('button', { name: 'Reminders' }, { timeout: LOADING }));
  return screen.findByRole('complementary', { name: 'Reminders' });
}

/** Fills the New reminder dialog and sets it. */
async function setReminder(fill: { message: string; when: string; date?: string; days?: string; time: string }) {
  const panel = screen.getByRole('complementary', { name: 'Reminders' });
  await userEvent.click(within(panel).getByRole('button', { name: 'New reminder' }));
  const dialog = await screen.findByRole('dialog', { name: 'New reminder' });
  await userEvent.type(within(dialog).getByLabelText('Message'), fill.message);
  await userEvent.selectOptions(within(dialog).getByLabelText('When'), fill.when);
  if (fill.date) {
    const label = fill.when === 'Once' ? 'Date' : 'Starting';
    fireEvent.change(within(dialog).getByLabelText(label), { target: { value: fill.date } });
  }
  if (fill.days) {
    await userEvent.clear(within(dialog).getByLabelText('Days before'));
    await userEvent.type(within(dialog).getByLabelText('Days before'), fill.days);
  }
  fireEvent.change(within(dialog).getByLabelText('Time'), { target: { value: fill.time } });
  await userEvent.click(within(dialog).getByRole('button', { name: 'Set reminder' }));
  await waitFor(() => expect(screen.queryByRole('dialog', { name: 'New reminder' })).toBeNull());
}

const shown = (panel: HTMLElement) =>
  within(within(panel).getByRole('list', { name: 'Reminders' }))
    .getAllByRole('listitem')
    .map((li) => [...li.querySelectorAll('p, .gp-reminder__schedule, .gp-timeline__meta')].map((e) => e.textContent));

describe('reminders on the budget page', () => {
  it('sets a reminder of each kind and lists each in words', async () => {
    const app = page();
    const panel = await openPanel();
    await within(panel).findByText(/No reminders on this budget yet/);
    await setReminder({ message: 'Send the numbers', when: 'Once', date: '2026-12-24', time: '16:00' });
    await setReminder({ message: 'Daily check', when: 'Every day', date: '2026-12-01', time: '08:15' });
    await setReminder({ message: 'Weekly review', when: 'Every week', date: '2026-12-07', time: '09:30' });
    await setReminder({ message: 'Month end', when: 'Every month', date: '2027-01-31', time: '17:00' });
    await setReminder({ message: 'Nearly there', when: 'Before the target date', days: '14', time: '10:00' });
    await waitFor(() => expect(within(panel).getAllByRole('listitem')).toHaveLength(5));
    expect({
      created: app.callsTo('reminders.create').map((c) => c.input),
      shown: shown(panel).map(([message, words]) => [message, words]),
    }).toEqual({
      created: [
        {
          subject,
          message: 'Send the numbers',
          schedule: { kind: 'once', date: '2026-12-24', time: '16:00' },
          audience: 'self',
        },
        {
          subject,
          message: 'Daily check',
          schedule: { kind: 'daily', startDate: '2026-12-01', time: '08:15' },
          audience: 'self',
        },
        {
          subject,
          message: 'Weekly review',
          schedule: { kind: 'weekly', startDate: '2026-12-07', time: '09:30' },
          audience: 'self',
        },
        {
          subject,
          message: 'Month end',
          schedule: { kind: 'monthly', startDate: '2027-01-31', time: '17:00' },
          audience: 'self',
        },
        {
          subject,
          message: 'Nearly there',
          schedule: { kind: 'before_target', daysBefore: 14, time: '10:00' },
          audience: 'self',
        },
      ],
      shown: [
        ['Send the numbers', 'Once, on 24 Dec 2026 at 16:00'],
        ['Daily check', 'Every day at 08:15, from 1 Dec 2026'],
        ['Weekly review', 'Every Monday at 09:30, from 7 Dec 2026'],
        ['Month end', 'Every month on the 31st (or the month’s last day) at 17:00, from 31 Jan 2027'],
        ['Nearly there', '14 days before the goal’s target date at 10:00'],
      ],
    });
  }, 30_000);

  it('edits, pauses, resumes and, once confirmed, deletes a reminder for the collaborators', async () => {
    const app = page([reminder({ audience: 'collaborators' })]);
    const panel = await openPanel();
    await within(panel).findByRole('list', { name: 'Reminders' });
    const before = shown(panel);

    await userEvent.click(within(panel).getByRole('button', { name: 'Edit the reminder “Check the travel line”' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit reminder' });
    const audience = within(dialog).getByRole('radio', { name: /Everyone working on this budget/ });
    const editing = {
      message: (within(dialog).getByLabelText('Message') as HTMLTextAreaElement).value,
      when: (within(dialog).getByLabelText('When') as HTMLSelectElement).value,
      starting: (within(dialog).getByLabelText('Starting') as HTMLInputElement).value,
      time: (within(dialog).getByLabelText('Time') as HTMLInputElement).value,
      collaborators: (audience as HTMLInputElement).checked,
    };
    await userEvent.clear(within(dialog).getByLabelText('Message'));
    await userEvent.type(within(dialog).getByLabelText('Message'), 'Check travel and rent');
    fireEvent.change(within(dialog).getByLabelText('Time'), { target: { value: '11:00' } });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save reminder' }));
    await within(panel).findByText('Check travel and rent');

    await userEvent.click(within(panel).getByRole('button', { name: 'Pause the reminder “Check travel and rent”' }));
    await within(panel).findByText('Paused');
    const paused = shown(panel);
    await userEvent.click(within(panel).getByRole('button', { name: 'Resume the reminder “Check travel and rent”' }));
    await waitFor(() => expect(within(panel).queryByText('Paused')).toBeNull());

    await userEvent.click(within(panel).getByRole('button', { name: 'Delete the reminder “Check travel and rent”' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete reminder' });
    const asked = confirm.querySelector('p')?.textContent;
    await userEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    const afterCancel = app.callsTo('reminders.delete').length;
    await userEvent.click(within(panel).getByRole('button', { name: 'Delete the reminder “Check travel and rent”' }));
    await userEvent.click(
      within(await screen.findByRole('dialog', { name: 'Delete reminder' })).getByRole('button', {
        name: 'Delete reminder',
      }),
    );
    await within(panel).findByText(/No reminders on this budget yet/);

    const id = reminder().id;
    expect({
      before,
      editing,
      paused,
      asked,
      afterCancel,
      updated: app.callsTo('reminders.update').map((c) => c.input),
      pauses: app.callsTo('reminders.pause').map((c) => c.input),
      deleted: app.callsTo('reminders.delete').map((c) => c.input),
    }).toEqual({
      before: [
        [
          'Check the travel line',
          'Every Monday at 09:30, from 7 Dec 2026',
          'Next Mon, 7 Dec 2026, 09:30 (Europe/London) · for everyone working on it',
        ],
      ],
      editing: {
        message: 'Check the travel line',
        when: 'weekly',
        starting: '2026-12-07',
        time: '09:30',
        collaborators: true,
      },
      paused: [
        ['Check travel and rent', 'Every Monday at 11:00, from 7 Dec 2026', 'Paused · for everyone working on it'],
      ],
      asked: 'Delete the reminder “Check travel and rent”? It will not fire again, for you or anyone else.',
      afterCancel: 0,
      updated: [
        {
          reminderId: id,
          message: 'Check travel and rent',
          schedule: { kind: 'weekly', startDate: '2026-12-07', time: '11:00' },
          audience: 'collaborators',
        },
      ],
      pauses: [
        { reminderId: id, paused: true },
        { reminderId: id, paused: false },
      ],
      deleted: [{ reminderId: id }],
    });
  }, 30_000);

  it('says a reminder whose time passed unfired (a time-zone change) is due now, and only a fired one is done', async () => {
    const once = { kind: 'once' as const, date: '2026-11-26', time: '19:42' };
    page([
      reminder({
        message: 'Moved to Berlin',
        schedule: once,
        timeZone: 'Europe/Berlin',
        due: true,
        nextFireAt: new Date('2026-11-26T19:41:00.000Z'),
      }),
      reminder({
        id: '70000000-0000-4000-8000-000000000002',
        message: 'Fired',
        schedule: once,
        nextFireAt: null,
        firedCount: 1,
      }),
      reminder({
        id: '70000000-0000-4000-8000-000000000003',
        message: 'Ahead',
        schedule: once,
        nextFireAt: new Date('2026-11-26T19:42:00.000Z'),
      }),
    ]);
    const panel = await openPanel();
    await within(panel).findByText('Moved to Berlin');
    expect(shown(panel).map(([message, , meta]) => [message, meta])).toEqual([
      ['Moved to Berlin', 'Due now (fires within a minute) · for you'],
      ['Fired', 'Done · for you'],
      ['Ahead', 'Next Thu, 26 Nov 2026, 19:42 (Europe/London) · for you'],
    ]);
  }, 30_000);

  it('shows a refusal at the field it names and keeps what was written', async () => {
    const app = page([], () => {
      throw apiError(
        'BAD_REQUEST',
        'schedule.date: 2026-11-20 at 09:00 (Europe/London) has already passed. Choose a time ahead.',
      );
    });
    await openPanel();
    const panel = screen.getByRole('complementary', { name: 'Reminders' });
    await userEvent.click(within(panel).getByRole('button', { name: 'New reminder' }));
    const dialog = await screen.findByRole('dialog', { name: 'New reminder' });
    // Nothing written: refused here, nothing sent.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Set reminder' }));
    const empty = within(dialog).getByRole('alert').textContent;
    await userEvent.type(within(dialog).getByLabelText('Message'), 'Too late');
    fireEvent.change(within(dialog).getByLabelText('Date'), { target: { value: '2026-11-20' } });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Set reminder' }));
    await waitFor(() => expect(app.callsTo('reminders.create')).toHaveLength(1));
    const alert = await within(dialog).findByText(/has already passed/);
    expect({
      empty,
      refused: alert.textContent,
      describes: within(dialog).getByLabelText('Date').getAttribute('aria-describedby'),
      invalid: within(dialog).getByLabelText('Date').getAttribute('aria-invalid'),
      kept: (within(dialog).getByLabelText('Message') as HTMLTextAreaElement).value,
      open: screen.queryByRole('dialog', { name: 'New reminder' }) !== null,
    }).toEqual({
      empty: 'Write what to remind of.',
      refused: '2026-11-20 at 09:00 (Europe/London) has already passed. Choose a time ahead.',
      describes: alert.id,
      invalid: 'true',
      kept: 'Too late',
      open: true,
    });
  }, 30_000);
});

describe('reminders on the goal page', () => {
  it('counts back from the target date and offers a reader only reminders for themselves', async () => {
    const goal: GoalDetail = {
      id: GOAL_ID,
      name: 'Run the office',
      description: null,
      category: null,
      targetAmountMinor: 100_000_00n,
      currency: 'EUR',
      targetDate: '2027-09-30',
      status: 'active',
      version: 1,
      ownerId: '30000000-0000-4000-8000-000000000001',
      createdAt: new Date('2027-01-01T09:00:00.000Z'),
      updatedAt: new Date('2027-01-01T09:00:00.000Z'),
      ownerName: 'Olga Owner',
      permissions: {
        read: true,
        comment: false,
        edit: false,
        manage: false,
        share: false,
        submit: false,
        recall: false,
        approve: false,
        'final-approve': false,
        cancel: false,
        reopen: false,
      },
      progress: { plannedMinor: 0n, forecastMinor: null, reachedIn: null, forecastEnd: null, budgetCount: 0 },
      budgets: [],
      forecasts: [],
    };
    const goalSubject = { goalId: GOAL_ID };
    const app = renderApp(`/goals/${GOAL_ID}`, {
      'auth.me': plainMe,
      'goals.get': goal,
      'goals.history': { items: [], total: 0, page: 1, pageSize: 50 },
      'notifications.preferences': preferences,
      'reminders.list': [
        reminder({
          id: '70000000-0000-4000-8000-000000000009',
          subject: goalSubject,
          automatic: true,
          message: 'Waiting for approval',
          schedule: { kind: 'approval' },
          audience: 'approvers',
          timeZone: 'UTC',
        }),
        reminder({ subject: goalSubject, schedule: { kind: 'before_target', daysBefore: 14, time: '10:00' } }),
      ],
      'reminders.create': (input) =>
        reminder({ ...input, subject: goalSubject, id: '70000000-0000-4000-8000-000000000002' }),
    });
    const section = (await screen.findByRole('heading', { name: 'Reminders' })).closest('section') as HTMLElement;
    const list = await within(section).findByRole('list', { name: 'Reminders' });
    const items = within(list)
      .getAllByRole('listitem')
      .map((li) => ({
        text: [...li.querySelectorAll('p, .gp-reminder__schedule')].map((e) => e.textContent),
        buttons: within(li)
          .queryAllByRole('button')
          .map((b) => b.textContent),
      }));
    await userEvent.click(within(section).getByRole('button', { name: 'New reminder' }));
    const dialog = await screen.findByRole('dialog', { name: 'New reminder' });
    const everyone = within(dialog).getByRole('radio', { name: /Everyone working on this goal/ }) as HTMLInputElement;
    await userEvent.type(within(dialog).getByLabelText('Message'), 'Two weeks to go');
    await userEvent.selectOptions(within(dialog).getByLabelText('When'), 'Before the target date');
    const hint = within(dialog).getByText(/Counts back from/).textContent;
    await userEvent.click(within(dialog).getByRole('button', { name: 'Set reminder' }));
    await waitFor(() => expect(app.callsTo('reminders.create')).toHaveLength(1));
    expect({
      items,
      everyoneDisabled: everyone.disabled,
      why: everyone.closest('label')?.querySelector('.gp-radio__hint')?.textContent,
      hint,
      created: app.callsTo('reminders.create').map((c) => c.input),
    }).toEqual({
      items: [
        {
          text: ['Approval reminder', 'While the budget waits for approval, on the approval schedule'],
          buttons: [],
        },
        {
          text: ['Check the travel line', '14 days before the target date (30 Sept 2027) at 10:00'],
          buttons: ['Edit', 'Pause', 'Delete'],
        },
      ],
      everyoneDisabled: true,
      why: 'Needs comment rights on the goal.',
      hint: 'Counts back from the goal’s target date, 30 Sept 2027. Times are in Europe/London; change it under Account.',
      created: [
        {
          subject: goalSubject,
          message: 'Two weeks to go',
          schedule: { kind: 'before_target', daysBefore: 7, time: '09:00' },
          audience: 'self',
        },
      ],
    });
  }, 30_000);
});
