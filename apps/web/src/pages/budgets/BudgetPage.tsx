import {
  Alert,
  type CellRef,
  type GridHandle,
  type GridRow,
  Loading,
  Page,
  PlusIcon,
  SelectField,
  withChanges,
} from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { loadError } from '../../lib/errors.ts';
import { money } from '../../lib/money.ts';
import { formatDate, labelOf } from '../../lib/periods.ts';
import { type Batch, emptyBatch } from '../../lib/save-queue.ts';
import { type BudgetDetail, useTRPC } from '../../trpc.ts';
import { CommentsPanel } from '../comments/CommentsPanel.tsx';
import { useCommentMarks, useThreadLink } from '../comments/marks.ts';
import { MessageDialog } from '../notifications/MessageDialog.tsx';
import { RemindersPanel } from '../reminders/RemindersPanel.tsx';
import { SharingActions } from '../sharing/SharingActions.tsx';
import { ApprovalHistoryPanel } from '../workflow/TransitionList.tsx';
import { WorkflowBar } from '../workflow/WorkflowBar.tsx';
import { BudgetSettingsDialog, MoveBudgetDialog } from './BudgetDialogs.tsx';
import { BudgetGrid, budgetRows } from './BudgetGrid.tsx';
import { BudgetHistory, type HistoryScope } from './BudgetHistory.tsx';
import { stateLabel } from './StateBadge.tsx';
import { describeSave, type ServerConflict, saveStateKind, useGridSave } from './useGridSave.ts';

/** A budget in its grid: edit, paste, undo; saved as you go; history, settings and moving. */
export function BudgetPage() {
  const { budgetId = '' } = useParams();
  const trpc = useTRPC();
  const [versionNumber, setVersionNumber] = useState<number | undefined>(undefined);
  const budget = useQuery({
    ...trpc.budgets.get.queryOptions({ budgetId, versionNumber }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (budget.isPending) return <Loading />;
  if (budget.isError) {
    return (
      <Page title="Budget">
        <Alert>{loadError(budget.error, 'budget')}</Alert>
        <Link to="/goals">Back to goals</Link>
      </Page>
    );
  }
  return (
    <BudgetView
      key={`${budget.data.id}:${budget.data.versionNumber}`}
      budget={budget.data}
      onVersion={setVersionNumber}
    />
  );
}

function BudgetView({ budget, onVersion }: { budget: BudgetDetail; onVersion: (n: number | undefined) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const grid = useRef<GridHandle>(null);
  const [conflicts, setConflicts] = useState<ServerConflict[]>([]);
  // The page's rows: the server's, with every edit applied at once (see BudgetGrid).
  const [rows, setRows] = useState<GridRow[]>(() => budgetRows(budget));
  const [shown, setShown] = useState(budget);
  const [history, setHistory] = useState<HistoryScope | null>(null);
  const [selected, setSelected] = useState<CellRef | null>(null);
  const [dialog, setDialog] = useState<'settings' | 'move' | 'message' | null>(null);
  // One side panel at a time: the history (above), the comments, the approval history or reminders.
  const link = useThreadLink();
  const [panel, setPanel] = useState<Panel | null>(link ? 'comments' : null);
  const [commentOn, setCommentOn] = useState<CellRef | null>(null);
  const subject = { type: 'budget' as const, id: budget.id };
  const marks = useCommentMarks(subject, budget.versionNumber);
  const save = useMutation(trpc.budgets.save.mutationOptions());
  const { queue, state, refused, onRefusedCellsChange } = useGridSave<'amount'>(
    (batch: Batch<'amount'>) =>
      save.mutateAsync({
        budgetId: budget.id,
        versionNumber: budget.versionNumber,
        cells: batch.cells.map(({ lineKey, period, from, to }) => ({ lineKey, period, from, to })),
        lines: {
          added: batch.added,
          removed: batch.removed,
          changed: batch.lineFields,
          ...(batch.order ? { order: batch.order } : {}),
        },
      }),
    (found) => setConflicts((current) => [...current.filter((c) => !found.some((f) => same(c, f))), ...found]),
  );
  const newForecast = useMutation(
    trpc.forecasts.create.mutationOptions({
      onSuccess: async (f) => {
        await queryClient.invalidateQueries(trpc.goals.pathFilter());
        void navigate(`/forecasts/${f.id}`);
      },
    }),
  );
  // A link to a comment thread selects its cell, once the grid has drawn.
  useEffect(() => {
    const cell = link?.cell;
    if (cell) requestAnimationFrame(() => grid.current?.selectCell(cell));
  }, [link]);
  // A reload from the server (after a restore, say) comes in only once nothing waits to be saved,
  // so it cannot overwrite an edit the server has not seen yet.
  useEffect(() => {
    if (budget !== shown && state.kind === 'saved') {
      setShown(budget);
      setRows(budgetRows(budget));
    }
  }, [budget, shown, state.kind]);
  const current = budget.versionNumber === budget.currentVersionNumber;
  const editable = budget.permissions.edit;
  const total = rows.reduce(
    (sum, r) => sum + budget.periods.reduce<bigint>((s, p) => s + ((r.values[p] as bigint | null) ?? 0n), 0n),
    0n,
  );

  const resolve = (conflict: ServerConflict, keep: 'mine' | 'theirs') => {
    setConflicts((cs) => cs.filter((c) => !same(c, conflict)));
    const column = conflict.period ?? conflict.field;
    if (keep === 'theirs') {
      setRows((rs) => withChanges(rs, [{ rowKey: conflict.lineKey, column, to: conflict.current }]));
      return;
    }
    const batch = emptyBatch<'amount'>();
    if (conflict.period) {
      batch.cells.push({
        lineKey: conflict.lineKey,
        period: conflict.period,
        field: 'amount',
        from: conflict.current as bigint | null,
        to: conflict.mine as bigint | null,
      });
    } else {
      batch.lineFields.push({
        key: conflict.lineKey,
        field: conflict.field as 'category' | 'description' | 'notes',
        from: conflict.current as string | null,
        to: conflict.mine as string | null,
      });
    }
    queue.push(batch);
  };
  const openHistory = (cell: CellRef | null) => {
    setPanel(null);
    setHistory(
      cell
        ? /^\d{4}-/.test(cell.column)
          ? { lineKey: cell.rowKey, period: cell.column }
          : { lineKey: cell.rowKey }
        : {},
    );
  };
  const openPanel = (which: Panel | null) => {
    setHistory(null);
    setPanel(which);
  };
  const commentOnCell = (cell: CellRef | null) => {
    setCommentOn(cell);
    openPanel('comments');
  };
  const canComment = budget.permissions.comment && current;

  return (
    <Page
      title={budget.name}
      description={
        <>
          <Link to={`/goals/${budget.goal.id}`}>{budget.goal.name}</Link> · {budget.currency}
          {budget.fxRate ? ` at ${budget.fxRate} ${budget.goal.currency} (${formatDate(budget.fxRateDate)})` : ''} ·{' '}
          {labelOf(budget.periodStart, budget.granularity)} – {labelOf(budget.periodEnd, budget.granularity)} · Total{' '}
          {money(total, budget.currency)}
        </>
      }
      actions={
        <>
          {budget.versions.length > 1 ? (
            <SelectField
              label="Revision"
              value={String(budget.versionNumber)}
              options={budget.versions.map((v) => ({
                value: String(v.number),
                label: `Revision ${v.number} (${[
                  v.number === budget.currentVersionNumber ? 'current' : null,
                  v.lockedAt ? 'locked' : null,
                  stateLabel(v.state).toLowerCase(),
                ]
                  .filter(Boolean)
                  .join(', ')})`,
              }))}
              onChange={(v) => onVersion(Number(v) === budget.currentVersionNumber ? undefined : Number(v))}
            />
          ) : null}
          <button
            type="button"
            className="gp-button"
            onClick={() => (history ? setHistory(null) : openHistory(selected))}
          >
            {history ? 'Hide history' : 'History'}
          </button>
          {budget.permissions.comment ? (
            <button type="button" className="gp-button" onClick={() => setDialog('message')}>
              Message collaborators
            </button>
          ) : null}
          <SharingActions subject={subject} canShare={budget.permissions.share} />
          {/* Settings and moves are read-only with the grid (while it waits for approval or is locked). */}
          {budget.permissions.manage && editable ? (
            <>
              <button type="button" className="gp-button" onClick={() => setDialog('settings')}>
                Settings
              </button>
              <button type="button" className="gp-button" onClick={() => setDialog('move')}>
                Move…
              </button>
            </>
          ) : null}
          {budget.permissions.edit ? (
            <Link className="gp-button" to={`/imports/new?budget=${budget.id}`}>
              Import…
            </Link>
          ) : null}
          {budget.permissions.edit ? (
            <button
              type="button"
              className="gp-button"
              disabled={newForecast.isPending}
              onClick={() => newForecast.mutate({ budgetId: budget.id, name: `${budget.name} forecast` })}
            >
              New forecast
            </button>
          ) : null}
        </>
      }
      asideDocked
      aside={
        history ? (
          <BudgetHistory
            budget={budget}
            scope={history}
            onClose={() => setHistory(null)}
            onRestored={() => undefined}
          />
        ) : panel === 'comments' ? (
          <CommentsPanel
            subject={subject}
            versionNumber={budget.versionNumber}
            granularity={budget.granularity}
            canComment={canComment}
            target={commentOn}
            focusThreadId={link?.threadId}
            lineName={(key) => rows.find((r) => r.key === key)?.values.category?.toString() ?? null}
            onSelectCell={(cell) => grid.current?.selectCell(cell)}
            onTargetDone={() => setCommentOn(null)}
            onClose={() => openPanel(null)}
          />
        ) : panel === 'approvals' ? (
          <ApprovalHistoryPanel
            budgetId={budget.id}
            name={budget.name}
            currentVersion={budget.currentVersionNumber}
            onClose={() => openPanel(null)}
          />
        ) : panel === 'reminders' ? (
          <RemindersPanel
            subject={{ budgetId: budget.id }}
            name={budget.name}
            canRemindCollaborators={budget.permissions.comment}
            onClose={() => openPanel(null)}
          />
        ) : null
      }
    >
      <WorkflowBar budget={budget} onReopened={() => onVersion(undefined)} onShowCurrent={() => onVersion(undefined)} />
      <div className="gp-grid-toolbar">
        {editable ? (
          <button
            type="button"
            className="gp-button gp-button--small"
            onClick={() => grid.current?.insertRows(rows.length, 1)}
          >
            <PlusIcon /> Add line
          </button>
        ) : null}
        <button
          type="button"
          className="gp-button gp-button--small"
          aria-pressed={panel === 'comments'}
          onClick={() => openPanel(panel === 'comments' ? null : 'comments')}
        >
          Comments{marks.open ? ` (${marks.open} open)` : ''}
        </button>
        {canComment ? (
          <button
            type="button"
            className="gp-button gp-button--small"
            disabled={!selected}
            onClick={() => commentOnCell(selected)}
          >
            Comment on cell
          </button>
        ) : null}
        <button
          type="button"
          className="gp-button gp-button--small"
          aria-pressed={panel === 'approvals'}
          onClick={() => openPanel(panel === 'approvals' ? null : 'approvals')}
        >
          Approval history
        </button>
        <button
          type="button"
          className="gp-button gp-button--small"
          aria-pressed={panel === 'reminders'}
          onClick={() => openPanel(panel === 'reminders' ? null : 'reminders')}
        >
          Reminders
        </button>
        <span
          className={`gp-save-state${editable ? ` gp-save-state--${saveStateKind(state, refused)}` : ''}`}
          role="status"
          aria-live="polite"
        >
          {editable
            ? describeSave(state, refused)
            : current
              ? 'Read only'
              : `Revision ${budget.versionNumber} (read only)`}
        </span>
        {state.kind === 'stopped' ? (
          <>
            <button type="button" className="gp-button gp-button--small" onClick={() => queue.retry()}>
              Try again
            </button>
            <button type="button" className="gp-button gp-button--small" onClick={() => queue.discard()}>
              Discard these changes
            </button>
          </>
        ) : null}
        {conflicts.length ? (
          <span className="gp-conflict-note" role="alert">
            {conflicts.length} cell{conflicts.length === 1 ? '' : 's'} changed by someone else: right-click a marked
            cell to keep yours or take theirs.
          </span>
        ) : null}
      </div>
      {editable && rows.length === 0 ? (
        <p className="gp-muted gp-grid-empty">
          No lines yet. Choose Add line and type, or paste lines copied from Excel or Google Sheets into its first cell:
          a paste adds the lines it needs.
        </p>
      ) : null}
      <div className="gp-grid-frame">
        <BudgetGrid
          gridRef={grid}
          onRefusedCellsChange={onRefusedCellsChange}
          budget={budget}
          rows={rows}
          setRows={setRows}
          readOnly={!editable}
          push={(batch) => queue.push(batch)}
          conflicts={conflicts}
          onResolveConflict={resolve}
          onSelectionChange={(cell) => {
            setSelected(cell);
            if (history && cell) openHistory(cell);
          }}
          markedCells={marks.marked}
          cellActions={[
            ...(canComment ? [{ id: 'comment', label: 'Comment…' }] : []),
            { id: 'history', label: 'History…' },
          ]}
          onCellContextAction={(action, cell) => {
            if (action === 'history') openHistory(cell);
            if (action === 'comment') commentOnCell(cell);
          }}
        />
      </div>
      {dialog === 'settings' ? <BudgetSettingsDialog budget={budget} onClose={() => setDialog(null)} /> : null}
      {dialog === 'message' ? (
        <MessageDialog budgetId={budget.id} budgetName={budget.name} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === 'move' ? (
        <MoveBudgetDialog budget={budget} onClose={() => setDialog(null)} onMoved={() => setDialog(null)} />
      ) : null}
    </Page>
  );
}

type Panel = 'comments' | 'approvals' | 'reminders';

function same(a: ServerConflict, b: ServerConflict): boolean {
  return a.lineKey === b.lineKey && a.period === b.period && a.field === b.field;
}
