import { Alert, FileDrop, Loading, Page, Section, SelectField, TextField } from '@goalpost/ui';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage, formProblem } from '../../lib/errors.ts';
import { CURRENCY_OPTIONS, userLocale } from '../../lib/money.ts';
import { type ImportOptions, type ImportTarget, useTRPC } from '../../trpc.ts';
import { ACCEPTED_FILES, localeOptions, looksLikeSheetLink, MONTH_OPTIONS } from './options.ts';

/** The largest upload the server takes (IMPORT_MAX_BYTES' default); checked here so nobody waits for a refusal. */
const MAX_BYTES = 20 * 1024 * 1024;

type TargetChoice = 'replace' | 'merge' | `forecast:${string}:${'forecast' | 'actual'}`;
type StartFields = { target: ImportTarget; options: ImportOptions };

/**
 * An upload travels as multipart/form-data: the file, and the rest as JSON text in `input`, as
 * imports/schema.ts `importFormData` builds it. Spelt out here because importing it through
 * `@goalpost/api/imports` pulls the whole parser (exceljs, yauzl…) into the app: +1 MB of script.
 */
export function uploadForm(file: Blob, fileName: string, fields: StartFields): FormData {
  const form = new FormData();
  form.set('input', JSON.stringify(fields));
  form.set('file', file, fileName);
  return form;
}

/**
 * The source step of a budget import: where the lines go (a new budget under a goal, or an existing
 * budget, replaced or merged, or one of its forecasts), the file or Google Sheets link, and how to
 * read it. Starting queues the reading and opens the import's page, which follows it.
 */
export function NewImportPage() {
  const [params] = useSearchParams();
  const goalId = params.get('goal');
  const budgetId = params.get('budget');
  const forecastId = params.get('forecast');
  const trpc = useTRPC();
  const budget = useQuery({
    ...trpc.budgets.get.queryOptions({ budgetId: budgetId ?? '' }),
    enabled: Boolean(budgetId),
  });
  const forecast = useQuery({
    ...trpc.forecasts.get.queryOptions({ forecastId: forecastId ?? '' }),
    enabled: Boolean(forecastId),
  });
  const goalOf = goalId ?? budget.data?.goal.id ?? null;
  const goal = useQuery({ ...trpc.goals.get.queryOptions({ goalId: goalOf ?? '' }), enabled: Boolean(goalOf) });

  const pending = (budgetId && budget.isPending) || (forecastId && forecast.isPending) || (goalOf && goal.isPending);
  if (!goalId && !budgetId && !forecastId) {
    return (
      <Page title="Import a budget">
        <p>
          Start an import from a goal (a new budget under it), a budget (into that budget) or a forecast. Open one from{' '}
          <Link to="/goals">Goals</Link>.
        </p>
      </Page>
    );
  }
  if (pending) return <Loading />;
  const failed = budget.error ?? forecast.error ?? goal.error;
  if (failed) {
    return (
      <Page title="Import a budget">
        <Alert>{errorMessage(failed)}</Alert>
        <Link to="/imports">Back to imports</Link>
      </Page>
    );
  }
  if (forecastId && forecast.data) {
    return (
      <SourceForm
        title={`Import into ${forecast.data.name}`}
        back={{ to: `/forecasts/${forecastId}`, label: forecast.data.name }}
        kind={{ kind: 'forecast', forecastId, name: forecast.data.name }}
      />
    );
  }
  if (budgetId && budget.data) {
    const b = budget.data;
    const forecasts = goal.data?.forecasts.filter((f) => f.budgetId === b.id) ?? [];
    return (
      <SourceForm
        title={`Import into ${b.name}`}
        back={{ to: `/budgets/${b.id}`, label: b.name }}
        kind={{ kind: 'budget', budgetId: b.id, name: b.name, forecasts }}
      />
    );
  }
  const g = goal.data;
  if (!g) return <Loading />;
  return (
    <SourceForm
      title="Import a new budget"
      back={{ to: `/goals/${g.id}`, label: g.name }}
      kind={{ kind: 'new-budget', goalId: g.id, goalName: g.name, currency: g.currency }}
    />
  );
}

type Kind =
  | { kind: 'new-budget'; goalId: string; goalName: string; currency: string }
  | { kind: 'budget'; budgetId: string; name: string; forecasts: readonly { id: string; name: string }[] }
  | { kind: 'forecast'; forecastId: string; name: string };

type Field = 'name' | 'fxRate' | 'periodStart' | 'periods' | 'file' | 'url';

function SourceForm({ title, back, kind }: { title: string; back: { to: string; label: string }; kind: Kind }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const formId = useId();
  const [source, setSource] = useState<'file' | 'google'>('file');
  const [file, setFile] = useState<File | null>(null);
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [locale, setLocale] = useState(userLocale());
  const [fyStart, setFyStart] = useState('1');
  const [sheet, setSheet] = useState('');
  const [target, setTarget] = useState<TargetChoice>('merge');
  const [figures, setFigures] = useState<'forecast' | 'actual'>('actual');
  // A new budget.
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState(kind.kind === 'new-budget' ? kind.currency : '');
  const [fxRate, setFxRate] = useState('');
  const [granularity, setGranularity] = useState<'monthly' | 'quarterly'>('monthly');
  const [fromFile, setFromFile] = useState(true);
  const [startMonth, setStartMonth] = useState(`${new Date().getUTCFullYear() + 1}-01`);
  const [periods, setPeriods] = useState('12');
  const [local, setLocal] = useState<Partial<Record<Field, string>>>({});

  const start = useMutation(trpc.imports.start.mutationOptions());
  const problem = formProblem(start.error, {
    name: ['name', 'target.name'],
    fxRate: ['fxRate', 'target.fxRate'],
    periodStart: ['periodStart', 'target.periodStart'],
    periods: ['periods', 'target.periods'],
    file: ['file'],
    url: ['url', 'source.url'],
  });

  const targetInput = (): ImportTarget => {
    if (kind.kind === 'new-budget') {
      const other = currency !== kind.currency;
      return {
        kind: 'new-budget',
        goalId: kind.goalId,
        name: name.trim(),
        currency,
        ...(other ? { fxRate: fxRate.trim() } : {}),
        granularity,
        ...(fromFile ? {} : { periodStart: `${startMonth}-01`, periods: Number(periods) }),
      };
    }
    if (kind.kind === 'forecast')
      return { kind: 'forecast', forecastId: kind.forecastId, field: figures, mode: 'merge' };
    if (target === 'replace' || target === 'merge') return { kind: 'budget', budgetId: kind.budgetId, mode: target };
    const [, forecastId = '', field] = target.split(':');
    return { kind: 'forecast', forecastId, field: field === 'forecast' ? 'forecast' : 'actual', mode: 'merge' };
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (kind.kind === 'new-budget') {
      if (!name.trim()) found.name = 'Enter a name for the new budget.';
      if (currency !== kind.currency && !/^\d+(\.\d+)?$/.test(fxRate.trim())) {
        found.fxRate = `Enter how many ${kind.currency} one ${currency} is worth, like 1.0845.`;
      }
      if (!fromFile) {
        const n = Number(periods);
        if (!Number.isInteger(n) || n < 1 || n > 60) found.periods = 'Choose between 1 and 60 periods.';
        if (!/^\d{4}-\d{2}$/.test(startMonth)) found.periodStart = 'Choose the first month.';
      }
    }
    if (source === 'file') {
      if (!file) found.file = 'Choose a file, or drop one on the box.';
      else if (file.size > MAX_BYTES)
        found.file = 'The file is larger than 20 MB. Split it, or remove what the budget does not need.';
    } else if (!looksLikeSheetLink(url)) {
      found.url = 'Paste the sheet’s link, such as https://docs.google.com/spreadsheets/d/…/edit.';
    }
    setLocal(found);
    if (Object.keys(found).length) return;
    const options: ImportOptions = {
      locale,
      ...(fyStart !== '1' ? { fiscalYearStartMonth: Number(fyStart) } : {}),
      ...(sheet.trim() ? { sheet: sheet.trim() } : {}),
    };
    const fields = { target: targetInput(), options };
    const onSuccess = (started: { id: string }) => void navigate(`/imports/${started.id}`);
    if (source === 'file' && file) {
      start.mutate(uploadForm(file, file.name, fields), { onSuccess });
    } else {
      start.mutate(
        {
          source: { kind: 'google', url: url.trim(), ...(token.trim() ? { accessToken: token.trim() } : {}) },
          ...fields,
        },
        { onSuccess },
      );
    }
  };

  const error = (f: Field) => local[f] ?? problem?.fieldErrors[f];
  return (
    <Page
      title={title}
      description="Bring the lines and amounts of a spreadsheet you already keep. Nothing is imported until you have reviewed it."
      actions={
        <Link className="gp-button" to={back.to}>
          Back to {back.label}
        </Link>
      }
    >
      <div className="gp-breadcrumbs">
        <Link to="/imports">Imports</Link> / New import
      </div>
      <form id={formId} className="gp-import-form" onSubmit={onSubmit} noValidate aria-label="New import">
        <Section title="1. Where the lines go">
          {kind.kind === 'new-budget' ? (
            <div className="gp-form">
              <p className="gp-muted">A new budget under the goal “{kind.goalName}”.</p>
              <TextField label="Budget name" value={name} onChange={setName} error={error('name')} />
              <div className="gp-form__row">
                <SelectField
                  label="Currency"
                  value={currency}
                  onChange={setCurrency}
                  options={CURRENCY_OPTIONS}
                  className="gp-field--currency"
                />
                {currency !== kind.currency ? (
                  <TextField
                    label={`Rate: ${kind.currency} per ${currency}`}
                    inputMode="decimal"
                    value={fxRate}
                    onChange={setFxRate}
                    error={error('fxRate')}
                    className="gp-form__grow"
                  />
                ) : null}
                <SelectField
                  label="Granularity"
                  value={granularity}
                  options={[
                    { value: 'monthly', label: 'Monthly' },
                    { value: 'quarterly', label: 'Quarterly' },
                  ]}
                  onChange={setGranularity}
                />
              </div>
              <label className="gp-checkbox">
                <input type="checkbox" checked={fromFile} onChange={(e) => setFromFile(e.target.checked)} />
                Take the periods from the file (its first to its last period column)
              </label>
              {fromFile ? null : (
                <div className="gp-form__row">
                  <TextField
                    label="First month"
                    type="month"
                    value={startMonth}
                    onChange={setStartMonth}
                    error={error('periodStart')}
                  />
                  <TextField
                    label={granularity === 'monthly' ? 'Number of months' : 'Number of quarters'}
                    inputMode="numeric"
                    value={periods}
                    onChange={setPeriods}
                    error={error('periods')}
                  />
                </div>
              )}
            </div>
          ) : kind.kind === 'forecast' ? (
            <fieldset className="gp-radios">
              <legend>Which figures of “{kind.name}” the file holds</legend>
              {(['actual', 'forecast'] as const).map((f) => (
                <label key={f} className="gp-radio">
                  <input
                    type="radio"
                    name={`${formId}-figures`}
                    checked={figures === f}
                    onChange={() => setFigures(f)}
                  />
                  <span>
                    {f === 'actual' ? 'Actuals' : 'Forecast figures'}
                    <span className="gp-radio__hint">
                      Lines are matched to the budget’s by category and description; a line the budget does not have is
                      reported, not added.
                    </span>
                  </span>
                </label>
              ))}
            </fieldset>
          ) : (
            <fieldset className="gp-radios">
              <legend>What the file does to “{kind.name}”</legend>
              <label className="gp-radio">
                <input
                  type="radio"
                  name={`${formId}-target`}
                  checked={target === 'merge'}
                  onChange={() => setTarget('merge')}
                />
                <span>
                  Merge into the budget
                  <span className="gp-radio__hint">
                    Adds the file’s lines and overwrites the amounts it gives; lines and amounts it does not mention
                    stay.
                  </span>
                </span>
              </label>
              <label className="gp-radio">
                <input
                  type="radio"
                  name={`${formId}-target`}
                  checked={target === 'replace'}
                  onChange={() => setTarget('replace')}
                />
                <span>
                  Replace the budget with the file
                  <span className="gp-radio__hint">
                    The budget becomes the file: lines the file does not have are removed. The review shows every change
                    first.
                  </span>
                </span>
              </label>
              {kind.forecasts.flatMap((f) =>
                (['actual', 'forecast'] as const).map((field) => {
                  const value: TargetChoice = `forecast:${f.id}:${field}`;
                  return (
                    <label key={value} className="gp-radio">
                      <input
                        type="radio"
                        name={`${formId}-target`}
                        checked={target === value}
                        onChange={() => setTarget(value)}
                      />
                      <span>
                        {`${field === 'actual' ? 'Actuals' : 'Forecast figures'} of “${f.name}”`}
                        <span className="gp-radio__hint">
                          Matched to the budget’s lines by category and description.
                        </span>
                      </span>
                    </label>
                  );
                }),
              )}
            </fieldset>
          )}
        </Section>

        <Section title="2. The spreadsheet">
          <div className="gp-form">
            <div className="gp-segmented" role="radiogroup" aria-label="Source">
              {(
                [
                  ['file', 'Upload a file'],
                  ['google', 'Google Sheets'],
                ] as const
              ).map(([value, label]) => (
                <label
                  key={value}
                  className={`gp-segmented__option${source === value ? ' gp-segmented__option--on' : ''}`}
                >
                  <input
                    type="radio"
                    name={`${formId}-source`}
                    value={value}
                    checked={source === value}
                    onChange={() => setSource(value)}
                  />
                  {label}
                </label>
              ))}
            </div>
            {source === 'file' ? (
              <>
                <FileDrop
                  label="Budget file"
                  accept={ACCEPTED_FILES}
                  file={file}
                  onFile={(f) => {
                    setFile(f);
                    setLocal((l) => ({ ...l, file: undefined }));
                    if (f && kind.kind === 'new-budget' && !name.trim()) setName(f.name.replace(/\.[^.]*$/, ''));
                  }}
                  hint="An Excel workbook (.xlsx), a CSV file (comma, semicolon or tab separated) or a JSON document, up to 20 MB. One line per row: a category, a description if you keep one, then one column per month or quarter."
                />
                <Alert>{error('file')}</Alert>
              </>
            ) : (
              <>
                <TextField
                  label="Google Sheets link"
                  type="url"
                  value={url}
                  onChange={setUrl}
                  placeholder="https://docs.google.com/spreadsheets/d/…/edit"
                  error={error('url')}
                  hint="A sheet shared as “Anyone with the link” is read as it is. The link of the tab you want (its #gid=…) chooses that tab."
                />
                <TextField
                  label="Access token (private sheets only)"
                  type="password"
                  autoComplete="off"
                  value={token}
                  onChange={setToken}
                  hint="For a sheet only you can open: a Google OAuth access token with read access to Sheets (for example from Google’s OAuth Playground, scope spreadsheets.readonly). It is used once to read the sheet and never stored. Leave empty for a shared sheet."
                />
              </>
            )}
          </div>
        </Section>

        <Section title="3. How to read it">
          <div className="gp-form">
            <div className="gp-form__row">
              <SelectField
                label="Amounts written as"
                value={locale}
                options={localeOptions(locale)}
                onChange={setLocale}
              />
              <SelectField
                label="Fiscal year starts in"
                value={fyStart}
                options={MONTH_OPTIONS}
                onChange={setFyStart}
              />
            </div>
            <TextField
              label="Sheet (workbooks)"
              value={sheet}
              onChange={setSheet}
              hint="Leave empty to read the first visible sheet with content; you can choose another sheet in the review."
            />
          </div>
        </Section>

        <Alert>{problem?.formError}</Alert>
        <div className="gp-button-row">
          <button type="submit" className="gp-button gp-button--primary" disabled={start.isPending}>
            {start.isPending ? 'Uploading…' : 'Read the file'}
          </button>
          <Link className="gp-button" to={back.to}>
            Cancel
          </Link>
        </div>
      </form>
    </Page>
  );
}
