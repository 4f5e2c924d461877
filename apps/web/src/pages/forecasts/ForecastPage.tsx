import {
  Alert,
  type CellChange,
  type CellRef,
  Grid,
  type GridColumn,
  type GridHandle,
  type GridRow,
  Loading,
  Page,
  Section,
  withChanges,
} from '@goalpost/ui';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { loadError } from '../../lib/errors.ts';
import { gridAmounts } from '../../lib/grid-amounts.ts';
import { money, userLocale } from '../../lib/money.ts';
import { labelOf } from '../../lib/periods.ts';
import { type Batch, emptyBatch } from '../../lib/save-queue.ts';
import { type ForecastDetail, useTRPC } from '../../trpc.ts';
import { describeSave, type ServerConflict, saveStateKind, useGridSave } from '../budgets/useGridSave.ts';
import { CommentsPanel } from '../comments/CommentsPanel.tsx';
import { useCommentMarks, useThreadLink } from '../comments/marks.ts';
import { RemindersPanel } from '../reminders/RemindersPanel.tsx';
import { SharingActions } from '../sharing/SharingActions.tsx';
import { ForecastChart } from './ForecastChart.tsx';
import {
  basisPoints,
  difference,
  type Figures,
  formatBasisPoints,
  lineVariance,
  periodTotals,
  sumOf,
} from './variance.ts';

type Tab = 'forecast' | 'actual' | 'variance';
type VarianceView = 'forecast' | 'actual' | 'forecast-pct' | 'actual-pct';

const VIEWS: { value: VarianceView; label: string }[] = [
  { value: 'forecast', label: 'Forecast − budget' },
  { value: 'actual', label: 'Actual − budget' },
  { value: 'forecast-pct', label: 'Forecast vs budget, %' },
  { value: 'actual-pct', label: 'Actual vs budget, %' },
];

/** A forecast: forecast and actual per line and period beside the budget, variance and a chart. */
export function ForecastPage() {
  const { forecastId = '' } = useParams();
  const trpc = useTRPC();
  const forecast = useQuery({
    ...trpc.forecasts.get.queryOptions({ forecastId }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (forecast.isPending) return <Loading />;
  if (forecast.isError) {
    return (
      <Page title="Forecast">
        <Alert>{loadError(forecast.error, 'forecast')}</Alert>
        <Link to="/goals">Back to goals</Link>
      </Page>
    );
  }
  return <ForecastView forecast={forecast.data} />;
}

function rowsFor(forecast: ForecastDetail, field: 'forecast' | 'actual'): GridRow[] {
  return forecast.lines.map((line) => ({
    key: line.key,
    values: {
      category: line.category || null,
      budget: sumOf(line.budget),
      ...Object.fromEntries(forecast.periods.map((p, i) => [p, line[field][i] ?? null])),
    },
  }));
}

function ForecastView({ forecast }: { forecast: ForecastDetail }) {
  const trpc = useTRPC();
  const [tab, setTab] = useState<Tab>('forecast');
  const [view, setView] = useState<VarianceView>('forecast');
  const [conflicts, setConflicts] = useState<ServerConflict[]>([]);
  const grid = useRef<GridHandle>(null);
  const subject = { type: 'forecast' as const, id: forecast.id };
  const marks = useCommentMarks(subject);
  const link = useThreadLink();
  // One side panel at a time: the comments or the reminders.
  const [panel, setPanel] = useState<'comments' | 'reminders' | null>(link !== null ? 'comments' : null);
  const [commentOn, setCommentOn] = useState<CellRef | null>(null);
  const [selected, setSelected] = useState<CellRef | null>(null);
  const canComment = forecast.permissions.comment;
  const commentOnCell = (cell: CellRef | null) => {
    setCommentOn(cell);
    setPanel('comments');
  };
  // A link to a comment thread selects its cell, once the grid has drawn.
  useEffect(() => {
    const cell = link?.cell;
    if (cell) requestAnimationFrame(() => grid.current?.selectCell(cell));
  }, [link]);
  const save = useMutation(trpc.forecasts.save.mutationOptions());
  const { queue, state, refused, onRefusedCellsChange } = useGridSave<'forecast' | 'actual'>(
    async (batch: Batch<'forecast' | 'actual'>) => {
      await save.mutateAsync({ forecastId: forecast.id, cells: batch.cells });
    },
    (found) => setConflicts((current) => [...current, ...found]),
  );
  const locale = userLocale();
  const amounts = useMemo(() => gridAmounts(forecast.currency, locale), [forecast.currency, locale]);
  const editable = forecast.permissions.edit;
  // The page's rows of each editable view, with every edit applied at once (the grid reads each
  // cell's "from" out of them); figures, variance and the chart follow them live.
  const [rows, setRows] = useState(() => ({
    forecast: rowsFor(forecast, 'forecast'),
    actual: rowsFor(forecast, 'actual'),
  }));
  const latest = useRef(rows);
  latest.current = rows;
  const figures: Figures[] = useMemo(
    () =>
      forecast.lines.map((line, i) => ({
        budget: line.budget,
        forecast: forecast.periods.map((p) => (rows.forecast[i]?.values[p] as bigint | null | undefined) ?? null),
        actual: forecast.periods.map((p) => (rows.actual[i]?.values[p] as bigint | null | undefined) ?? null),
      })),
    [forecast, rows],
  );
  const totals = useMemo(() => periodTotals(figures, forecast.periods.length), [figures, forecast.periods.length]);

  const columns = useMemo(
    (): GridColumn[] => [
      { id: 'category', title: 'Category', kind: 'text', readOnly: true, width: 170 },
      { id: 'budget', title: 'Budget', kind: 'amount', readOnly: true, width: 120 },
      ...forecast.periods.map(
        (p): GridColumn => ({ id: p, title: labelOf(p, forecast.granularity), kind: 'amount', width: 112 }),
      ),
    ],
    [forecast.periods, forecast.granularity],
  );
  const varianceRows = useMemo((): GridRow[] => {
    const field = view.startsWith('forecast') ? 'forecast' : 'actual';
    const pct = view.endsWith('pct');
    const value = (x: bigint | null, b: bigint | null) => (pct ? basisPoints(x, b) : difference(x, b));
    return forecast.lines.map((line, i) => {
      const f = figures[i] as Figures;
      return {
        key: line.key,
        values: {
          category: line.category || null,
          budget: lineVariance(f[field], line.budget, pct),
          ...Object.fromEntries(
            forecast.periods.map((p, j) => [p, value(f[field][j] ?? null, line.budget[j] ?? null)]),
          ),
        },
      };
    });
  }, [forecast, figures, view]);

  const setField = (field: 'forecast' | 'actual', next: GridRow[]) => {
    latest.current = { ...latest.current, [field]: next };
    setRows(latest.current);
  };
  const onChange = (field: 'forecast' | 'actual') => (changes: CellChange[]) => {
    setField(field, withChanges(latest.current[field], changes));
    const batch = emptyBatch<'forecast' | 'actual'>();
    for (const c of changes) {
      if (!forecast.periods.includes(c.column)) continue;
      batch.cells.push({
        lineKey: c.rowKey,
        period: c.column,
        field,
        from: c.from as bigint | null,
        to: c.to as bigint | null,
      });
    }
    queue.push(batch);
  };
  const conflictsFor = (field: 'forecast' | 'actual') =>
    new Map(
      conflicts
        .filter((c) => c.field === field)
        .map((c) => [`${c.lineKey}:${c.period}`, { theirs: c.current, mine: c.mine }]),
    );
  const resolve = (field: 'forecast' | 'actual') => (cell: string, keep: 'mine' | 'theirs') => {
    const conflict = conflicts.find((c) => c.field === field && `${c.lineKey}:${c.period}` === cell);
    if (!conflict) return;
    setConflicts((cs) => cs.filter((c) => c !== conflict));
    if (keep === 'theirs') {
      setField(
        field,
        withChanges(latest.current[field], [
          { rowKey: conflict.lineKey, column: cell.split(':')[1] ?? '', to: conflict.current },
        ]),
      );
      return;
    }
    queue.push({
      ...emptyBatch(),
      cells: [
        {
          lineKey: conflict.lineKey,
          period: conflict.period as string,
          field,
          from: conflict.current as bigint | null,
          to: conflict.mine as bigint | null,
        },
      ],
    });
  };
  const pct = view.endsWith('pct');
  const budgetTotal = sumOf(totals.budget);
  const sums = { budget: budgetTotal, forecast: sumOf(totals.forecast), actual: sumOf(totals.actual) };

  return (
    <Page
      title={forecast.name}
      description={
        <>
          Forecast of <Link to={`/budgets/${forecast.budget.id}`}>{forecast.budget.name}</Link> under{' '}
          <Link to={`/goals/${forecast.budget.goalId}`}>{forecast.budget.goalName}</Link> · {forecast.currency} · Budget{' '}
          {money(sums.budget, forecast.currency)} · Forecast {money(sums.forecast, forecast.currency)} · Actual{' '}
          {money(sums.actual, forecast.currency)}
        </>
      }
      actions={
        <>
          <SharingActions subject={subject} canShare={forecast.permissions.share} />
          {editable ? (
            <Link className="gp-button" to={`/imports/new?forecast=${forecast.id}`}>
              Import figures…
            </Link>
          ) : null}
        </>
      }
      asideDocked
      aside={
        panel === 'comments' ? (
          <CommentsPanel
            subject={subject}
            granularity={forecast.granularity}
            canComment={canComment}
            target={commentOn}
            focusThreadId={link?.threadId}
            lineName={(key) => forecast.lines.find((l) => l.key === key)?.category ?? null}
            onSelectCell={(cell) => {
              if (tab === 'variance') setTab('forecast');
              // The grid of the tab just chosen mounts first.
              requestAnimationFrame(() => grid.current?.selectCell(cell));
            }}
            onTargetDone={() => setCommentOn(null)}
            onClose={() => setPanel(null)}
          />
        ) : panel === 'reminders' ? (
          <RemindersPanel
            subject={{ forecastId: forecast.id }}
            name={forecast.name}
            canRemindCollaborators={forecast.permissions.comment}
            onClose={() => setPanel(null)}
          />
        ) : null
      }
    >
      <Section title="Budget, forecast and actual">
        <ForecastChart forecast={forecast} totals={totals} />
      </Section>
      <div className="gp-tabs">
        <div className="gp-tabs__list" role="tablist" aria-label="Forecast views">
          {(
            [
              ['forecast', 'Forecast'],
              ['actual', 'Actuals'],
              ['variance', 'Variance'],
            ] as const
          ).map(([id, label]) => (
            <button
              key={id}
              id={`forecast-tab-${id}`}
              type="button"
              role="tab"
              aria-selected={tab === id}
              aria-controls="forecast-panel"
              className={`gp-tab${tab === id ? ' gp-tab--active' : ''}`}
              onClick={() => setTab(id)}
            >
              {label}
            </button>
          ))}
        </div>
        <div className="gp-tabs__tools">
          <button
            type="button"
            className="gp-button gp-button--small"
            aria-pressed={panel === 'comments'}
            onClick={() => setPanel((p) => (p === 'comments' ? null : 'comments'))}
          >
            Comments{marks.open ? ` (${marks.open} open)` : ''}
          </button>
          {canComment ? (
            <button
              type="button"
              className="gp-button gp-button--small"
              disabled={!selected || tab === 'variance'}
              onClick={() => commentOnCell(selected)}
            >
              Comment on cell
            </button>
          ) : null}
          <button
            type="button"
            className="gp-button gp-button--small"
            aria-pressed={panel === 'reminders'}
            onClick={() => setPanel((p) => (p === 'reminders' ? null : 'reminders'))}
          >
            Reminders
          </button>
          <span
            className={`gp-save-state${editable ? ` gp-save-state--${saveStateKind(state, refused)}` : ''}`}
            role="status"
            aria-live="polite"
          >
            {editable ? describeSave(state, refused) : 'Read only'}
          </span>
        </div>
        {conflicts.length ? (
          <span className="gp-conflict-note" role="alert">
            {conflicts.length} cell{conflicts.length === 1 ? '' : 's'} changed by someone else: right-click a marked
            cell to choose.
          </span>
        ) : null}
      </div>
      {tab === 'variance' ? (
        <div className="gp-toolbar">
          <div className="gp-segmented" role="radiogroup" aria-label="Variance shown">
            {VIEWS.map((v) => (
              <label
                key={v.value}
                className={`gp-segmented__option${view === v.value ? ' gp-segmented__option--on' : ''}`}
              >
                <input
                  type="radio"
                  name="variance"
                  value={v.value}
                  checked={view === v.value}
                  onChange={() => setView(v.value)}
                />
                {v.label}
              </label>
            ))}
          </div>
        </div>
      ) : null}
      <div className="gp-grid-frame" id="forecast-panel" role="tabpanel" aria-labelledby={`forecast-tab-${tab}`}>
        {tab === 'variance' ? (
          <Grid
            key={view}
            aria-label={`${forecast.name}: ${VIEWS.find((v) => v.value === view)?.label}`}
            columns={columns.map((c) =>
              c.id === 'budget' ? { ...c, title: 'Whole period' } : { ...c, readOnly: true },
            )}
            rows={varianceRows}
            locale={locale}
            format={pct ? (bp) => formatBasisPoints(bp, locale) : amounts.format}
            parseAmount={amounts.parseAmount}
            fromRaw={amounts.fromRaw}
            newRowKey={() => crypto.randomUUID()}
            readOnly
            totals={!pct}
          />
        ) : (
          <Grid
            key={tab}
            ref={grid}
            aria-label={`${forecast.name}: ${tab === 'forecast' ? 'forecast' : 'actual'} amounts`}
            columns={columns}
            rows={rows[tab]}
            locale={locale}
            format={amounts.format}
            parseAmount={amounts.parseAmount}
            fromRaw={amounts.fromRaw}
            newRowKey={() => crypto.randomUUID()}
            onChange={onChange(tab)}
            onRefusedCellsChange={onRefusedCellsChange}
            conflicts={conflictsFor(tab)}
            onResolveConflict={resolve(tab)}
            readOnly={!editable}
            fixedRows
            markedCells={marks.marked}
            cellActions={canComment ? [{ id: 'comment', label: 'Comment…' }] : []}
            onCellContextAction={(action, cell) => {
              if (action === 'comment') commentOnCell(cell);
            }}
            onSelectionChange={setSelected}
          />
        )}
      </div>
    </Page>
  );
}
