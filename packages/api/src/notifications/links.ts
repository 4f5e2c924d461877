/**
 * Where a notification takes its reader: the web app's paths for a goal, a budget, its approval,
 * and one cell's comment thread. Relative, so the app opens them in place; mails put PUBLIC_URL in
 * front. (The goal and budget pages arrive with their own work; these are the paths they serve.)
 */
export const links = {
  goal: (goalId: string) => `/goals/${goalId}`,
  budget: (budgetId: string) => `/budgets/${budgetId}`,
  forecast: (forecastId: string) => `/forecasts/${forecastId}`,
  approval: (budgetId: string) => `/budgets/${budgetId}/approval`,
  /** A cell (line and period) of a budget or forecast, with its comment thread open. */
  thread(input: {
    budgetId: string;
    forecastId?: string | null;
    lineKey: string;
    period?: string | null;
    threadId: string;
  }) {
    const params = new URLSearchParams({ line: input.lineKey });
    if (input.period) params.set('period', input.period);
    params.set('thread', input.threadId);
    const base = input.forecastId ? links.forecast(input.forecastId) : links.budget(input.budgetId);
    return `${base}?${params}`;
  },
  subject(subject: { goalId?: string | null; budgetId?: string | null; forecastId?: string | null }) {
    if (subject.forecastId) return links.forecast(subject.forecastId);
    if (subject.budgetId) return links.budget(subject.budgetId);
    return subject.goalId ? links.goal(subject.goalId) : null;
  },
};
