import type { GrantLevel } from '../../trpc.ts';

/** What each grant level lets a person do, as the Share dialog offers it (policy/objects.ts decides). */
export const LEVELS: Record<GrantLevel, { label: string; does: string }> = {
  viewer: { label: 'Viewer', does: 'can view' },
  commenter: { label: 'Commenter', does: 'can view and comment' },
  editor: { label: 'Editor', does: 'can edit and submit' },
  approver: { label: 'Approver', does: 'can comment and approve' },
};

export const SUBJECT_NAMES = { goal: 'goal', budget: 'budget', forecast: 'forecast' } as const;
export type SubjectType = keyof typeof SUBJECT_NAMES;

/** The end of a chosen day in the reader's time zone: access "until 31 Mar" lasts all of 31 March. */
export function endOfDay(isoDate: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return null;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59, 999);
}

/** The start of a chosen day in the reader's time zone. */
export function startOfDay(isoDate: string): Date | null {
  const end = endOfDay(isoDate);
  return end ? new Date(end.getFullYear(), end.getMonth(), end.getDate()) : null;
}

/** A Date as the value of an <input type="date"> in the reader's time zone. */
export function dateInputValue(date: Date | null): string {
  if (!date) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
