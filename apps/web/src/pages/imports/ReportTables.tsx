import type { RejectedCell, RejectionRule, TotalMismatch } from '@goalpost/api/imports';
import { Badge, type Column, DataTable, Pager } from '@goalpost/ui';
import { useState } from 'react';
import { plural } from '../../lib/format.ts';
import { money } from '../../lib/money.ts';
import { labelOf } from '../../lib/periods.ts';

export const REJECTED_PAGE_SIZE = 50;

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

/**
 * Every rejected cell with its sheet coordinate, a page at a time. `total` may exceed the cells
 * listed (the server keeps a bounded list); the table says so.
 */
export function RejectedCellsTable({ cells, total }: { cells: readonly RejectedCell[]; total: number }) {
  const [page, setPage] = useState(1);
  const shown = cells.slice((page - 1) * REJECTED_PAGE_SIZE, page * REJECTED_PAGE_SIZE);
  return (
    <div className="gp-form">
      <DataTable
        caption="Rejected cells"
        columns={rejectedColumns}
        rows={shown}
        rowKey={(r) => `${r.coordinate}:${r.rule}`}
        empty="No cell was rejected."
      />
      {cells.length > REJECTED_PAGE_SIZE ? (
        <Pager
          page={page}
          pageSize={REJECTED_PAGE_SIZE}
          total={cells.length}
          onPageChange={setPage}
          describeTotal={(n) => plural(n, 'rejected cell')}
        />
      ) : null}
      {total > cells.length ? (
        <p className="gp-muted">
          The first {cells.length.toLocaleString('en-US')} of {plural(total, 'rejected cell')} are listed; the
          downloaded report has the same list.
        </p>
      ) : null}
    </div>
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
