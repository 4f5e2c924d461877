import { Alert, ErrorTable, Notice, Page, Pager, ProgressDisplay, Section } from '@goalpost/ui';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { buildErrorReportCsv, downloadText, reportFileName } from '../../lib/csv.ts';
import { errorMessage } from '../../lib/errors.ts';
import { importStateLabel, plural } from '../../lib/format.ts';
import { type BulkError, type BulkStatus, useTRPC } from '../../trpc.ts';

export const ERRORS_PAGE_SIZE = 100;
export const POLL_MS = 500;
const MAX_BYTES = 20_000_000;

export function isFinished(status: BulkStatus['status'] | undefined): boolean {
  return status === 'done' || status === 'failed';
}

/** "12 rows, 10 valid, 2 problems". */
export function summaryText(totalRows: number, validRows: number, errorCount: number): string {
  return `${plural(totalRows, 'row')}, ${validRows.toLocaleString('en-US')} valid, ${plural(errorCount, 'problem')}`;
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

  const reset = () => {
    validate.reset();
    commit.reset();
    setFileProblem(null);
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
                user.
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
            {summaryText(result.totalRows, result.validRows, result.errorCount)}
          </p>
          {result.errorCount > 0 ? (
            <>
              <Alert tone="warning">{result.error ?? `${plural(result.errorCount, 'problem')} found.`}</Alert>
              <ProblemReport
                importId={result.importId}
                fileName={result.fileName}
                total={result.errorCount}
                inline={result.errors}
              />
            </>
          ) : (
            <CommitStep
              validRows={result.validRows}
              started={commit.isPending || commit.isSuccess}
              pending={commit.isPending}
              error={commit.isError ? errorMessage(commit.error) : null}
              onCommit={() => commit.mutate({ importId: result.importId })}
            />
          )}
        </section>
      ) : null}

      {commit.isSuccess && result ? (
        <section className="gp-panel" aria-labelledby={`${fileId}-progress`}>
          <h2 id={`${fileId}-progress`}>3. Registration</h2>
          <div className="gp-form">
            <ProgressDisplay
              label="Import progress"
              value={state?.status === 'done' ? (state.totalRows ?? 0) : (state?.processedRows ?? 0)}
              max={state?.totalRows ?? result.validRows}
              state={importStateLabel(state?.status ?? 'queued')}
            />
            <Alert>{status.isError ? errorMessage(status.error) : null}</Alert>
            {state?.status === 'done' ? (
              <>
                <Notice>Registered {plural(state.totalRows, 'user')}.</Notice>
                <p className="gp-muted">Each new user has been sent an invite to set their password.</p>
                <div className="gp-button-row">
                  <button
                    type="button"
                    className="gp-button gp-button--primary"
                    onClick={() => void navigate('/admin/users')}
                  >
                    Back to list
                  </button>
                  <button
                    type="button"
                    className="gp-button"
                    onClick={() => {
                      reset();
                      setFile(null);
                      if (input.current) input.current.value = '';
                    }}
                  >
                    Import another file
                  </button>
                </div>
              </>
            ) : null}
            {state?.status === 'failed' ? (
              <>
                <Alert>{state.error ?? 'The import failed. Nothing was written; check the file again.'}</Alert>
                {state.errorCount > 0 ? (
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
  validRows,
  started,
  pending,
  error,
  onCommit,
}: {
  validRows: number;
  started: boolean;
  pending: boolean;
  error: string | null;
  onCommit: () => void;
}) {
  if (validRows === 0) return <p>The file has no rows to register.</p>;
  return (
    <div className="gp-form">
      <p>Every row is valid. Registering sends each person an invite to set their password.</p>
      <Alert>{error}</Alert>
      {started && !error ? null : (
        <button type="button" className="gp-button gp-button--primary" disabled={pending} onClick={onCommit}>
          Register {plural(validRows, 'user')}
        </button>
      )}
    </div>
  );
}

/**
 * Every problem in the file, a page at a time. Small reports come with the check itself; larger
 * ones (and reports of a failed commit) are paged from users.bulkErrors.
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
