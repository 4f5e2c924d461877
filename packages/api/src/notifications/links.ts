/**
 * Where a notification takes its reader: paths the web app serves (apps/web/src/routes.tsx) for a
 * goal, a budget (its approval panel is on the budget page itself), a forecast, and one cell's
 * comment thread on the page of the budget or forecast it is on, the approvals inbox and one's
 * delegations. Relative, so the app opens them in place; mails put PUBLIC_URL in front.
 */
import type { SubjectType } from '../policy/objects.ts';

const PAGES: Record<SubjectType, string> = { goal: '/goals', budget: '/budgets', forecast: '/forecasts' };

export const links = {
  goal: (goalId: string) => `${PAGES.goal}/${goalId}`,
  budget: (budgetId: string) => `${PAGES.budget}/${budgetId}`,
  forecast: (forecastId: string) => `${PAGES.forecast}/${forecastId}`,
  /** A budget import's page: its state, dry run and outcome. */
  import: (importId: string) => `/imports/${importId}`,
  /** The approvals inbox: what waits for the reader's approval, their own or as a delegate. */
  approvals: () => '/approvals',
  /** The reader's delegations (given and received), on their account page. */
  delegations: () => '/account#account-delegation',
  /** The page of a shared object, as sharing names it: `{ type: 'budget', id }`. */
  object: (subject: { type: SubjectType; id: string }) => `${PAGES[subject.type]}/${subject.id}`,
  /**
   * A cell (line key and period, 'YYYY-MM-01') with its comment thread open:
   * /budgets/:id?line=…&period=…&thread=…, or the same on /forecasts/:id for a forecast's thread.
   */
  thread(input: { budgetId: string; forecastId: string | null; lineKey: string; period: string; threadId: string }) {
    const params = new URLSearchParams({ line: input.lineKey, period: input.period, thread: input.threadId });
    const base = input.forecastId ? links.forecast(input.forecastId) : links.budget(input.budgetId);
    return `${base}?${params}`;
  },
  /** What a reminder is about, as reminders name it: `{ budgetId }`, `{ forecastId }` or `{ goalId }`. */
  subject(subject: { goalId?: string | null; budgetId?: string | null; forecastId?: string | null }) {
    if (subject.forecastId) return links.forecast(subject.forecastId);
    if (subject.budgetId) return links.budget(subject.budgetId);
    return subject.goalId ? links.goal(subject.goalId) : null;
  },
};
