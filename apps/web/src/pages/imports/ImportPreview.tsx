import { periodsBetween } from '@goalpost/api/periods';
import { Badge, type Column, DataTable } from '@goalpost/ui';
import { plural } from '../../lib/format.ts';
import { money } from '../../lib/money.ts';
import { labelOf } from '../../lib/periods.ts';
import type { ImportDiff, ImportParse } from '../../trpc.ts';

type PreviewLine = NonNullable<ImportParse['preview']>[number];
type DiffItem = ImportDiff['items'][number];

/** The lines a new budget will get: one row per line, one column per period, and the line's total. */
export function NewLinesPreview({ parse }: { parse: ImportParse }) {
  const lines = parse.preview ?? [];
  const periods = parse.periods ? periodsBetween(parse.periods.first, parse.periods.last, parse.granularity) : [];
  const columns: Column<PreviewLine>[] = [
    { header: 'Row', render: (l) => l.row, className: 'gp-num' },
    { header: 'Category', render: (l) => l.category },
    { header: 'Description', render: (l) => l.description ?? <span className="gp-muted">—</span> },
    ...periods.map(
      (p): Column<PreviewLine> => ({
        header: labelOf(p, parse.granularity),
        render: (l) => money(l.amounts[p] ?? null, parse.currency, ''),
        className: 'gp-table__num',
      }),
    ),
    {
      header: 'Total',
      render: (l) =>
        money(
          Object.values(l.amounts).reduce((s, v) => s + v, 0n),
          parse.currency,
        ),
      className: 'gp-table__num gp-strong',
    },
  ];
  return (
    <div className="gp-form">
      <p className="gp-muted">
        {plural(parse.stats.lines, 'line')} with {plural(parse.stats.cells, 'amount')} will be created
        {lines.length < parse.stats.lines ? `; the first ${lines.length.toLocaleString('en-US')} are shown` : ''}.
      </p>
      <DataTable
        caption="Lines the import will create"
        columns={columns}
        rows={lines}
        rowKey={(l) => l.row}
        className="gp-preview-table"
        wide
        empty="No lines."
      />
    </div>
  );
}

const CHANGE: Record<DiffItem['change'], { label: string; tone: 'success' | 'warning' | 'danger' }> = {
  added: { label: 'Added', tone: 'success' },
  changed: { label: 'Changed', tone: 'warning' },
  removed: { label: 'Removed', tone: 'danger' },
};

/** "Jan 2027: 1,000.00 → 1,200.00", or "Jan 2027: 1,000.00 (new)". */
function cellChange(c: DiffItem['cells'][number], currency: string, granularity: ImportParse['granularity']) {
  const label = labelOf(c.period, granularity);
  if (c.before === null) return `${label}: ${money(c.after, currency)} (new)`;
  if (c.after === null) return `${label}: ${money(c.before, currency)} (removed)`;
  return `${label}: ${money(c.before, currency)} → ${money(c.after, currency)}`;
}

/** What the import changes in an existing budget: counts, then each added, changed or removed line. */
export function DiffPreview({ parse, diff }: { parse: ImportParse; diff: ImportDiff }) {
  const columns: Column<DiffItem>[] = [
    { header: 'Change', render: (d) => <Badge tone={CHANGE[d.change].tone}>{CHANGE[d.change].label}</Badge> },
    { header: 'Row', render: (d) => d.row ?? <span className="gp-muted">—</span>, className: 'gp-num' },
    { header: 'Category', render: (d) => d.category },
    { header: 'Description', render: (d) => d.description ?? <span className="gp-muted">—</span> },
    {
      header: 'Cells',
      className: 'gp-table__wrap',
      render: (d) =>
        d.cells.length ? (
          <ul className="gp-diff-cells">
            {d.cells.slice(0, 12).map((c) => (
              <li
                key={c.period}
                className={
                  c.before === null ? 'gp-diff--added' : c.after === null ? 'gp-diff--removed' : 'gp-diff--changed'
                }
              >
                {cellChange(c, parse.currency, parse.granularity)}
              </li>
            ))}
            {d.cells.length > 12 ? (
              <li className="gp-diff-cell gp-muted">and {plural(d.cells.length - 12, 'more cell')}</li>
            ) : null}
          </ul>
        ) : d.fields.length ? (
          `Spelling of the ${d.fields.join(' and ')}`
        ) : (
          <span className="gp-muted">—</span>
        ),
    },
  ];
  const total = diff.lines.added + diff.lines.changed + diff.lines.removed;
  return (
    <div className="gp-form">
      <dl className="gp-import-figures" aria-label="Changes to the budget">
        <div>
          <dt>Lines added</dt>
          <dd>{diff.lines.added.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Lines changed</dt>
          <dd>{diff.lines.changed.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Lines removed</dt>
          <dd>{diff.lines.removed.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Lines unchanged</dt>
          <dd>{diff.lines.unchanged.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Cells added / changed / removed</dt>
          <dd>
            {diff.cells.added.toLocaleString('en-US')} / {diff.cells.changed.toLocaleString('en-US')} /{' '}
            {diff.cells.removed.toLocaleString('en-US')}
          </dd>
        </div>
      </dl>
      {diff.mode === 'merge' ? (
        <p className="gp-muted">Merging: lines and amounts the file does not mention stay as they are.</p>
      ) : null}
      {diff.unmatched > 0 ? (
        <p role="note">
          {plural(diff.unmatched, 'line')} of the file {diff.unmatched === 1 ? 'has' : 'have'} no line of the same
          category and description in the budget and will be left out.
        </p>
      ) : null}
      {diff.empty ? (
        <p>The budget already holds exactly what the file has: importing it changes nothing.</p>
      ) : (
        <>
          <DataTable
            caption="Changes the import will make"
            columns={columns}
            rows={diff.items}
            rowKey={(d) => `${d.change}:${d.lineKey ?? ''}:${d.row ?? ''}:${d.category}:${d.description ?? ''}`}
            empty="No changes."
          />
          {diff.items.length < total ? (
            <p className="gp-muted">
              The first {diff.items.length.toLocaleString('en-US')} of {plural(total, 'changed line')} are shown.
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}
