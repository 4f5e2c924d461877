import type { RejectedCell, RejectionRule, TotalMismatch } from '@goalpost/api/imports';
import { Badge, type Column, DataTable } from '@goalpost/ui';
import { money } from '../../lib/money.ts';
import { labelOf } from '../../lib/periods.ts';

const RULES: Record<RejectionRule, string> = {
  amount: 'Not an amount',
  'wrong-type': 'Wrong type',
  'error-value': 'Error value',
  'formula-result': 'Formula without a result',
  'category-missing': 'Category missing',
  'too-long': 'Too long',
  period: 'Period',
  'json-schema': 'Not the documented shape',
  'json-precision': 'Number too precise',
};

export function ruleLabel(rule: string): string {
  return RULES[rule as RejectionRule] ?? rule;
}

const rejectedColumns: Column<RejectedCell>[] = [
  { header: 'Cell', render: (r) => <code className="gp-code">{r.coordinate}</code> },
  { header: 'Rule', render: (r) => ruleLabel(r.rule) },
  {
    header: 'Value',
    render: (r) => (r.value ? <code className="gp-code">{r.value}</code> : <span className="gp-muted">(empty)</span>),
  },
  { header: 'Problem', render: (r) => r.message, className: 'gp-table__wrap' },
];

/** Rejected cells with their sheet coordinates. */
export function RejectedCellsTable({ cells, loading }: { cells: readonly RejectedCell[]; loading?: boolean }) {
  return (
    <DataTable
      caption="Rejected cells"
      columns={rejectedColumns}
      rows={cells}
      rowKey={(r) => `${r.coordinate}:${r.rule}`}
      loading={loading}
      empty="No cell was rejected."
    />
  );
}

/** Totals in the sheet that do not add up to its lines. */
export function TotalsTable({ mismatches, currency }: { mismatches: readonly TotalMismatch[]; currency: string }) {
  const columns: Column<TotalMismatch>[] = [
    { header: 'Cell', render: (m) => <code className="gp-code">{m.coordinate}</code> },
    {
      header: 'Total',
      render: (m) => (m.period ? `${m.label}, ${labelOf(m.period)}` : m.label),
    },
    { header: 'In the sheet', render: (m) => money(m.found, currency), className: 'gp-table__num' },
    {
      header: 'Lines add up to',
      render: (m) => money(m.expected, currency),
      className: 'gp-table__num',
    },
    { header: 'Difference', render: (m) => money(m.difference, currency), className: 'gp-table__num' },
    {
      header: 'Verdict',
      render: (m) =>
        m.withinRounding ? <Badge tone="info">Rounding</Badge> : <Badge tone="danger">Does not add up</Badge>,
    },
  ];
  return (
    <DataTable
      caption="Totals that do not match their lines"
      columns={columns}
      rows={mismatches}
      rowKey={(m) => m.coordinate}
      empty="Every total matches its lines."
    />
  );
}
