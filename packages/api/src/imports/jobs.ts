/**
 * Budget imports, the job side (queues budget-import-parse and budget-import-commit).
 *
 * The parse reads the stored bytes (downloading a Google sheet first, then keeping what it
 * downloaded), streams the lines into import_lines in chunks, and stores the dry run: the report,
 * and for an existing budget or forecast the diff against it. It is pure, so a retried parse starts
 * over (its staged lines are replaced).
 *
 * The commit writes the staged lines in ONE transaction through the budgets service's own path
 * (insertBudget, saveLines, writeCells: every change in budget_log with the import's id), under
 * the budget's lock and an advisory lock on the import. The import becomes `done` in the same
 * transaction, so a worker killed mid-commit leaves nothing behind (the retry starts clean) and a
 * second run finds it done. Re-importing the same file into the same budget matches every line and
 * cell, so nothing is written. Progress goes through a separate connection, visible while the
 * transaction is open.
 */
import { Goal, Import, query, type RoleKey } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import { BUDGET_CELLS, type CellChange, lockBudget, writeCells } from '../budgets/cells.ts';
import { type Granularity, isPeriodStart, lastPeriod, periodsBetween } from '../budgets/periods.ts';
import { currentVersion, gridLines, insertBudget, lineIdsOf, saveLines } from '../budgets/service.ts';
import type { ActorContext, ServiceContext } from '../context.ts';
import { forecastLines, STORES } from '../forecasts/service.ts';
import { emit } from '../outbox/service.ts';
import { assertOpen } from '../policy/versions.ts';
import { type BudgetDiff, type ChangedLine, diffAgainst, type ExistingLine } from './diff.ts';
import { fetchGoogleSheet, googleSheetsConfig } from './google.ts';
import { ImportRefused, importLimits } from './limits.ts';
import { type ImportSource, type ParseOptions, streamImport } from './parse.ts';
import type { ImportOptions, ImportTarget, MappingOverrideInput } from './schema.ts';
import { PREVIEW_ITEMS, type StoredDiff, type StoredDiffItem, type StoredReport, targetFacts } from './service.ts';
import type { ParsedLine } from './sheet.ts';

/** Lines per staged insert and per commit step. */
const CHUNK = 5000;
const ROWS_CONTENT_TYPE = 'application/vnd.goalpost.rows+json';

type Attempt = { last: boolean };
type Em = ServiceContext['em'];

function progressWriter(ctx: ServiceContext, importId: string) {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    set(data: Partial<Pick<Import, 'status' | 'processedRows' | 'totalRows' | 'error'>>) {
      chain = chain
        .then(() =>
          ctx.services.orm.em
            .fork()
            .nativeUpdate(Import, { id: importId }, { ...data, updatedAt: ctx.services.clock.now() }),
        )
        .catch((error) => ctx.services.log.warn({ err: error, importId }, 'import progress not written'));
      return chain;
    },
    flush: () => chain,
  };
}

/** The person who started the import, as the policy sees them (the job acts for them). */
async function actorOf(ctx: ServiceContext, em: Em, userId: string): Promise<ActorContext['actor'] | null> {
  const [row] = await query<{ id: string; email: string; name: string; status: string; roles: RoleKey[] }>(
    em,
    `select u.id, u.email, u.name, u.status,
            array(select r.key::text from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id order by r.key) as roles
     from users u where u.id = $1`,
    [userId],
  );
  if (!row || row.status !== 'active') return null;
  return { id: row.id, orgId: ctx.services.orgId, email: row.email, name: row.name, roles: row.roles, sessionId: '' };
}

/** The budget's facts the file must fit: currency, granularity and, when known, the period range. */
async function budgetFacts(em: Em, target: ImportTarget) {
  if (target.kind === 'new-budget') {
    const goal = await em.findOneOrFail(Goal, { id: target.goalId }, { fields: ['currency'] });
    const range =
      target.periodStart && target.periods
        ? { first: target.periodStart, last: lastPeriod(target.periodStart, target.periods, target.granularity) }
        : undefined;
    return { currency: target.currency ?? goal.currency, granularity: target.granularity, range, budgetId: null };
  }
  const [row] = await query<{
    id: string;
    currency: string;
    granularity: Granularity;
    period_start: string;
    period_end: string;
  }>(
    em,
    target.kind === 'budget'
      ? `select b.id, b.currency, b.granularity, b.period_start::text, b.period_end::text from budgets b where b.id = $1`
      : `select b.id, b.currency, b.granularity, b.period_start::text, b.period_end::text
         from forecasts f join budgets b on b.id = f.budget_id where f.id = $1`,
    [target.kind === 'budget' ? target.budgetId : target.forecastId],
  );
  if (!row) throw new ImportRefused('no-sheet', 'The budget this import was meant for no longer exists.');
  return {
    currency: row.currency,
    granularity: row.granularity,
    range: { first: row.period_start, last: row.period_end },
    budgetId: row.id,
  };
}

/** The import's source: its stored bytes, or (first time) the Google sheet, downloaded and stored. */
async function loadSource(ctx: ServiceContext, imp: Import, options: ImportOptions): Promise<ImportSource> {
  const em = ctx.services.orm.em.fork();
  const [file] = await query<{ bytes: Buffer }>(em, 'select bytes from import_files where import_id = $1', [imp.id]);
  if (file) return sourceOf(file.bytes, imp);
  const source = imp.source as { kind: string; url?: string };
  if (source.kind !== 'google' || !source.url) {
    throw new ImportRefused('empty', 'The uploaded file is no longer stored. Start the import again.');
  }
  const [token] = await query<{ source_token: string | null }>(em, 'select source_token from imports where id = $1', [
    imp.id,
  ]);
  const fetched = await fetchGoogleSheet(source.url, googleSheetsConfig(ctx.services.settings), {
    accessToken: token?.source_token ?? undefined,
    sheet: options.sheet,
    maxBytes: ctx.services.settings.importMaxBytes,
    now: () => ctx.services.clock.now().getTime(),
  });
  let bytes: Buffer;
  let contentType: string | null;
  if (fetched.kind === 'file') {
    bytes = Buffer.from(fetched.bytes);
    contentType = fetched.contentType ?? null;
  } else {
    const rows = [];
    for await (const row of fetched.rows) rows.push(row);
    bytes = Buffer.from(JSON.stringify({ sheet: fetched.sheet, sheets: fetched.sheets, rows }));
    contentType = ROWS_CONTENT_TYPE;
  }
  const { createHash } = await import('node:crypto');
  await em.transactional(async (tx) => {
    await query(
      tx,
      `insert into import_files (import_id, org_id, bytes, size, sha256, created_at) values ($1, $2, $3, $4, $5, $6)
       on conflict (import_id) do nothing`,
      [
        imp.id,
        ctx.services.orgId,
        bytes,
        bytes.length,
        createHash('sha256').update(bytes).digest('hex'),
        ctx.services.clock.now(),
      ],
    );
    // The token has done its work: it is not kept.
    await query(tx, 'update imports set source_token = null, content_type = $2 where id = $1', [imp.id, contentType]);
  });
  imp.contentType = contentType;
  return sourceOf(bytes, imp);
}

function sourceOf(bytes: Buffer, imp: Import): ImportSource {
  if (imp.contentType === ROWS_CONTENT_TYPE) {
    const doc = JSON.parse(bytes.toString('utf8')) as {
      sheet: string;
      sheets: { name: string; hidden: boolean }[];
      rows: { row: number; cells: ({ type: string; date?: string } | null)[] }[];
    };
    // JSON turned dates into text and holes into null: put them back.
    const rows = doc.rows.map((r) => ({
      row: r.row,
      cells: r.cells.map((c) =>
        c === null ? undefined : c.type === 'date' ? { type: 'date' as const, date: new Date(c.date as string) } : c,
      ),
    })) as never;
    return { kind: 'rows', sheet: doc.sheet, sheets: doc.sheets, rows };
  }
  return {
    kind: 'file',
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    name: imp.fileName,
    contentType: imp.contentType ?? undefined,
  };
}

/** A chunk of lines to stage, as the columns of import_lines (amounts as JSON of minor-unit strings). */
function stagedColumns() {
  return {
    positions: [] as number[],
    rows: [] as number[],
    categories: [] as string[],
    descriptions: [] as (string | null)[],
    notes: [] as (string | null)[],
    amounts: [] as string[],
  };
}

const RETRYABLE = new Set(['google-rate-limited', 'google-failed']);

/** budget-import-parse: reads the file and stores the dry run. */
export async function parseImportJob(
  ctx: ServiceContext,
  { importId }: { importId: string },
  attempt: Attempt = { last: true },
): Promise<'ready' | 'failed' | 'skipped'> {
  const em = ctx.services.orm.em.fork();
  const imp = await em.findOne(Import, { id: importId });
  if (!imp || !['queued', 'parsing'].includes(imp.status)) return 'skipped';
  const progress = progressWriter(ctx, importId);
  const claimed = await em.nativeUpdate(
    Import,
    { id: importId, status: { $in: ['queued', 'parsing'] } },
    { status: 'parsing', processedRows: 0, totalRows: 0, error: null, updatedAt: ctx.services.clock.now() },
  );
  if (!claimed) return 'skipped';
  const target = imp.target as ImportTarget;
  const options = (imp.options ?? {}) as ImportOptions & { mapping?: MappingOverrideInput | null };
  // One staging insert in flight while the next chunk is read: parsing and writing overlap.
  let inFlight: Promise<unknown> = Promise.resolve();
  try {
    const facts = await budgetFacts(em, target);
    const source = await loadSource(ctx, imp, options);
    await query(em, 'delete from import_lines where import_id = $1', [importId]);
    const keep = target.kind !== 'new-budget';
    const kept: ParsedLine[] = [];
    // Each line is reduced to the insert's columns as it is read, so the parsed objects die young:
    // a chunk of whole lines (a map of bigints each) outlived its insert into the old generation
    // (measured on 100,000 lines: ~10 MB less heap at the peak, and a little faster).
    let staged = stagedColumns();
    let position = 0;
    let first: string | null = null;
    let last: string | null = null;
    const stage = async () => {
      if (!staged.rows.length) return;
      const chunk = staged;
      staged = stagedColumns();
      await inFlight;
      inFlight = query(
        em,
        `insert into import_lines (import_id, org_id, position, row, category, description, notes, amounts)
         select $1, $2, x.position, x.row, x.category, x.description, x.notes, x.amounts
         from unnest($3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::jsonb[])
           as x(position, row, category, description, notes, amounts)`,
        [
          importId,
          ctx.services.orgId,
          chunk.positions,
          chunk.rows,
          chunk.categories,
          chunk.descriptions,
          chunk.notes,
          chunk.amounts,
        ],
      );
      inFlight.catch(() => {}); // awaited before the next insert and at the end
    };
    const parseOptions: ParseOptions = {
      currency: facts.currency,
      granularity: facts.granularity,
      locale: options.locale ?? 'en-US',
      fiscalYearStartMonth: options.fiscalYearStartMonth,
      year: options.year,
      sheet: options.sheet,
      headerRow: options.headerRow,
      delimiter: options.delimiter,
      mapping: options.mapping ?? undefined,
      periodRange: facts.range,
      limits: importLimits(ctx.services.settings),
      progressEvery: 2000,
      onProgress: (p) => void progress.set({ processedRows: p.rowsRead, totalRows: p.rowsTotal ?? 0 }),
    };
    const outcome = await streamImport(source, parseOptions, async (line) => {
      for (const period of line.amounts.keys()) {
        if (first === null || period < first) first = period;
        if (last === null || period > last) last = period;
      }
      staged.positions.push(position);
      staged.rows.push(line.row);
      staged.categories.push(line.category);
      staged.descriptions.push(line.description);
      staged.notes.push(line.notes);
      staged.amounts.push(JSON.stringify(Object.fromEntries([...line.amounts].map(([p, v]) => [p, v.toString()]))));
      position += 1;
      if (keep) kept.push(line);
      if (staged.rows.length >= CHUNK) await stage();
    });
    await stage();
    await inFlight;
    const diff = keep ? await diffFor(ctx, em, target, kept) : null;
    const report: StoredReport = {
      format: outcome.format,
      sheet: outcome.sheet,
      sheets: outcome.sheets,
      headerRow: outcome.headerRow,
      headers: outcome.headers,
      mapping: outcome.mapping,
      proposed: outcome.proposed,
      problems: outcome.problems,
      warnings: outcome.warnings,
      stats: outcome.stats,
      ok: outcome.ok,
      rejected: outcome.rejected,
      mismatches: outcome.totals.mismatches.map((m) => ({
        ...m,
        expected: m.expected.toString(),
        found: m.found.toString(),
        difference: m.difference.toString(),
      })),
      currency: facts.currency,
      granularity: facts.granularity,
      periods: first && last ? { first, last } : null,
      diff,
    };
    if (target.kind === 'new-budget' && !facts.range && first && last) {
      const count = periodsBetween(first, last, facts.granularity).length;
      if (count > 60) {
        report.problems.push({
          code: 'out-of-range',
          message: `The file's periods run from ${first} to ${last} (${count} periods); a budget covers at most 60. Choose the periods, or split the file.`,
        });
      }
    }
    await progress.flush();
    const done = await em.nativeUpdate(
      Import,
      { id: importId, status: 'parsing' },
      {
        status: 'ready',
        report: report as unknown as Record<string, unknown>,
        processedRows: outcome.stats.rows,
        totalRows: outcome.stats.rows,
        error: null,
        updatedAt: ctx.services.clock.now(),
      },
    );
    if (!done) await query(em, 'delete from import_lines where import_id = $1', [importId]);
    return done ? 'ready' : 'skipped';
  } catch (error) {
    await inFlight.catch(() => {});
    await progress.flush();
    if (error instanceof ImportRefused && !RETRYABLE.has(error.code)) {
      await finishFailed(ctx, importId, error.message, 'parsing');
      return 'failed';
    }
    ctx.services.log.error({ importId, traceId: ctx.traceId, err: error, last: attempt.last }, 'import parse failed');
    if (attempt.last) {
      const message =
        error instanceof ImportRefused
          ? error.message
          : 'The file could not be read because of a problem on our side. Start the import again.';
      await finishFailed(ctx, importId, message, 'parsing');
    } else {
      await em.nativeUpdate(
        Import,
        { id: importId, status: 'parsing' },
        {
          status: 'queued',
          error: error instanceof ImportRefused ? `${error.message} Retrying shortly.` : 'Retrying shortly.',
          updatedAt: ctx.services.clock.now(),
        },
      );
    }
    throw error;
  }
}

/** Marks the import failed (if still in `from`), drops its file and lines, and tells its owner. */
async function finishFailed(ctx: ServiceContext, importId: string, message: string, from: 'parsing' | 'importing') {
  await ctx.services.orm.em.fork().transactional(async (em) => {
    const imp = await em.findOne(Import, { id: importId, status: from });
    if (!imp) return;
    imp.status = 'failed';
    imp.error = message;
    imp.finishedAt = ctx.services.clock.now();
    imp.updatedAt = ctx.services.clock.now();
    imp.sourceToken = null;
    await query(em, 'delete from import_files where import_id = $1', [importId]);
    await query(em, 'delete from import_lines where import_id = $1', [importId]);
    emitFinished({ ...ctx, em }, imp);
    await em.flush();
  });
}

function emitFinished(ctx: ServiceContext, imp: Import, budgetId: string | null = imp.budget?.id ?? null) {
  // Told by the system, not by the person the job acts for: nobody is notified of their own acts.
  emit(
    { ...ctx, actor: null },
    {
      topic: 'imports',
      type: 'import.finished',
      key: imp.id,
      payload: {
        importId: imp.id,
        kind: imp.kind,
        fileName: imp.fileName,
        status: imp.status,
        createdBy: imp.createdBy.id,
        budgetId,
        error: imp.error ?? null,
      },
    },
  );
}

// ---------------------------------------------------------------------------------------------

/** The existing lines a file is compared with: the budget's current version (forecast: its figures). */
async function existingLines(ctx: ServiceContext, em: Em, target: ImportTarget): Promise<ExistingLine[]> {
  const budgetId =
    target.kind === 'budget'
      ? target.budgetId
      : (
          await query<{ budget_id: string }>(em, 'select budget_id from forecasts where id = $1', [
            (target as { forecastId: string }).forecastId,
          ])
        )[0]!.budget_id;
  const [budget] = await query<{ period_start: string; period_end: string; granularity: Granularity }>(
    em,
    'select period_start::text, period_end::text, granularity from budgets where id = $1',
    [budgetId],
  );
  const version = await currentVersion({ em }, budgetId);
  const periods = periodsBetween(budget!.period_start, budget!.period_end, budget!.granularity);
  const lines = await gridLines({ ...ctx, em } as ActorContext, version.id, periods);
  if (target.kind === 'budget') {
    return lines.map((l) => ({
      key: l.key,
      category: l.category,
      description: l.description,
      notes: l.notes,
      amounts: new Map(periods.flatMap((p, i) => (l.amounts[i] === null ? [] : [[p, l.amounts[i] as bigint]]))),
    }));
  }
  const target2 = target as Extract<ImportTarget, { kind: 'forecast' }>;
  const column = target2.field === 'forecast' ? 'forecast_minor' : 'actual_minor';
  const figures = await query<{ key: string; period: string; value: string }>(
    em,
    `select fl.budget_line_key as key, fa.period::text as period, fa.${column}::text as value
     from forecast_lines fl join forecast_amounts fa on fa.line_id = fl.id
     where fl.forecast_id = $1 and fa.${column} is not null`,
    [target2.forecastId],
  );
  const byKey = new Map<string, Map<string, bigint>>();
  for (const f of figures) {
    const cells = byKey.get(f.key) ?? new Map<string, bigint>();
    cells.set(f.period, BigInt(f.value));
    byKey.set(f.key, cells);
  }
  return lines.map((l) => ({
    key: l.key,
    category: l.category,
    description: l.description,
    amounts: byKey.get(l.key) ?? new Map(),
  }));
}

/**
 * A forecast has the budget's lines: a file line the budget lacks is left out (counted as
 * unmatched), never added; a budget line the file lacks keeps its line, and in replace mode its
 * figures are emptied. Line text is the budget's, so only cells change.
 */
function forecastDiff(raw: BudgetDiff): BudgetDiff {
  const changed: ChangedLine[] = raw.changed.filter((c) => c.cells.length > 0).map((c) => ({ ...c, fields: [] }));
  for (const line of raw.removed) {
    if (!line.amounts.size) continue;
    changed.push({
      ...(line.key ? { key: line.key } : {}),
      before: line,
      after: {
        row: 0,
        category: line.category,
        description: line.description ?? null,
        notes: null,
        amounts: new Map(),
      },
      fields: [],
      cells: [...line.amounts].map(([period, before]) => ({ period, before, after: null })),
    });
  }
  const cells = { added: 0, changed: 0, removed: 0 };
  for (const c of changed) {
    for (const x of c.cells) {
      if (x.before === null) cells.added += 1;
      else if (x.after === null) cells.removed += 1;
      else cells.changed += 1;
    }
  }
  return {
    added: [],
    removed: [],
    changed,
    unchanged: raw.unchanged + raw.changed.length + raw.removed.length - changed.length,
    cells,
    empty: changed.length === 0,
  };
}

async function computeDiff(ctx: ServiceContext, em: Em, target: ImportTarget, lines: ParsedLine[]) {
  const mode = (target as { mode: 'replace' | 'merge' }).mode;
  const existing = await existingLines(ctx, em, target);
  const raw = diffAgainst({ lines: existing }, { lines }, { mode });
  if (target.kind === 'budget') return { raw, diff: raw, unmatched: 0 };
  return { raw, diff: forecastDiff(raw), unmatched: raw.added.length };
}

async function diffFor(ctx: ServiceContext, em: Em, target: ImportTarget, lines: ParsedLine[]): Promise<StoredDiff> {
  const mode = (target as { mode: 'replace' | 'merge' }).mode;
  const { diff, raw, unmatched } = await computeDiff(ctx, em, target, lines);
  const str = (v: bigint | null) => (v === null ? null : v.toString());
  const items: StoredDiffItem[] = [];
  const cellsOf = (amounts: Map<string, bigint>, side: 'before' | 'after') =>
    [...amounts].map(([period, v]) => ({
      period,
      before: side === 'before' ? v.toString() : null,
      after: side === 'after' ? v.toString() : null,
    }));
  for (const line of diff.added) {
    if (items.length >= PREVIEW_ITEMS) break;
    items.push({
      change: 'added',
      row: line.row,
      lineKey: null,
      category: line.category,
      description: line.description,
      fields: [],
      cells: cellsOf(line.amounts, 'after'),
    });
  }
  for (const c of diff.changed) {
    if (items.length >= PREVIEW_ITEMS) break;
    items.push({
      change: 'changed',
      row: c.after.row || null,
      lineKey: c.key ?? null,
      category: c.after.category || c.before.category,
      description: c.after.description ?? c.before.description ?? null,
      fields: c.fields,
      cells: c.cells.map((x) => ({ period: x.period, before: str(x.before), after: str(x.after) })),
    });
  }
  for (const line of diff.removed) {
    if (items.length >= PREVIEW_ITEMS) break;
    items.push({
      change: 'removed',
      row: null,
      lineKey: line.key ?? null,
      category: line.category,
      description: line.description ?? null,
      fields: [],
      cells: cellsOf(line.amounts, 'before'),
    });
  }
  return {
    mode,
    lines: {
      added: diff.added.length,
      changed: diff.changed.length,
      removed: diff.removed.length,
      unchanged: target.kind === 'budget' ? diff.unchanged : raw.unchanged,
    },
    cells: diff.cells,
    unmatched,
    empty: diff.empty,
    items,
  };
}

// ---------------------------------------------------------------------------------------------

/** Reads the staged lines back, in file order. */
async function stagedLines(em: Em, importId: string): Promise<ParsedLine[]> {
  const lines: ParsedLine[] = [];
  for await (const chunk of stagedChunks(em, importId, 10_000)) lines.push(...chunk);
  return lines;
}

/** The staged lines a chunk at a time, so a large new budget is written with memory flat. */
async function* stagedChunks(em: Em, importId: string, size = CHUNK): AsyncGenerator<ParsedLine[]> {
  for (let from = 0; ; from += size) {
    const lines: ParsedLine[] = [];
    const rows = await query<{
      row: number;
      category: string;
      description: string | null;
      notes: string | null;
      amounts: Record<string, string>;
    }>(
      em,
      `select row, category, description, notes, amounts from import_lines
       where import_id = $1 and position >= $2 and position < $3 order by position`,
      [importId, from, from + size],
    );
    for (const r of rows) {
      lines.push({
        row: r.row,
        category: r.category,
        description: r.description,
        notes: r.notes,
        amounts: new Map(Object.entries(r.amounts).map(([p, v]) => [p, BigInt(v)])),
      });
    }
    if (lines.length) yield lines;
    if (rows.length < size) return;
  }
}

class CommitRefused extends Error {}

/** budget-import-commit: writes the reviewed import, all of it or nothing. */
export async function commitImportJob(
  ctx: ServiceContext,
  { importId }: { importId: string },
  attempt: Attempt = { last: true },
): Promise<'done' | 'failed' | 'skipped'> {
  const progress = progressWriter(ctx, importId);
  try {
    const outcome = await ctx.services.orm.em.fork().transactional(async (em) => {
      await query(em, 'select pg_advisory_xact_lock(hashtextextended($1, 11))', [importId]);
      const imp = await em.findOne(Import, { id: importId }, { populate: ['report', 'createdBy'] });
      if (!imp || imp.status !== 'importing') return 'skipped' as const;
      const actor = await actorOf(ctx, em, imp.createdBy.id);
      if (!actor) throw new CommitRefused('The person who started this import can no longer sign in.');
      const txCtx: ActorContext = { ...ctx, em, actor };
      const target = imp.target as ImportTarget;
      try {
        await targetFacts(txCtx, target);
      } catch (error) {
        if (error instanceof TRPCError) {
          throw new CommitRefused(
            error.code === 'NOT_FOUND'
              ? 'The goal, budget or forecast this import was meant for is gone, or you can no longer see it. Nothing was written.'
              : `${error.message} Nothing was written.`,
          );
        }
        throw error;
      }
      const report = imp.report as unknown as StoredReport;
      const log = { importId, reason: `Imported from "${imp.fileName}"` };
      const result =
        target.kind === 'new-budget'
          ? await commitNewBudget(txCtx, target, report, stagedChunks(em, importId), log, progress)
          : target.kind === 'budget'
            ? await commitBudget(txCtx, target, await stagedLines(em, importId), log, progress)
            : await commitForecast(txCtx, target, await stagedLines(em, importId), log, progress);
      imp.status = 'done';
      imp.processedRows = report.stats.lines;
      imp.totalRows = report.stats.lines;
      imp.finishedAt = ctx.services.clock.now();
      imp.updatedAt = ctx.services.clock.now();
      imp.error = null;
      imp.report = { ...report, result } as unknown as Record<string, unknown>;
      await query(em, 'update imports set budget_id = $2 where id = $1', [importId, result.budgetId]);
      await query(em, 'delete from import_files where import_id = $1', [importId]);
      await query(em, 'delete from import_lines where import_id = $1', [importId]);
      emitFinished(txCtx, imp, result.budgetId);
      await em.flush();
      return 'done' as const;
    });
    await progress.flush();
    return outcome;
  } catch (error) {
    await progress.flush();
    if (error instanceof CommitRefused || error instanceof TRPCError) {
      await finishFailed(ctx, importId, error.message, 'importing');
      return 'failed';
    }
    ctx.services.log.error({ importId, traceId: ctx.traceId, err: error, last: attempt.last }, 'import commit failed');
    if (attempt.last) {
      await finishFailed(
        ctx,
        importId,
        'The import could not be written, so nothing was saved. Start it again from the file.',
        'importing',
      );
    } else {
      await progress.set({
        processedRows: 0,
        error: 'A problem interrupted the import; nothing was saved. Retrying shortly.',
      });
    }
    throw error;
  }
}

type Progress = ReturnType<typeof progressWriter>;
type LogInfo = { importId: string; reason: string };

async function commitNewBudget(
  ctx: ActorContext,
  target: Extract<ImportTarget, { kind: 'new-budget' }>,
  report: StoredReport,
  chunks: AsyncIterable<ParsedLine[]>,
  log: LogInfo,
  progress: Progress,
) {
  const goal = await ctx.em.findOneOrFail(Goal, { id: target.goalId });
  const currency = target.currency ?? goal.currency;
  if (currency !== goal.currency && !target.fxRate) {
    throw new CommitRefused(
      `Give the rate from ${currency} to the goal's ${goal.currency}, so the goal's totals can include this budget.`,
    );
  }
  const first = target.periodStart ?? report.periods?.first;
  if (!first) throw new CommitRefused('The file has no amounts, so the budget’s periods cannot be chosen from it.');
  if (!isPeriodStart(first, target.granularity)) {
    throw new CommitRefused('A quarterly budget starts in January, April, July or October.');
  }
  const periodEnd = target.periods
    ? lastPeriod(first, target.periods, target.granularity)
    : (report.periods?.last ?? first);
  const budget = await insertBudget(
    ctx,
    goal,
    {
      name: target.name,
      currency,
      fxRate: target.fxRate,
      periodStart: first,
      periodEnd,
      granularity: target.granularity,
    },
    log,
  );
  const version = await currentVersion(ctx, budget.id);
  let added = 0;
  let written = 0;
  for await (const chunk of chunks) {
    written += await addLines(ctx, budget.id, version, chunk, added, log, progress, added);
    added += chunk.length;
  }
  return {
    budgetId: budget.id,
    forecastId: null,
    lines: { added, changed: 0, removed: 0 },
    cells: { written },
    logRows: await logRows(ctx, log.importId),
  };
}

/** Adds lines at the end of a version with their cells, in chunks, through saveLines and writeCells. */
async function addLines(
  ctx: ActorContext,
  budgetId: string,
  version: { id: string; number: number },
  lines: ParsedLine[],
  startPosition: number,
  log: LogInfo,
  progress: Progress,
  done = 0,
) {
  const target = { budgetId, versionNumber: version.number, ...log };
  let written = 0;
  for (let i = 0; i < lines.length; i += CHUNK) {
    const chunk = lines
      .slice(i, i + CHUNK)
      .map((line, n) => ({ line, key: crypto.randomUUID(), position: startPosition + i + n }));
    await saveLines(
      ctx,
      version.id,
      {
        added: chunk.map((c) => ({
          key: c.key,
          position: c.position,
          category: c.line.category,
          description: c.line.description,
          notes: c.line.notes,
        })),
        removed: [],
        changed: [],
      },
      target,
      {
        maxLines: ctx.services.settings.importMaxRows,
        // Each new line's history row carries its cells: one row per line, not one per cell.
        addedAmounts: new Map(
          chunk.map((c) => [c.key, Object.fromEntries([...c.line.amounts].map(([p, v]) => [p, v.toString()]))]),
        ),
      },
    );
    const cells: CellChange[] = chunk.flatMap((c) =>
      [...c.line.amounts].map(([period, to]) => ({ lineKey: c.key, period, from: null, to })),
    );
    const lineIds = await lineIdsOf(
      ctx,
      version.id,
      chunk.map((c) => c.key),
    );
    const result = await writeCells(
      ctx,
      BUDGET_CELLS,
      lineIds,
      cells,
      { ...target, action: 'cell' },
      { logCells: false, newLines: true },
    );
    written += result.applied;
    void progress.set({ processedRows: done + i + chunk.length });
  }
  return written;
}

async function logRows(ctx: ActorContext, importId: string) {
  const [row] = await query<{ n: number }>(ctx.em, 'select count(*)::int as n from budget_log where import_id = $1', [
    importId,
  ]);
  return row?.n ?? 0;
}

async function commitBudget(
  ctx: ActorContext,
  target: Extract<ImportTarget, { kind: 'budget' }>,
  lines: ParsedLine[],
  log: LogInfo,
  progress: Progress,
) {
  await lockBudget(ctx.em, target.budgetId);
  const version = await currentVersion(ctx, target.budgetId);
  try {
    assertOpen(version, 'cells');
  } catch (error) {
    throw new CommitRefused(`${(error as Error).message} Nothing was written.`);
  }
  // Compared again under the lock: the budget may have changed since the dry run.
  const { diff } = await computeDiff(ctx, ctx.em, target, lines);
  const logTarget = { budgetId: target.budgetId, versionNumber: version.number, ...log };
  const [{ n } = { n: 0 }] = await query<{ n: number }>(
    ctx.em,
    'select coalesce(max(position) + 1, 0)::int as n from budget_lines where version_id = $1',
    [version.id],
  );
  // Removed lines (replace), then changed lines' text and cells, then added lines.
  const removedKeys = diff.removed.map((l) => l.key as string);
  const changedText = diff.changed.flatMap((c) =>
    c.fields.map((field) => ({
      key: c.key as string,
      field,
      from: (c.before[field] ?? null) as string | null,
      to: (c.after[field] ?? null) as string | null,
    })),
  );
  for (let i = 0; i < removedKeys.length; i += CHUNK) {
    await saveLines(ctx, version.id, { added: [], removed: removedKeys.slice(i, i + CHUNK), changed: [] }, logTarget);
  }
  if (changedText.length) {
    await saveLines(ctx, version.id, { added: [], removed: [], changed: changedText }, logTarget);
  }
  const cellChanges: CellChange[] = diff.changed.flatMap((c) =>
    c.cells.map((x) => ({ lineKey: c.key as string, period: x.period, from: x.before, to: x.after })),
  );
  let written = 0;
  for (let i = 0; i < cellChanges.length; i += CHUNK * 12) {
    const chunk = cellChanges.slice(i, i + CHUNK * 12);
    const lineIds = await lineIdsOf(
      ctx,
      version.id,
      chunk.map((c) => c.lineKey),
    );
    const result = await writeCells(ctx, BUDGET_CELLS, lineIds, chunk, { ...logTarget, action: 'cell' });
    written += result.applied;
  }
  void progress.set({ processedRows: diff.changed.length + diff.unchanged });
  written += await addLines(
    ctx,
    target.budgetId,
    version,
    diff.added,
    n,
    log,
    progress,
    diff.changed.length + diff.unchanged,
  );
  if (!diff.empty) {
    await query(ctx.em, 'update budgets set updated_at = $2 where id = $1', [
      target.budgetId,
      ctx.services.clock.now(),
    ]);
  }
  return {
    budgetId: target.budgetId,
    forecastId: null,
    lines: { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length },
    cells: { written },
    logRows: await logRows(ctx, log.importId),
  };
}

async function commitForecast(
  ctx: ActorContext,
  target: Extract<ImportTarget, { kind: 'forecast' }>,
  lines: ParsedLine[],
  log: LogInfo,
  progress: Progress,
) {
  const [forecast] = await query<{ budget_id: string }>(ctx.em, 'select budget_id from forecasts where id = $1', [
    target.forecastId,
  ]);
  const budgetId = forecast!.budget_id;
  await lockBudget(ctx.em, budgetId);
  const version = await currentVersion(ctx, budgetId);
  const { diff } = await computeDiff(ctx, ctx.em, target, lines);
  const changes: CellChange[] = diff.changed.flatMap((c) =>
    c.cells.map((x) => ({ lineKey: c.key as string, period: x.period, from: x.before, to: x.after })),
  );
  const logTarget = {
    budgetId,
    versionNumber: version.number,
    forecastId: target.forecastId,
    action: 'forecast.cell',
    ...log,
  };
  let written = 0;
  for (let i = 0; i < changes.length; i += CHUNK * 12) {
    const chunk = changes.slice(i, i + CHUNK * 12);
    const lineIds = await forecastLines(
      ctx,
      target.forecastId,
      version.number,
      budgetId,
      chunk.map((c) => c.lineKey),
    );
    const result = await writeCells(ctx, STORES[target.field], lineIds, chunk, logTarget);
    written += result.applied;
    void progress.set({ processedRows: Math.min(lines.length, i + chunk.length) });
  }
  if (written) {
    await query(ctx.em, 'update forecasts set updated_at = $2 where id = $1', [
      target.forecastId,
      ctx.services.clock.now(),
    ]);
  }
  return {
    budgetId,
    forecastId: target.forecastId,
    lines: { added: 0, changed: diff.changed.length, removed: 0 },
    cells: { written },
    logRows: await logRows(ctx, log.importId),
  };
}

/**
 * Housekeeping for budget imports: a dry run left unreviewed for a day is let go (cancelled, its
 * file and staged lines dropped), and an import left queued, parsing or importing with no sign of
 * life for half an hour lost its job (every retry killed, or the queue purged): a commit is one
 * transaction, so nothing of it was written; it is marked failed so its page stops waiting.
 */
export async function tidyBudgetImports(ctx: ServiceContext): Promise<{ expired: number; abandoned: number }> {
  const now = ctx.services.clock.now();
  return ctx.em.transactional(async (em) => {
    const expired = await query<{ id: string }>(
      em,
      `update imports set status = 'cancelled', finished_at = $2, updated_at = $2, source_token = null,
              error = 'This dry run expired after a day without being imported. Start the import again.'
       where kind in ('budget', 'forecast') and status = 'ready' and updated_at <= $1 returning id`,
      [new Date(now.getTime() - 86_400_000), now],
    );
    const abandoned = await query<{ id: string }>(
      em,
      `update imports set status = 'failed', finished_at = $2, updated_at = $2, source_token = null,
              error = 'The import stopped without finishing, so nothing was saved. Start it again from the file.'
       where kind in ('budget', 'forecast') and status in ('queued', 'parsing', 'importing') and updated_at <= $1
       returning id`,
      [new Date(now.getTime() - 30 * 60_000), now],
    );
    const ids = [...expired, ...abandoned].map((r) => r.id);
    if (ids.length) {
      await query(em, 'delete from import_files where import_id = any($1::uuid[])', [ids]);
      await query(em, 'delete from import_lines where import_id = any($1::uuid[])', [ids]);
    }
    return { expired: expired.length, abandoned: abandoned.length };
  });
}
