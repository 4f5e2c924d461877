import {
  Alert,
  type Column,
  DataTable,
  ErrorTable,
  FieldError,
  Notice,
  Page,
  Pager,
  ProgressDisplay,
  roleName,
  Section,
} from '@goalpost/ui';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { buildErrorReportCsv, downloadText, reportFileName, toCsv } from '../../lib/csv.ts';
import { errorMessage } from '../../lib/errors.ts';
import { formatDate, importStateLabel, plural } from '../../lib/format.ts';
import { type BulkChange, type BulkError, type BulkStatus, type BulkValidation, useTRPC } from '../../trpc.ts';

export const ERRORS_PAGE_SIZE = 100;
export const POLL_MS = 500;
const MAX_BYTES = 20_000_000;

type ExistingChoice = 'skip' | 'update';

export function isFinished(status: BulkStatus['status'] | undefined): boolean {
  return status === 'done' || status === 'failed';
}

/** "2,000 rows: 1,950 new, 40 already registered, 10 with problems". */
export function summaryText(r: Pick<BulkValidation, 'totalRows' | 'validRows' | 'existingRows' | 'problemRows'>) {
  return `${plural(r.totalRows, 'row')}: ${r.validRows.toLocaleString('en-US')} new, ${r.existingRows.toLocaleString('en-US')} already registered, ${r.problemRows.toLocaleString('en-US')} with problems`;
}

/** The commit button says exactly what it will do: "Register 1,950 new users, skip 10 rows with problems". */
export function commitLabel(
  r: Pick<BulkValidation, 'validRows' | 'changedRows' | 'problemRows'>,
  existing: ExistingChoice | null,
): string {
  const actions: string[] = [];
  if (r.validRows) actions.push(`register ${plural(r.validRows, 'new user')}`);
  if (existing === 'update' && r.changedRows) actions.push(`update ${plural(r.changedRows, 'user')}`);
  let label = actions.join(' and ') || 'register';
  if (r.problemRows) label += `, skip ${plural(r.problemRows, 'row')} with problems`;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export function BulkImportPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const fileId = useId();
  const helpId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [existing, setExisting] = useState<ExistingChoice | null>(null);
  const [existingMissing, setExistingMissing] = useState(false);

  const validate = useMutation(trpc.users.bulkValidate.mutationOptions());
  const commit = useMutation(trpc.users.bulkCommit.mutationOptions());
  const result = validate.data;
  const importId = result?.importId ?? '';
  const status = useQuery({
    ...trpc.users.bulkStatus.queryOptions({ importId }),
    enabled: commit.isSuccess && importId !== '',
    staleTime: 0,
    refetchInterval: (query) => (isFinished(query.state.data?.status) ? false : POLL_MS),
  });
  const state = commit.isSuccess ? status.data : undefined;
  const running = commit.isPending || (state !== undefined && !isFinished(state.status));

  useEffect(() => {
    if (state?.status === 'done') void queryClient.invalidateQueries(trpc.users.list.pathFilter());
  }, [state?.status, queryClient, trpc]);

  // The registration's progress, then its outcome, appear below a long check result: bring them into view.
  const progressSection = useRef<HTMLElement>(null);
  const stage = commit.isSuccess ? (isFinished(state?.status) ? 'finished' : 'started') : 'none';
  useEffect(() => {
    if (stage !== 'none') progressSection.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, [stage]);

  const reset = () => {
    validate.reset();
    commit.reset();
    setFileProblem(null);
    setExisting(null);
    setExistingMissing(false);
  };

  const check = async () => {
    if (!file) {
      setFileProblem('Choose a CSV file first.');
      return;
    }
    reset();
    if (file.size > MAX_BYTES) {
      setFileProblem('The file is larger than 20 MB. Split it into smaller files.');
      return;
    }
    setReading(true);
    try {
      const csv = await file.text();
      validate.mutate({ fileName: file.name || 'import.csv', csv });
    } catch (error) {
      setFileProblem(`The file could not be read: ${errorMessage(error)}`);
    } finally {
      setReading(false);
    }
  };

  const register = () => {
    if (!result) return;
    if (result.existingRows > 0 && !existing) {
      setExistingMissing(true);
      return;
    }
    commit.mutate({
      importId: result.importId,
      skipProblems: result.problemRows > 0,
      ...(existing ? { existing } : {}),
    });
  };

  return (
    <Page
      title="Bulk import"
      description="Register many users at once from a CSV file"
      actions={
        <button type="button" className="gp-button" onClick={() => void navigate('/admin/users')}>
          Back to list
        </button>
      }
    >
      <section className="gp-panel" aria-labelledby={`${fileId}-title`}>
        <h2 id={`${fileId}-title`}>1. Choose a file</h2>
        <div className="gp-form">
          <div className="gp-field">
            <label htmlFor={fileId}>CSV file</label>
            <input
              ref={input}
              id={fileId}
              type="file"
              accept=".csv,text/csv"
              aria-describedby={helpId}
              disabled={running}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                reset();
              }}
            />
          </div>
          <div id={helpId} className="gp-help">
            The first line must be a header row naming the columns. Columns:
            <ul>
              <li>
                <strong>email</strong> (required): the address the invite goes to.
              </li>
              <li>
                <strong>name</strong> (required): the person's full name.
              </li>
              <li>
                <strong>roles</strong> (optional): admin, user, accountant or supervisor, separated by ";". Empty means
                user for a new person, and no change for someone already registered.
              </li>
            </ul>
            <pre>
              {
                'email,name,roles\nada@example.com,Ada Lovelace,accountant;supervisor\ngrace@example.com,Grace Hopper,user'
              }
            </pre>
          </div>
          <div className="gp-button-row">
            <button
              type="button"
              className="gp-button gp-button--primary"
              disabled={!file || reading || validate.isPending || running}
              onClick={() => void check()}
            >
              Check file
            </button>
          </div>
          <Alert>{fileProblem}</Alert>
          <Alert>{validate.isError ? errorMessage(validate.error) : null}</Alert>
          {reading || validate.isPending ? (
            <div role="status" className="gp-muted">
              Checking {file?.name}…
            </div>
          ) : null}
        </div>
      </section>

      {result ? (
        <section className="gp-panel" aria-labelledby={`${fileId}-result`}>
          <h2 id={`${fileId}-result`}>2. Check result: {result.fileName}</h2>
          <p role="status" className="gp-summary-line">
            {summaryText(result)}
          </p>
          {result.status === 'failed' ? (
            <Alert>{result.error ?? 'Nothing in this file can be registered.'}</Alert>
          ) : result.problemRows > 0 ? (
            <Alert tone="warning">
              {plural(result.problemRows, 'row')} {result.problemRows === 1 ? 'has' : 'have'} problems and will not be
              registered. Register the other rows now and skip {result.problemRows === 1 ? 'it' : 'them'} (the report
              stays here to download), or fix the file and check it again.
            </Alert>
          ) : null}
          {result.errorCount > 0 ? (
            <ProblemReport
              importId={result.importId}
              fileName={result.fileName}
              total={result.errorCount}
              inline={result.errors}
            />
          ) : null}
          {result.status !== 'failed' && result.existingRows > 0 ? (
            <ExistingPeople
              result={result}
              choice={existing}
              missing={existingMissing}
              disabled={commit.isPending || commit.isSuccess}
              onChoose={(choice) => {
                setExisting(choice);
                setExistingMissing(false);
              }}
            />
          ) : null}
          {result.status !== 'failed' ? (
            <CommitStep
              result={result}
              existing={existing}
              started={commit.isPending || commit.isSuccess}
              pending={commit.isPending}
              error={commit.isError ? errorMessage(commit.error) : null}
              onCommit={register}
            />
          ) : null}
        </section>
      ) : null}

      {commit.isSuccess && result ? (
        <section className="gp-panel" aria-labelledby={`${fileId}-progress`} ref={progressSection}>
          <h2 id={`${fileId}-progress`}>3. Registration</h2>
          <div className="gp-form">
            <ProgressDisplay
              label="Import progress"
              value={
                state?.status === 'done'
                  ? state.totalRows - state.problemRows
                  : Math.min(state?.processedRows ?? 0, result.totalRows - result.problemRows)
              }
              max={result.totalRows - result.problemRows}
              state={importStateLabel(state?.status ?? 'queued')}
            />
            <Alert>{status.isError ? errorMessage(status.error) : null}</Alert>
            {state?.status === 'done' ? (
              <Finished
                state={state}
                onAnother={() => {
                  reset();
                  setFile(null);
                  if (input.current) input.current.value = '';
                }}
              />
            ) : null}
            {state?.status === 'failed' ? (
              <>
                <Alert>{state.error ?? 'The import failed. Nothing was written; check the file again.'}</Alert>
                {state.errorCount > 0 && result.errorCount === 0 ? (
                  <ProblemReport
                    importId={result.importId}
                    fileName={result.fileName}
                    total={state.errorCount}
                    inline={null}
                  />
                ) : null}
              </>
            ) : null}
          </div>
        </section>
      ) : null}
    </Page>
  );
}

function CommitStep({
  result,
  existing,
  started,
  pending,
  error,
  onCommit,
}: {
  result: BulkValidation;
  existing: ExistingChoice | null;
  started: boolean;
  pending: boolean;
  error: string | null;
  onCommit: () => void;
}) {
  const nothingNew = result.validRows === 0 && (result.changedRows === 0 || existing === 'skip');
  return (
    <div className="gp-form">
      {result.problemRows === 0 && result.existingRows === 0 ? (
        <p>Every row is valid. Registering gives each person an invite to set their password.</p>
      ) : null}
      <Alert>{error}</Alert>
      {started && !error ? null : nothingNew && existing !== null ? (
        <p>
          Nothing to do: nobody in this file is new, and you chose to leave the people already registered as they are.
        </p>
      ) : result.validRows === 0 && result.changedRows === 0 ? (
        <p>Nothing to do: nobody in this file is new, and the people already registered match it.</p>
      ) : (
        <div className="gp-button-row">
          <button type="button" className="gp-button gp-button--primary" disabled={pending} onClick={onCommit}>
            {commitLabel(result, existing)}
          </button>
        </div>
      )}
    </div>
  );
}

const roleList = (roles: readonly string[]) => (roles.length ? roles.map(roleName).join(', ') : 'no roles');

const changeColumns: Column<BulkChange>[] = [
  { header: 'Line', render: (c) => c.line, className: 'gp-num' },
  { header: 'Email', render: (c) => c.email, className: 'gp-table__wrap' },
  { header: 'Name', render: (c) => (c.name ? `${c.name.from} → ${c.name.to}` : 'unchanged') },
  { header: 'Roles', render: (c) => (c.roles ? `${roleList(c.roles.from)} → ${roleList(c.roles.to)}` : 'unchanged') },
];

/** People in the file who already have an account: the admin chooses, explicitly, what happens to them. */
function ExistingPeople({
  result,
  choice,
  missing,
  disabled,
  onChoose,
}: {
  result: BulkValidation;
  choice: ExistingChoice | null;
  missing: boolean;
  disabled: boolean;
  onChoose: (choice: ExistingChoice) => void;
}) {
  const trpc = useTRPC();
  const name = useId();
  const [page, setPage] = useState(1);
  const local = result.changes.length >= result.changedRows ? result.changes : null;
  const paged = useQuery({
    ...trpc.users.bulkExisting.queryOptions({ importId: result.importId, page, pageSize: ERRORS_PAGE_SIZE }),
    enabled: local === null,
    placeholderData: keepPreviousData,
  });
  const rows = local ?? paged.data?.items ?? [];
  const n = result.existingRows;
  return (
    <Section title={`Already registered (${n.toLocaleString('en-US')})`}>
      <div className="gp-form">
        <p>
          {plural(n, 'person', 'people')} in the file already {n === 1 ? 'has' : 'have'} an account
          {result.changedRows
            ? `; the file gives ${plural(result.changedRows, 'of them', 'of them')} a different name or roles.`
            : ', and the file matches their name and roles.'}
        </p>
        <fieldset className="gp-radios" disabled={disabled} aria-describedby={missing ? `${name}-error` : undefined}>
          <legend>What should happen to them?</legend>
          <label className="gp-radio">
            <input
              type="radio"
              name={name}
              value="skip"
              checked={choice === 'skip'}
              onChange={() => onChoose('skip')}
            />
            <span>
              Skip them
              <span className="gp-radio__hint">Their accounts stay as they are.</span>
            </span>
          </label>
          <label className="gp-radio">
            <input
              type="radio"
              name={name}
              value="update"
              checked={choice === 'update'}
              onChange={() => onChoose('update')}
            />
            <span>
              Update their name and roles from the file
              <span className="gp-radio__hint">
                An empty roles cell keeps their roles. Each change is recorded in the person&apos;s history.
              </span>
            </span>
          </label>
          <FieldError
            id={`${name}-error`}
            message={missing ? 'Choose whether to skip the people already registered or to update them.' : undefined}
          />
        </fieldset>
        {result.changedRows > 0 ? (
          <>
            <DataTable
              caption="Changes the file would make to people already registered"
              columns={changeColumns}
              rows={rows}
              rowKey={(c) => c.line}
              loading={paged.isFetching}
              empty="No changes."
            />
            {result.changedRows > ERRORS_PAGE_SIZE ? (
              <Pager
                page={page}
                pageSize={ERRORS_PAGE_SIZE}
                total={result.changedRows}
                onPageChange={setPage}
                describeTotal={(t) => plural(t, 'change')}
              />
            ) : null}
          </>
        ) : null}
      </div>
    </Section>
  );
}

/** The outcome, and without a mail server, the invite links to hand out. */
function Finished({ state, onAnother }: { state: BulkStatus; onAnother: () => void }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const links = useMutation(
    trpc.users.bulkInviteLinks.mutationOptions({
      onSuccess: (list) => {
        downloadText(
          reportFileName(list.fileName, 'invite-links'),
          toCsv(
            ['name', 'email', 'invite link', 'works until'],
            list.items.map((p) => [p.name, p.email, p.url, list.expiresAt.toISOString()]),
          ),
        );
      },
    }),
  );
  const parts = [`Registered ${plural(state.createdRows, 'user')}.`];
  if (state.updatedRows) parts.push(`Updated ${plural(state.updatedRows, 'user')} already registered.`);
  if (state.skippedRows) {
    parts.push(`Left ${plural(state.skippedRows, 'person', 'people')} already registered as they were.`);
  }
  if (state.problemRows) parts.push(`Skipped ${plural(state.problemRows, 'row')} with problems.`);
  return (
    <>
      <Notice>{parts.join(' ')}</Notice>
      {state.createdRows > 0 && state.mail === 'captured' ? (
        <div className="gp-form">
          <Alert tone="warning">
            No mail server is configured, so no invite was sent. Download the invite links and hand each person theirs.
          </Alert>
          <div className="gp-button-row">
            <button
              type="button"
              className="gp-button gp-button--primary"
              disabled={links.isPending}
              onClick={() => links.mutate({ importId: state.importId })}
            >
              Download invite links (CSV)
            </button>
          </div>
          <p className="gp-muted">
            Each download makes a new link for everyone who has not accepted yet: links in an earlier download and in
            the outbox stop working. Keep the file private; anyone with a link can set that person&apos;s password.
          </p>
          <Alert>{links.isError ? errorMessage(links.error) : null}</Alert>
          {links.data ? (
            <Notice>
              Downloaded {plural(links.data.items.length, 'invite link')}, working until{' '}
              {formatDate(links.data.expiresAt)}.
            </Notice>
          ) : null}
        </div>
      ) : state.createdRows > 0 ? (
        <p className="gp-muted">Each new user is being sent an invite by mail to set their password.</p>
      ) : null}
      <div className="gp-button-row">
        <button type="button" className="gp-button" onClick={() => void navigate('/admin/users')}>
          Back to list
        </button>
        <button type="button" className="gp-button" onClick={onAnother}>
          Import another file
        </button>
      </div>
    </>
  );
}

/**
 * Every problem in the file, a page at a time, each saying whose row it is. Small reports come with
 * the check itself; larger ones are paged from users.bulkErrors.
 */
export function ProblemReport({
  importId,
  fileName,
  total,
  inline,
}: {
  importId: string;
  fileName: string;
  total: number;
  inline: readonly BulkError[] | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);
  const local = inline && inline.length >= total && total <= ERRORS_PAGE_SIZE ? inline : null;
  const paged = useQuery({
    ...trpc.users.bulkErrors.queryOptions({ importId, page, pageSize: ERRORS_PAGE_SIZE }),
    enabled: local === null,
    placeholderData: keepPreviousData,
  });
  const rows = local ?? paged.data?.items ?? [];

  const allErrors = async (): Promise<readonly BulkError[]> => {
    if (inline && inline.length >= total) return inline;
    const all: BulkError[] = [];
    for (let p = 1; ; p++) {
      const chunk = await queryClient.fetchQuery(
        trpc.users.bulkErrors.queryOptions({ importId, page: p, pageSize: 500 }),
      );
      all.push(...chunk.items);
      if (chunk.items.length === 0 || all.length >= chunk.total) return all;
    }
  };

  const download = async () => {
    setDownloadError(null);
    setDownloading(true);
    try {
      downloadText(reportFileName(fileName), buildErrorReportCsv(await allErrors()));
    } catch (error) {
      setDownloadError(errorMessage(error));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Section
      title={`Problems (${total.toLocaleString('en-US')})`}
      actions={
        <button
          type="button"
          className="gp-button gp-button--small"
          disabled={downloading}
          onClick={() => void download()}
        >
          Download report (CSV)
        </button>
      }
    >
      <div className="gp-form">
        <Alert>{downloadError}</Alert>
        <Alert>{paged.isError ? errorMessage(paged.error) : null}</Alert>
        <ErrorTable errors={rows} />
        {total > ERRORS_PAGE_SIZE ? (
          <Pager
            page={page}
            pageSize={ERRORS_PAGE_SIZE}
            total={total}
            onPageChange={setPage}
            describeTotal={(n) => plural(n, 'problem')}
          />
        ) : null}
      </div>
    </Section>
  );
}
