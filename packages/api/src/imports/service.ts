/**
 * Budget imports, the request side: start (store the upload's bytes or the sheet link, queue the
 * parse), follow (state, progress, the dry run's preview, diff and report), correct the mapping
 * (queue a new parse), commit (queue the commit job), cancel, list, and the report as CSV. Nothing
 * here reads the file beyond its first bytes (to refuse what is not a spreadsheet at once); the
 * parse and the commit run in jobs.ts, as pg-boss jobs.
 *
 * States: queued -> parsing -> ready -> importing -> done | failed; cancelled from queued, parsing
 * or ready. `ready` is the dry run: its `canCommit` says whether the import may go ahead.
 */
import { createHash } from 'node:crypto';
import { Budget, Forecast, Goal, Import, type ImportStatus, query } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import { ZodError, type z } from 'zod';
import type { ActorContext } from '../context.ts';
import { nulProblem } from '../platform/nul.ts';
import { authorize } from '../policy/access.ts';
import { queues } from '../queues.ts';
import { parseSheetLink } from './google.ts';
import { ImportRefused, readableSize } from './limits.ts';
import type { ColumnMapping, Problem } from './mapping.ts';
import { importReportCsv } from './report.ts';
import * as schema from './schema.ts';
import type { ImportStats, RejectedCell } from './sheet.ts';
import { sniffFormat } from './sniff.ts';
import type { TotalMismatch } from './totals.ts';

type Ctx = ActorContext;

export type ImportState = 'queued' | 'parsing' | 'ready' | 'importing' | 'done' | 'failed' | 'cancelled';
const BUDGET_KINDS = ['budget', 'forecast'] as const;

/** What the parse job stores in `imports.report` (amounts as decimal strings of minor units). */
export interface StoredReport {
  format: 'xlsx' | 'csv' | 'json' | 'rows';
  sheet: string;
  sheets: { name: string; hidden: boolean }[];
  headerRow: number | null;
  /** The header row's labelled columns (absent from reports stored before it was kept). */
  headers?: { col: number; label: string }[];
  mapping: ColumnMapping | null;
  proposed: boolean;
  problems: Problem[];
  warnings: string[];
  stats: ImportStats;
  ok: boolean;
  rejected: RejectedCell[];
  mismatches: StoredMismatch[];
  currency: string;
  granularity: 'monthly' | 'quarterly';
  /** The periods the file's lines use, first and last (null when it has none). */
  periods: { first: string; last: string } | null;
  diff: StoredDiff | null;
  /** Set by the commit. */
  result?: ImportResult;
}

export type StoredMismatch = Omit<TotalMismatch, 'expected' | 'found' | 'difference'> & {
  expected: string;
  found: string;
  difference: string;
};

export interface StoredDiffItem {
  change: 'added' | 'changed' | 'removed';
  row: number | null;
  lineKey: string | null;
  category: string;
  description: string | null;
  fields: ('category' | 'description' | 'notes')[];
  cells: { period: string; before: string | null; after: string | null }[];
}

export interface StoredDiff {
  mode: 'replace' | 'merge';
  lines: { added: number; changed: number; removed: number; unchanged: number };
  cells: { added: number; changed: number; removed: number };
  /** Forecast targets: file lines the budget does not have (left out of the import). */
  unmatched: number;
  empty: boolean;
  /** The first changes, for the preview (all of them are counted above). */
  items: StoredDiffItem[];
}

export interface ImportResult {
  budgetId: string;
  forecastId: string | null;
  lines: { added: number; changed: number; removed: number };
  cells: { written: number };
  logRows: number;
}

/** How many preview lines, diff items and rejected cells an answer carries; the rest by page. */
export const PREVIEW_LINES = 100;
export const PREVIEW_ITEMS = 200;
const INLINE_REJECTED = 100;

const minor = (v: string | null) => (v === null ? null : BigInt(v));

// ---------------------------------------------------------------------------------------------

/** Starts an import: checks access and size, stores the bytes (or the link) and queues the parse. */
export async function start(ctx: Ctx, input: z.infer<typeof schema.startInput>) {
  if (input instanceof FormData) return begin(ctx, await readUpload(ctx, input));
  return begin(ctx, { target: input.target, options: input.options, upload: null, link: input.source });
}

/**
 * Starts an import from JSON (REST, which has no multipart): a Google Sheets link, a file as base64,
 * or a JSON budget document inline. The file's decoded bytes are checked as an upload's are (size,
 * kind from content and name); the document is stored as the bytes of a JSON file. Both are read
 * by the same parse job as an upload; only the document's envelope was checked by the schema.
 */
export async function startJson(ctx: Ctx, input: z.infer<typeof schema.startJsonInput>) {
  const { source, target, options } = input;
  if (source.kind === 'google') return begin(ctx, { target, options, upload: null, link: source });
  if (source.kind === 'file') {
    // The schema checked the alphabet and padding: Buffer's own decoder skips what it cannot read.
    const bytes = new Uint8Array(Buffer.from(source.contentBase64, 'base64'));
    const name = baseName(source.name, 'upload');
    return begin(ctx, {
      target,
      options,
      upload: checkedUpload(ctx, 'source.contentBase64', name, null, bytes),
      link: null,
    });
  }
  const bytes = new TextEncoder().encode(JSON.stringify(source.document));
  return begin(ctx, {
    target,
    options,
    upload: checkedUpload(
      ctx,
      'source.document',
      baseName(source.fileName, 'document.json'),
      'application/json',
      bytes,
    ),
    link: null,
  });
}

/** A file's name without the folders a browser or a script may send with it. */
function baseName(name: string | undefined, fallback: string): string {
  return (name ?? '').replace(/^.*[\\/]/, '').slice(0, 255) || fallback;
}

interface Started {
  target: schema.ImportTarget;
  options: schema.ImportOptions;
  upload: Upload | null;
  link: z.infer<typeof schema.googleSource> | null;
}

/** The one way an import begins: the import row, its file, and the parse job, in one transaction. */
async function begin(ctx: Ctx, started: Started) {
  const { services } = ctx;
  const { target, options, upload, link } = started;
  const facts = await targetFacts(ctx, target);
  let fileName: string;
  let source: Record<string, unknown>;
  if (upload) {
    fileName = upload.name;
    source = { kind: 'upload', size: upload.bytes.length, sha256: upload.sha256, contentType: upload.contentType };
  } else {
    if (!link) throw new TRPCError({ code: 'BAD_REQUEST', message: 'source: Send a file or a link.' });
    try {
      const parsed = parseSheetLink(link.url);
      fileName = `Google sheet ${parsed.spreadsheetId.slice(0, 12)}…`;
    } catch (error) {
      throw badRequest('source.url', error);
    }
    source = { kind: 'google', url: link.url.trim() };
  }
  const importId = await ctx.em.transactional(async (em) => {
    const now = services.clock.now();
    const imp = em.create(Import, {
      org: services.orgId,
      kind: target.kind === 'forecast' ? 'forecast' : 'budget',
      createdBy: ctx.actor.id,
      status: 'queued',
      fileName: fileName.slice(0, 255),
      contentType: upload?.contentType ?? null,
      content: null,
      target: target as Record<string, unknown>,
      options: options as Record<string, unknown>,
      source,
      sourceToken: upload ? null : (link?.accessToken ?? null),
      budget: facts.budgetId ?? null,
      forecast: facts.forecastId ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await em.flush();
    if (upload) {
      await query(
        em,
        'insert into import_files (import_id, org_id, bytes, size, sha256, created_at) values ($1, $2, $3, $4, $5, $6)',
        [imp.id, services.orgId, Buffer.from(upload.bytes), upload.bytes.length, upload.sha256, now],
      );
    }
    await services.jobs.send(queues.budgetImportParse, { importId: imp.id }, { em, traceId: ctx.traceId });
    return imp.id;
  });
  return get(ctx, { importId });
}

interface Upload {
  name: string;
  contentType: string | null;
  bytes: Uint8Array;
  sha256: string;
}

/** The FormData of an upload: the `input` field's JSON checked with the schema, the file's size and kind. */
async function readUpload(ctx: Ctx, form: FormData) {
  const raw = form.get('input');
  let json: unknown;
  try {
    json = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    json = undefined;
  }
  if (json === undefined) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'input: The upload needs its choices as JSON text in the "input" field (see importFormData).',
    });
  }
  const nul = nulProblem(json);
  if (nul) throw new TRPCError({ code: 'BAD_REQUEST', message: nul });
  const fields = schema.startUploadFields.safeParse(json);
  if (!fields.success) throw new TRPCError({ code: 'BAD_REQUEST', message: 'input', cause: fields.error });
  const file = form.get('file');
  if (!(file instanceof Blob)) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'file: Choose a file to upload (.xlsx, .csv or .json).' });
  }
  const name = baseName((file as File).name, 'upload');
  const max = ctx.services.settings.importMaxBytes;
  if (file.size > max) throw tooLarge('file', name, file.size, max);
  const bytes = new Uint8Array(await file.arrayBuffer());
  return {
    ...fields.data,
    upload: checkedUpload(ctx, 'file', name, file.type || null, bytes),
    link: null,
  } satisfies Started;
}

function tooLarge(field: string, name: string, size: number, max: number): TRPCError {
  return new TRPCError({
    code: 'PAYLOAD_TOO_LARGE',
    message: `${field}: "${name}" is ${readableSize(size)}; the limit is ${readableSize(max)}. Split it, or remove what the budget does not need.`,
  });
}

/** A file's bytes checked as an upload's are: its size, and its first bytes (no spreadsheet at all is refused now). */
function checkedUpload(ctx: Ctx, field: string, name: string, contentType: string | null, bytes: Uint8Array): Upload {
  const max = ctx.services.settings.importMaxBytes;
  if (bytes.length > max) throw tooLarge(field, name, bytes.length, max);
  try {
    sniffFormat(bytes, { name, contentType: contentType ?? undefined });
  } catch (error) {
    throw badRequest(field, error);
  }
  return { name, contentType, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function badRequest(field: string, error: unknown): TRPCError {
  if (error instanceof ImportRefused) {
    return new TRPCError({ code: 'BAD_REQUEST', message: `${field}: ${error.message}`, cause: error });
  }
  if (error instanceof ZodError) return new TRPCError({ code: 'BAD_REQUEST', message: field, cause: error });
  throw error;
}

/**
 * The target must be editable by the actor: a goal to add a budget to, a budget whose current
 * version takes edits, a forecast. Unreadable ids answer NOT_FOUND (policy/access.ts).
 */
export async function targetFacts(ctx: Ctx, target: schema.ImportTarget) {
  if (target.kind === 'new-budget') {
    await authorize(ctx, 'edit', { goalId: target.goalId });
    return { goalId: target.goalId, budgetId: null, forecastId: null };
  }
  if (target.kind === 'budget') {
    const facts = await authorize(ctx, 'edit', { budgetId: target.budgetId });
    if (facts.locked || !['draft', 'changes_requested'].includes(facts.state)) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `This budget is ${facts.state.replace('_', ' ')} and cannot be changed by an import until it is sent back or reopened.`,
      });
    }
    return { goalId: facts.goalId, budgetId: target.budgetId, forecastId: null };
  }
  const facts = await authorize(ctx, 'edit', { forecastId: target.forecastId });
  return { goalId: facts.goalId, budgetId: facts.budgetId, forecastId: target.forecastId };
}

/** The import, if it is the actor's own budget import; NOT_FOUND otherwise (as for unreadable objects). */
async function loadOwn(ctx: Ctx, importId: string, populate: 'report'[] = []) {
  const imp = await ctx.em.findOne(
    Import,
    { id: importId, org: ctx.services.orgId, kind: { $in: [...BUDGET_KINDS] }, createdBy: ctx.actor.id },
    { populate },
  );
  if (!imp) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such import. Start it again from the file.' });
  return imp;
}

// ---------------------------------------------------------------------------------------------

/** Everything the import page shows. */
export async function get(ctx: Ctx, { importId }: { importId: string }) {
  const imp = await loadOwn(ctx, importId, ['report']);
  return view(ctx, imp);
}

async function view(ctx: Ctx, imp: Import) {
  const report = (imp.report ?? null) as StoredReport | null;
  const target = imp.target as schema.ImportTarget;
  const state = imp.status as ImportState;
  const preview =
    report && ['ready', 'importing'].includes(state) ? await previewLines(ctx, imp.id, PREVIEW_LINES) : null;
  const rejectedTotal = report?.stats.rejectedCells ?? 0;
  const blocked = report ? report.problems.length > 0 || report.stats.lines === 0 : true;
  const source = imp.source as
    | { kind: 'upload'; size: number; contentType: string | null }
    | { kind: 'google'; url: string };
  return {
    id: imp.id,
    kind: imp.kind as 'budget' | 'forecast',
    state,
    fileName: imp.fileName,
    source:
      source.kind === 'upload'
        ? { kind: 'upload' as const, size: source.size, contentType: source.contentType ?? null }
        : { kind: 'google' as const, url: source.url },
    target: await targetView(ctx, target),
    options: imp.options as schema.ImportOptions & { mapping?: schema.MappingOverrideInput | null },
    /** Rows read (or written, while importing) of all; total null while unknown. */
    progress: { rows: imp.processedRows, total: imp.totalRows || null },
    parse: report
      ? {
          format: report.format,
          sheet: report.sheet,
          sheets: report.sheets,
          headerRow: report.headerRow,
          headers: report.headers ?? [],
          mapping: report.mapping,
          proposed: report.proposed,
          currency: report.currency,
          granularity: report.granularity,
          periods: report.periods,
          problems: report.problems,
          warnings: report.warnings,
          stats: report.stats,
          ok: report.ok,
          rejected: report.rejected.slice(0, INLINE_REJECTED),
          rejectedTotal,
          mismatches: report.mismatches.map((m) => ({
            ...m,
            expected: BigInt(m.expected),
            found: BigInt(m.found),
            difference: BigInt(m.difference),
          })),
          preview,
          diff: report.diff
            ? {
                ...report.diff,
                items: report.diff.items.map((item) => ({
                  ...item,
                  cells: item.cells.map((c) => ({ period: c.period, before: minor(c.before), after: minor(c.after) })),
                })),
              }
            : null,
        }
      : null,
    /** Ready, nothing blocks it; with rejected cells the commit must say `skipRejected`. */
    canCommit: state === 'ready' && !blocked,
    needsSkipRejected: rejectedTotal > 0,
    error: imp.error ?? null,
    result: report?.result ?? null,
    budgetId: imp.budget?.id ?? report?.result?.budgetId ?? null,
    forecastId: imp.forecast?.id ?? null,
    createdAt: imp.createdAt,
    updatedAt: imp.updatedAt,
    finishedAt: imp.finishedAt ?? null,
  };
}

export type ImportView = Awaited<ReturnType<typeof view>>;

async function targetView(ctx: Ctx, target: schema.ImportTarget) {
  if (target.kind === 'new-budget') {
    const goal = await ctx.em.findOne(Goal, { id: target.goalId }, { fields: ['name', 'currency'] });
    return { ...target, goalName: goal?.name ?? null, currency: target.currency ?? goal?.currency ?? null };
  }
  if (target.kind === 'budget') {
    const budget = await ctx.em.findOne(Budget, { id: target.budgetId }, { fields: ['name', 'currency'] });
    return { ...target, budgetName: budget?.name ?? null, currency: budget?.currency ?? null };
  }
  const forecast = await ctx.em.findOne(
    Forecast,
    { id: target.forecastId },
    { populate: ['budget'], fields: ['name', 'budget.name', 'budget.currency'] },
  );
  return {
    ...target,
    forecastName: forecast?.name ?? null,
    budgetId: forecast?.budget.id ?? null,
    budgetName: forecast?.budget.name ?? null,
    currency: forecast?.budget.currency ?? null,
  };
}

/** The staged lines in file order, amounts in minor units by period. */
export async function previewLines(ctx: Pick<Ctx, 'em'>, importId: string, limit: number, offset = 0) {
  const rows = await query<{
    row: number;
    category: string;
    description: string | null;
    notes: string | null;
    amounts: Record<string, string>;
  }>(
    ctx.em,
    `select row, category, description, notes, amounts from import_lines where import_id = $1
     order by position limit $2 offset $3`,
    [importId, limit, offset],
  );
  return rows.map((r) => ({
    row: r.row,
    category: r.category,
    description: r.description,
    notes: r.notes,
    amounts: Object.fromEntries(Object.entries(r.amounts).map(([p, v]) => [p, BigInt(v)])) as Record<string, bigint>,
  }));
}

/** The actor's budget imports, newest first. */
export async function list(ctx: Ctx, input: z.infer<typeof schema.listInput>) {
  const [items, total] = await ctx.em.findAndCount(
    Import,
    { org: ctx.services.orgId, kind: { $in: [...BUDGET_KINDS] }, createdBy: ctx.actor.id },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: input.pageSize, offset: (input.page - 1) * input.pageSize },
  );
  // The targets' names: a new budget's as asked, an existing budget's or forecast's as it is now.
  const ids = (key: 'budget' | 'forecast') => [...new Set(items.flatMap((i) => (i[key] ? [i[key].id] : [])))];
  const [budgets, forecasts] = await Promise.all([
    ctx.em.find(Budget, { id: { $in: ids('budget') } }, { fields: ['name'] }),
    ctx.em.find(Forecast, { id: { $in: ids('forecast') } }, { fields: ['name'] }),
  ]);
  const names = new Map<string, string>([...budgets, ...forecasts].map((o) => [o.id, o.name]));
  const targetName = (imp: Import): string | null => {
    const target = imp.target as schema.ImportTarget;
    if (target.kind === 'new-budget') return target.name;
    const id = target.kind === 'forecast' ? imp.forecast?.id : imp.budget?.id;
    return (id && names.get(id)) ?? null;
  };
  return {
    items: items.map((imp) => ({
      id: imp.id,
      kind: imp.kind as 'budget' | 'forecast',
      state: imp.status as ImportState,
      fileName: imp.fileName,
      targetKind: (imp.target as schema.ImportTarget).kind,
      /** The new budget's name, or the budget's or forecast's the import goes into (null if it is gone). */
      targetName: targetName(imp),
      budgetId: imp.budget?.id ?? null,
      forecastId: imp.forecast?.id ?? null,
      progress: { rows: imp.processedRows, total: imp.totalRows || null },
      error: imp.error ?? null,
      createdAt: imp.createdAt,
      finishedAt: imp.finishedAt ?? null,
    })),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}

/** Every rejected cell, a page at a time (the dry run lists up to 10,000; the count goes on). */
export async function rejected(ctx: Ctx, input: z.infer<typeof schema.rejectedInput>) {
  const imp = await loadOwn(ctx, input.importId, ['report']);
  const all = ((imp.report ?? null) as StoredReport | null)?.rejected ?? [];
  const start = (input.page - 1) * input.pageSize;
  return {
    items: all.slice(start, start + input.pageSize),
    listed: all.length,
    total: ((imp.report ?? null) as StoredReport | null)?.stats.rejectedCells ?? 0,
    page: input.page,
    pageSize: input.pageSize,
  };
}

/** The report as CSV (rejected cells, then totals that do not add up), values neutralised. */
export async function reportCsv(ctx: Ctx, { importId }: { importId: string }) {
  const imp = await loadOwn(ctx, importId, ['report']);
  const report = (imp.report ?? null) as StoredReport | null;
  if (!report)
    throw new TRPCError({ code: 'CONFLICT', message: 'The file has not been read yet; wait for the dry run.' });
  const csv = importReportCsv(
    {
      rejected: report.rejected,
      totals: {
        rows: [],
        columns: [],
        mismatches: report.mismatches.map((m) => ({
          ...m,
          expected: BigInt(m.expected),
          found: BigInt(m.found),
          difference: BigInt(m.difference),
        })),
      } as never,
    },
    report.currency,
  );
  const base = imp.fileName.replace(/\.[^.]*$/, '') || 'import';
  return { fileName: `${base} - import report.csv`, contentType: 'text/csv; charset=utf-8' as const, csv };
}

// ---------------------------------------------------------------------------------------------

async function transition(
  ctx: Ctx,
  imp: Import,
  from: ImportStatus[],
  to: Partial<Import> & { status: ImportStatus },
  conflict: string,
  then?: (em: Ctx['em']) => Promise<void>,
) {
  await ctx.em.transactional(async (em) => {
    const claimed = await em.nativeUpdate(
      Import,
      { id: imp.id, status: { $in: from } },
      { ...to, updatedAt: ctx.services.clock.now() },
    );
    if (!claimed) throw new TRPCError({ code: 'CONFLICT', message: conflict });
    await then?.(em);
  });
}

function conflictFor(state: string): string {
  switch (state) {
    case 'queued':
    case 'parsing':
      return 'The file is still being read; wait for the dry run.';
    case 'importing':
      return 'This import is being written now.';
    case 'done':
      return 'This import is done.';
    case 'cancelled':
      return 'This import was cancelled. Start it again from the file.';
    default:
      return 'This import failed. Start it again from the file.';
  }
}

/** Reads the same file again with a corrected mapping or options (the sheet, the locale, …). */
export async function remap(ctx: Ctx, input: z.infer<typeof schema.remapInput>) {
  const imp = await loadOwn(ctx, input.importId);
  if (imp.status !== 'ready') throw new TRPCError({ code: 'CONFLICT', message: conflictFor(imp.status) });
  const current = (imp.options ?? {}) as Record<string, unknown>;
  const next: Record<string, unknown> = { ...current, ...input.options };
  // A new sheet or header row makes an old mapping meaningless: it is dropped unless given again.
  if (input.mapping !== undefined) next.mapping = input.mapping;
  else if (input.options?.sheet !== undefined || input.options?.headerRow !== undefined) delete next.mapping;
  await transition(
    ctx,
    imp,
    ['ready'],
    { status: 'queued', options: next, processedRows: 0, totalRows: 0, error: null },
    'This import changed meanwhile; reload it.',
    (em) => ctx.services.jobs.send(queues.budgetImportParse, { importId: imp.id }, { em, traceId: ctx.traceId }),
  );
  return get(ctx, { importId: imp.id });
}

/** Queues the commit of every valid row. Nothing is written if the person cancels instead. */
export async function commit(ctx: Ctx, input: z.infer<typeof schema.commitInput>) {
  const imp = await loadOwn(ctx, input.importId, ['report']);
  if (imp.status !== 'ready') throw new TRPCError({ code: 'CONFLICT', message: conflictFor(imp.status) });
  const report = imp.report as unknown as StoredReport;
  if (report.problems.length) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: `The file cannot be imported as read: ${report.problems.map((p) => p.message).join(' ')} Correct the mapping or the file.`,
    });
  }
  if (report.stats.lines === 0) {
    throw new TRPCError({ code: 'CONFLICT', message: 'There are no lines to import.' });
  }
  if (report.stats.rejectedCells > 0 && !input.skipRejected) {
    const n = report.stats.rejectedCells;
    throw new TRPCError({
      code: 'CONFLICT',
      message: `${n.toLocaleString('en-US')} cell${n === 1 ? ' was' : 's were'} rejected. Import the valid rows and leave ${n === 1 ? 'it' : 'them'} out (skipRejected), or fix the file and start again.`,
    });
  }
  // Access again: it may have been taken away since the start.
  await targetFacts(ctx, imp.target as schema.ImportTarget);
  await transition(
    ctx,
    imp,
    ['ready'],
    { status: 'importing', processedRows: 0, totalRows: report.stats.lines, error: null },
    'This import changed meanwhile; reload it.',
    (em) => ctx.services.jobs.send(queues.budgetImportCommit, { importId: imp.id }, { em, traceId: ctx.traceId }),
  );
  return get(ctx, { importId: imp.id });
}

/** Lets an import go before its commit: nothing is written, its file and staged lines are dropped. */
export async function cancel(ctx: Ctx, { importId }: { importId: string }) {
  const imp = await loadOwn(ctx, importId);
  if (!['queued', 'parsing', 'ready'].includes(imp.status)) {
    throw new TRPCError({ code: 'CONFLICT', message: conflictFor(imp.status) });
  }
  await transition(
    ctx,
    imp,
    ['queued', 'parsing', 'ready'],
    { status: 'cancelled', finishedAt: ctx.services.clock.now(), sourceToken: null },
    conflictFor('importing'),
    async (em) => {
      await query(em, 'delete from import_files where import_id = $1', [imp.id]);
      await query(em, 'delete from import_lines where import_id = $1', [imp.id]);
    },
  );
  return get(ctx, { importId });
}
