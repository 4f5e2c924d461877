/**
 * Canned budget imports for the import pages' tests: a workbook "plan.xlsx" of three lines, Jan to
 * Nov 2027 read as periods, its December column ("Dec estimate") not recognised, and one cell that
 * says "n/a". Typed by the router, so a change to what imports.get returns breaks these first.
 */
import type { GoalDetail, ImportParse, ImportView } from '../trpc.ts';
import { plainMe } from './canned.tsx';

export const IMPORT_ID = '60000000-0000-4000-8000-000000000001';
export const IMPORT_GOAL_ID = '60000000-0000-4000-8000-000000000002';
export const IMPORT_BUDGET_ID = '60000000-0000-4000-8000-000000000003';
export const started = new Date('2027-01-10T09:00:00.000Z');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov'];
const month = (i: number) => `2027-${String(i + 1).padStart(2, '0')}-01`;

/** The dry run of plan.xlsx; `changes` may correct it (a remapped December, say). */
export function parsed(changes: Partial<ImportParse> = {}): ImportParse {
  const amounts = (n: bigint) => Object.fromEntries(MONTHS.map((_, i) => [month(i), n]));
  return {
    format: 'xlsx',
    sheet: 'Budget',
    sheets: [
      { name: 'Budget', hidden: false },
      { name: 'Notes', hidden: false },
    ],
    headerRow: 1,
    headers: [
      { col: 1, label: 'Category' },
      { col: 2, label: 'Line item' },
      ...MONTHS.map((m, i) => ({ col: i + 3, label: `${m} 2027` })),
      { col: 14, label: 'Dec estimate' },
      { col: 15, label: 'Owner' },
    ],
    mapping: {
      category: 1,
      description: 2,
      notes: null,
      periods: MONTHS.map((m, i) => ({
        col: i + 3,
        period: month(i),
        label: `${m} 2027`,
        granularity: 'monthly' as const,
      })),
      totalColumns: [],
      ignored: [
        { col: 14, label: 'Dec estimate' },
        { col: 15, label: 'Owner' },
      ],
    },
    proposed: true,
    currency: 'EUR',
    granularity: 'monthly',
    periods: { first: month(0), last: month(10) },
    problems: [],
    warnings: [],
    stats: { rows: 3, lines: 3, cells: 32, rejectedCells: 1, blankRows: 0, totalRows: 0, headings: 0 },
    ok: false,
    rejected: [
      {
        coordinate: 'Budget!E3',
        row: 3,
        column: 'E',
        rule: 'amount',
        value: 'n/a',
        message: '"n/a" is text, not an amount.',
      },
    ],
    rejectedTotal: 1,
    mismatches: [],
    preview: [
      { row: 2, category: 'Travel', description: 'Flights', notes: null, amounts: amounts(1_000_00n) },
      { row: 3, category: 'Travel', description: 'Hotels', notes: null, amounts: amounts(500_00n) },
      { row: 4, category: 'Equipment', description: 'Laptops', notes: null, amounts: amounts(2_500_50n) },
    ],
    diff: null,
    ...changes,
  };
}

/** plan.xlsx becoming a new budget "Plan 2027" under the goal "Run the office", in `state`. */
export function importView(changes: Partial<ImportView> = {}): ImportView {
  return {
    id: IMPORT_ID,
    kind: 'budget',
    state: 'ready',
    fileName: 'plan.xlsx',
    source: { kind: 'upload', size: 8_123, contentType: null },
    target: {
      kind: 'new-budget',
      goalId: IMPORT_GOAL_ID,
      name: 'Plan 2027',
      granularity: 'monthly',
      goalName: 'Run the office',
      currency: 'EUR',
    },
    options: { locale: 'en-US' },
    progress: { rows: 3, total: 3 },
    parse: parsed(),
    canCommit: true,
    needsSkipRejected: true,
    error: null,
    result: null,
    budgetId: null,
    forecastId: null,
    createdAt: started,
    updatedAt: started,
    finishedAt: null,
    ...changes,
  };
}

export const importGoal: GoalDetail = {
  id: IMPORT_GOAL_ID,
  name: 'Run the office',
  description: null,
  category: null,
  targetAmountMinor: 100_000_00n,
  currency: 'EUR',
  targetDate: null,
  status: 'active',
  version: 1,
  ownerId: plainMe.id,
  createdAt: started,
  updatedAt: started,
  ownerName: plainMe.name,
  permissions: {
    read: true,
    comment: true,
    edit: true,
    manage: true,
    share: true,
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
