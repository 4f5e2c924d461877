import { periodsBetween } from '@goalpost/api/periods';
import { Alert, Badge, Loading, Notice, Page, Pager, ProgressDisplay, Section, SelectField } from '@goalpost/ui';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { downloadText } from '../../lib/csv.ts';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { labelOf } from '../../lib/periods.ts';
import { type ImportParse, type ImportView, useTRPC } from '../../trpc.ts';
import { DiffPreview, NewLinesPreview } from './ImportPreview.tsx';
import { MappingEditor } from './MappingEditor.tsx';
import { choicesFrom, overrideFrom } from './mapping.ts';
import { localeOptions, MONTH_OPTIONS } from './options.ts';
import { RejectedCellsTable, TotalsTable } from './ReportTables.tsx';
import { IMPORT_POLL_MS, importState } from './states.ts';

export const REJECTED_PAGE_SIZE = 100;

/**
 * One budget import, as the server has it: the page asks again while the import moves (queued,
 * reading, importing) and stops once it waits for the person or has ended, so the person can leave
 * and come back, and the notification of a finished import links here.
 */
export function ImportPage() {
  const { importId = '' } = useParams();
  const trpc = useTRPC();
  const imp = useQuery({
    ...trpc.imports.get.queryOptions({ importId }),
    staleTime: 0,
    refetchInterval: (q) => (q.state.data && importState(q.state.data.state).moving ? IMPORT_POLL_MS : false),
  });
  if (imp.isPending) return <Loading />;
  if (imp.isError) {
    return (
      <Page title="Import">
        <Alert>{errorMessage(imp.error)}</Alert>
        <Link to="/imports">Back to imports</Link>
      </Page>
    );
  }
  return <ImportDetail imp={imp.data} />;
}

/** "Into “Travel 2027” (merge)", "A new budget “Travel” under “Plan A”". */
export function targetText(target: ImportView['target']): string {
  switch (target.kind) {
    case 'new-budget':
      return `A new budget “${target.name}” under “${target.goalName ?? 'a goal'}”`;
    case 'budget':
      return `Into the budget “${target.budgetName ?? 'a budget'}” (${target.mode === 'replace' ? 'replace' : 'merge'})`;
    default:
      return `The ${target.field === 'actual' ? 'actuals' : 'forecast figures'} of “${target.forecastName ?? 'a forecast'}”`;
  }
}

const STEPS = ['Source', 'Reading', 'Review', 'Import'] as const;

/** The step an import is at; a failed or cancelled one stopped at the step it had reached. */
function stepOf(state: string, read: boolean): number {
  if (state === 'queued' || state === 'parsing') return 1;
  if (state === 'ready') return 2;
  if (state === 'failed') return read ? 3 : 1;
  if (state === 'cancelled') return read ? 2 : 1;
  return 3;
}

function Steps({ state, read }: { state: string; read: boolean }) {
  const current = stepOf(state, read);
  const ended = state === 'done';
  const stopped = state === 'failed' || state === 'cancelled';
  return (
    <ol className="gp-steps" aria-label="Import steps">
      {STEPS.map((s, i) => (
        <li
          key={s}
          className={
            i < current || (ended && i === current)
              ? 'gp-steps__done'
              : stopped && i === current
                ? 'gp-steps__stopped'
                : undefined
          }
          aria-current={i === current && !ended ? 'step' : undefined}
        >
          {stopped && i === current ? `${s} (${state === 'failed' ? 'failed' : 'cancelled'})` : s}
        </li>
      ))}
    </ol>
  );
}

/** Where "start again" goes: the same target's source step. */
function againLink(imp: ImportView): string {
  const t = imp.target;
  if (t.kind === 'new-budget') return `/imports/new?goal=${t.goalId}`;
  if (t.kind === 'budget') return `/imports/new?budget=${t.budgetId}`;
  return `/imports/new?forecast=${t.forecastId}`;
}

function ImportDetail({ imp }: { imp: ImportView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = trpc.imports.get.queryKey({ importId: imp.id });
  const onView = (next: ImportView) => {
    queryClient.setQueryData(key, next);
    void queryClient.invalidateQueries(trpc.imports.list.pathFilter());
  };
  const remap = useMutation(trpc.imports.remap.mutationOptions({ onSuccess: onView }));
  const commit = useMutation(trpc.imports.commit.mutationOptions({ onSuccess: onView }));
  const cancel = useMutation(trpc.imports.cancel.mutationOptions({ onSuccess: onView }));
  const state = importState(imp.state);
  const parse = imp.parse;
  const busy = remap.isPending || commit.isPending || cancel.isPending;

  return (
    <Page
      title={`Import of “${imp.fileName}”`}
      description={
        <>
          {targetText(imp.target)} · started {formatDateTime(imp.createdAt)}{' '}
          <Badge tone={state.tone}>{state.label}</Badge>
        </>
      }
      actions={
        <Link className="gp-button" to="/imports">
          All imports
        </Link>
      }
    >
      <div className="gp-breadcrumbs">
        <Link to="/imports">Imports</Link> / {imp.fileName}
      </div>
      <Steps state={imp.state} read={imp.parse !== null} />
      <Alert>{remap.error ? errorMessage(remap.error) : null}</Alert>
      <Alert>{commit.error ? errorMessage(commit.error) : null}</Alert>
      <Alert>{cancel.error ? errorMessage(cancel.error) : null}</Alert>

      {state.moving ? <Moving imp={imp} /> : null}
      {imp.state === 'ready' && parse ? (
        <Review
          imp={imp}
          parse={parse}
          busy={busy}
          onRemap={(input) => remap.mutate({ importId: imp.id, ...input })}
          onCommit={() => commit.mutate({ importId: imp.id, skipRejected: imp.needsSkipRejected })}
          onCancel={() => cancel.mutate({ importId: imp.id })}
        />
      ) : null}
      {imp.state === 'done' ? <Done imp={imp} /> : null}
      {imp.state === 'failed' ? (
        <Section title="The import failed">
          <div className="gp-form">
            <Alert>{imp.error ?? 'The import failed. Nothing was written.'}</Alert>
            {parse && parse.rejectedTotal + parse.mismatches.length > 0 ? (
              <ReportSections imp={imp} parse={parse} />
            ) : null}
            <div className="gp-button-row">
              <Link className="gp-button gp-button--primary" to={againLink(imp)}>
                Start again
              </Link>
            </div>
          </div>
        </Section>
      ) : null}
      {imp.state === 'cancelled' ? (
        <Section title="Cancelled">
          <div className="gp-form">
            <Notice tone="info">This import was cancelled; nothing was imported.</Notice>
            <div className="gp-button-row">
              <Link className="gp-button" to={againLink(imp)}>
                Start again
              </Link>
            </div>
          </div>
        </Section>
      ) : null}
    </Page>
  );
}

/** Queued, reading or importing: a progress bar of rows read (or written) of all. */
function Moving({ imp }: { imp: ImportView }) {
  const state = importState(imp.state);
  const total = imp.progress.total;
  const what = imp.state === 'importing' ? 'Importing the lines' : 'Reading the file';
  return (
    <Section title={imp.state === 'importing' ? 'Importing' : 'Reading the file'}>
      <div className="gp-import-status">
        {imp.state === 'queued' ? (
          <p role="status">Waiting for a worker to pick the file up…</p>
        ) : (
          <ProgressDisplay
            label={`${what}: progress`}
            value={imp.progress.rows}
            max={total ?? Math.max(imp.progress.rows, 1)}
            state={total === null ? `${state.label} · ${plural(imp.progress.rows, 'row')} so far` : state.label}
          />
        )}
        <p className="gp-muted">
          You can leave this page: the import goes on, and you will be notified when it is{' '}
          {imp.state === 'importing' ? 'done' : 'ready for review'}. It is listed under Imports.
        </p>
      </div>
    </Section>
  );
}

/** The dry run: what was read, the mapping to correct, what will change, what was rejected; then import or cancel. */
function Review({
  imp,
  parse,
  busy,
  onRemap,
  onCommit,
  onCancel,
}: {
  imp: ImportView;
  parse: ImportParse;
  busy: boolean;
  onRemap: (input: RemapChange) => void;
  onCommit: () => void;
  onCancel: () => void;
}) {
  // Mapping changes not read yet: importing now would import the file as it was read before them.
  const [pending, setPending] = useState(false);
  const blocking = parse.problems.length > 0 || parse.stats.lines === 0;
  const mismatched = parse.mismatches.filter((m) => !m.withinRounding).length;
  return (
    <>
      <Section title="What was read">
        <div className="gp-form">
          <dl className="gp-import-figures" aria-label="What was read">
            <div>
              <dt>Lines</dt>
              <dd>{parse.stats.lines.toLocaleString('en-US')}</dd>
            </div>
            <div>
              <dt>Amounts</dt>
              <dd>{parse.stats.cells.toLocaleString('en-US')}</dd>
            </div>
            <div>
              <dt>Rejected cells</dt>
              <dd>{parse.rejectedTotal.toLocaleString('en-US')}</dd>
            </div>
            <div>
              <dt>Totals that do not add up</dt>
              <dd>{mismatched.toLocaleString('en-US')}</dd>
            </div>
            <div>
              <dt>Total rows checked</dt>
              <dd>{parse.stats.totalRows.toLocaleString('en-US')}</dd>
            </div>
          </dl>
          {parse.problems.map((p) => (
            <Alert key={p.code}>{p.message}</Alert>
          ))}
          {parse.warnings.map((w) => (
            <Alert key={w} tone="warning">
              {w}
            </Alert>
          ))}
          <ReadingOptions imp={imp} parse={parse} busy={busy} onRemap={onRemap} />
        </div>
      </Section>

      {parse.mapping ? (
        <Section title="Column mapping">
          <MappingEditor
            key={`${imp.updatedAt.toISOString()}:${parse.sheet}`}
            sheet={parse.sheet}
            headerRow={parse.headerRow}
            proposed={parse.proposed}
            initial={choicesFrom(parse.mapping, parse.headers)}
            periodOptions={periodChoices(parse)}
            busy={busy}
            onApply={(choices) => onRemap({ mapping: overrideFrom(choices) })}
            onPending={setPending}
          />
        </Section>
      ) : null}

      {!blocking ? (
        <Section title={parse.diff ? 'Changes to the budget' : 'Preview'}>
          {parse.diff ? <DiffPreview parse={parse} diff={parse.diff} /> : <NewLinesPreview parse={parse} />}
        </Section>
      ) : null}

      <ReportSections imp={imp} parse={parse} />

      <section className="gp-commit-bar" aria-label="Import or cancel">
        <div className="gp-commit-bar__text">
          {pending
            ? 'You changed the mapping: read the file again with it before importing.'
            : blocking
              ? 'Nothing can be imported as the file was read: correct the mapping, or fix the file and start again.'
              : parse.rejectedTotal > 0
                ? `${plural(parse.rejectedTotal, 'rejected cell')} will be left out; everything else is imported in one go, or nothing is.`
                : 'Everything is imported in one go, or nothing is.'}
        </div>
        <button type="button" className="gp-button" disabled={busy} onClick={onCancel}>
          Cancel import
        </button>
        {imp.canCommit ? (
          <button type="button" className="gp-button gp-button--primary" disabled={busy || pending} onClick={onCommit}>
            {commitLabel(parse)}
          </button>
        ) : null}
      </section>
    </>
  );
}

type RemapChange = {
  mapping?: ReturnType<typeof overrideFrom>;
  options?: { sheet?: string; locale?: string; fiscalYearStartMonth?: number };
};

/**
 * How the file was read (the sheet of a workbook, the locale of its amounts, the fiscal year's
 * first month), changeable: reading again with another sheet starts from a new proposed mapping.
 */
function ReadingOptions({
  imp,
  parse,
  busy,
  onRemap,
}: {
  imp: ImportView;
  parse: ImportParse;
  busy: boolean;
  onRemap: (input: RemapChange) => void;
}) {
  const initialLocale = imp.options.locale ?? 'en-US';
  const initialFy = String(imp.options.fiscalYearStartMonth ?? 1);
  const [sheet, setSheet] = useState(parse.sheet);
  const [locale, setLocale] = useState(initialLocale);
  const [fy, setFy] = useState(initialFy);
  const changed = sheet !== parse.sheet || locale !== initialLocale || fy !== initialFy;
  return (
    <div className="gp-form__row gp-import-sheet">
      {parse.sheets.length > 1 ? (
        <SelectField
          label="Sheet"
          value={sheet}
          options={parse.sheets.map((s) => ({ value: s.name, label: s.hidden ? `${s.name} (hidden)` : s.name }))}
          onChange={setSheet}
        />
      ) : null}
      <SelectField label="Amounts written as" value={locale} options={localeOptions(locale)} onChange={setLocale} />
      <SelectField label="Fiscal year starts in" value={fy} options={MONTH_OPTIONS} onChange={setFy} />
      <button
        type="button"
        className="gp-button"
        disabled={busy || !changed}
        onClick={() =>
          onRemap({
            options: {
              ...(sheet !== parse.sheet ? { sheet } : {}),
              ...(locale !== initialLocale ? { locale } : {}),
              ...(fy !== initialFy ? { fiscalYearStartMonth: Number(fy) } : {}),
            },
          })
        }
      >
        Read the file again
      </button>
    </div>
  );
}

/** "Import 118 valid rows". */
export function commitLabel(parse: Pick<ImportParse, 'stats'>): string {
  return `Import ${plural(parse.stats.lines, 'valid row')}`;
}

/** Periods a column can be mapped to: the file's, and a year either side. */
export function periodChoices(parse: Pick<ImportParse, 'periods' | 'granularity'>): { value: string; label: string }[] {
  const year = new Date().getUTCFullYear();
  const shift = (period: string, years: number) => `${Number(period.slice(0, 4)) + years}${period.slice(4)}`;
  const first = parse.periods ? shift(parse.periods.first, -1) : `${year - 1}-01-01`;
  const last = parse.periods ? shift(parse.periods.last, 1) : `${year + 1}-12-01`;
  return periodsBetween(first, last, parse.granularity).map((p) => ({
    value: p,
    label: labelOf(p, parse.granularity),
  }));
}

/** The rejected cells (paged from the server past the first hundred), the totals, and the report's CSV. */
function ReportSections({ imp, parse }: { imp: ImportView; parse: ImportParse }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const inline = parse.rejected.length >= parse.rejectedTotal;
  const paged = useQuery({
    ...trpc.imports.rejected.queryOptions({ importId: imp.id, page, pageSize: REJECTED_PAGE_SIZE }),
    enabled: !inline && page > 1,
    placeholderData: keepPreviousData,
  });
  const rows = page === 1 || inline ? parse.rejected : (paged.data?.items ?? []);
  const download = async () => {
    setDownloadError(null);
    try {
      const report = await queryClient.fetchQuery(trpc.imports.report.queryOptions({ importId: imp.id }));
      downloadText(report.fileName, report.csv.replace(/^\uFEFF/, ''));
    } catch (error) {
      setDownloadError(errorMessage(error));
    }
  };
  const has = parse.rejectedTotal > 0 || parse.mismatches.length > 0;
  return (
    <Section
      title={`Report: ${plural(parse.rejectedTotal, 'rejected cell')}, ${plural(parse.mismatches.length, 'total')} not matching`}
      actions={
        has ? (
          <button type="button" className="gp-button gp-button--small" onClick={() => void download()}>
            Download report (CSV)
          </button>
        ) : undefined
      }
    >
      <div className="gp-form">
        <Alert>{downloadError}</Alert>
        {parse.rejectedTotal > 0 ? (
          <>
            <h3 className="gp-subheading">Rejected cells</h3>
            <RejectedCellsTable cells={rows} loading={paged.isFetching} />
            {parse.rejectedTotal > REJECTED_PAGE_SIZE ? (
              <Pager
                page={page}
                pageSize={REJECTED_PAGE_SIZE}
                total={Math.max(paged.data?.listed ?? 0, parse.rejected.length)}
                onPageChange={setPage}
                describeTotal={(n) => plural(n, 'rejected cell')}
              />
            ) : null}
          </>
        ) : (
          <p className="gp-muted">No cell was rejected.</p>
        )}
        {parse.mismatches.length > 0 ? (
          <>
            <h3 className="gp-subheading">Totals in the sheet</h3>
            <TotalsTable mismatches={parse.mismatches} currency={parse.currency} />
          </>
        ) : null}
      </div>
    </Section>
  );
}

/** The outcome, and the way to the budget (or forecast) in its grid. */
function Done({ imp }: { imp: ImportView }) {
  const r = imp.result;
  const forecast = imp.target.kind === 'forecast';
  const budgetId = r?.budgetId ?? imp.budgetId;
  const forecastId = r?.forecastId ?? imp.forecastId;
  const name =
    imp.target.kind === 'new-budget'
      ? imp.target.name
      : imp.target.kind === 'budget'
        ? (imp.target.budgetName ?? 'the budget')
        : (imp.target.forecastName ?? 'the forecast');
  const to = forecast && forecastId ? `/forecasts/${forecastId}` : budgetId ? `/budgets/${budgetId}` : null;
  return (
    <Section title="Imported">
      <div className="gp-form">
        {r ? (
          <Notice>
            {`Imported into “${name}”: ${plural(r.lines.added, 'line')} added, ${plural(r.lines.changed, 'line')} changed, ${plural(r.lines.removed, 'line')} removed, ${plural(r.cells.written, 'amount')} written.`}
          </Notice>
        ) : (
          <Notice>Imported into “{name}”.</Notice>
        )}
        {imp.finishedAt ? <p className="gp-muted">Finished {formatDateTime(imp.finishedAt)}.</p> : null}
        <div className="gp-button-row">
          {to ? (
            <Link className="gp-button gp-button--primary" to={to}>
              Open {forecast ? 'the forecast' : 'the budget'} in the grid
            </Link>
          ) : null}
          <Link className="gp-button" to="/imports">
            All imports
          </Link>
        </div>
      </div>
    </Section>
  );
}
