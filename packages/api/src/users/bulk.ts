/**
 * Bulk registration from CSV (email, name, roles). Checking is separate from committing: the dry
 * run sorts every row into new people, people who already have an account, and rows with problems
 * (line, field, value, and whose row it is), and writes no user. The admin then chooses: register
 * the new people and skip the problems (the report is kept), and for existing people either leave
 * them or set their name and roles from the file. The commit job checks the same stored file again
 * and applies that choice in one transaction: every row of it, or none.
 */

import { Import, insertRows, ROLE_KEYS, Role, type RoleKey, type UserStatus } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { recordAudit, recordAuditMany } from '../audit/service.ts';
import { linkUrl } from '../auth/links.ts';
import { userChanged } from '../auth/session.ts';
import { generateToken, hashToken } from '../auth/token.ts';
import type { ActorContext, ServiceContext, Services } from '../context.ts';
import { newMailStatus, queueDelivery } from '../mail/service.ts';
import { inviteMail } from '../mail/templates.ts';
import { emit } from '../outbox/service.ts';
import { queues } from '../queues.ts';
import { activeAdminsExcept, lockAdmins } from './admins.ts';

export interface BulkRowError {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  field: 'email' | 'name' | 'roles' | 'file';
  value: string;
  message: string;
  /** Whose row it is, as written in the file (empty for problems with the whole file). */
  email: string;
  name: string;
}

export interface BulkRow {
  line: number;
  email: string;
  name: string;
  /** The roles a new person gets: the file's, or `user` when the cell is empty. */
  roles: RoleKey[];
  /** Whether the file names roles for this row; only then are an existing person's roles replaced. */
  rolesGiven: boolean;
}

/** A row for someone who already has an account, and what updating them from the file would change. */
export interface ExistingRow {
  line: number;
  userId: string;
  email: string;
  status: UserStatus;
  name: { from: string; to: string } | null;
  roles: { from: RoleKey[]; to: RoleKey[] } | null;
}

const HEADER_ALIASES: Record<string, 'email' | 'name' | 'roles'> = {
  email: 'email',
  'e-mail': 'email',
  'email address': 'email',
  name: 'name',
  'full name': 'name',
  roles: 'roles',
  role: 'roles',
};

const emailSchema = z.email();

/**
 * csv-parse reports the line a record ends on; a spreadsheet shows where it starts. They differ
 * when a quoted value holds line breaks.
 */
function firstLine(endLine: number, raw: string): number {
  // raw also carries the blank lines skipped before the record.
  const record = raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
  return endLine - (record.match(/\n/g)?.length ?? 0);
}

/** Excel writes `;` or tab in some locales: the header line tells which one this file uses. */
function detectDelimiter(csv: string): string {
  const header = csv.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length - 1] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/** A problem with the whole file rather than one row. */
function fileProblem(line: number, value: string, message: string): BulkRowError {
  return { line, field: 'file', value, message, email: '', name: '' };
}

export function parseUserCsv(csv: string, maxRows: number): { rows: BulkRow[]; errors: BulkRowError[] } {
  const errors: BulkRowError[] = [];
  let records: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    records = parse(csv, {
      bom: true,
      delimiter: detectDelimiter(csv),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
      raw: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = Number((error as { lines?: number }).lines ?? 0);
    return { rows: [], errors: [fileProblem(line, '', `The file is not valid CSV: ${(error as Error).message}`)] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], errors: [fileProblem(1, '', 'The file is empty.')] };
  const headerLine = firstLine(header.info.lines, header.raw);
  const columns = header.record.map((h) => HEADER_ALIASES[h.toLowerCase()]);
  const at = (name: 'email' | 'name' | 'roles') => columns.indexOf(name);
  if (at('email') < 0 || at('name') < 0) {
    return {
      rows: [],
      errors: [
        fileProblem(
          headerLine,
          header.record.join(','),
          'The first line must name the columns: email, name and (optionally) roles.',
        ),
      ],
    };
  }
  if (body.length > maxRows) {
    return {
      rows: [],
      errors: [
        fileProblem(0, String(body.length), `The file has ${body.length} rows; the limit is ${maxRows}. Split it.`),
      ],
    };
  }
  const rows: BulkRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info, raw } of body) {
    const line = firstLine(info.lines, raw);
    const rawEmail = record[at('email')] ?? '';
    const rawName = record[at('name')] ?? '';
    const rawRoles = at('roles') >= 0 ? (record[at('roles')] ?? '') : '';
    const rowErrors: BulkRowError[] = [];
    // Each problem says whose row it is, so a 2,000-line report can be read without the file.
    const problem = (field: BulkRowError['field'], value: string, message: string) =>
      rowErrors.push({ line, field, value, message, email: rawEmail, name: rawName.slice(0, 200) });
    const email = rawEmail.toLowerCase();
    if (!email) problem('email', rawEmail, 'Email is missing.');
    else if (email.length > 320 || !emailSchema.safeParse(email).success)
      problem('email', rawEmail, 'Not a valid email address.');
    else if (seen.has(email)) problem('email', rawEmail, `Same email as line ${seen.get(email)}.`);
    else seen.set(email, line);
    if (!rawName) problem('name', rawName, 'Name is missing.');
    else if (rawName.length > 200) problem('name', rawName.slice(0, 40), 'Name is longer than 200 characters.');
    const roleWords = rawRoles
      .split(/[;|,\s]+/)
      .filter(Boolean)
      .map((r) => r.toLowerCase());
    const unknown = roleWords.filter((r) => !(ROLE_KEYS as readonly string[]).includes(r));
    if (unknown.length)
      problem(
        'roles',
        rawRoles,
        `Unknown role ${unknown.map((r) => `"${r}"`).join(', ')}. Use ${ROLE_KEYS.join(', ')}.`,
      );
    if (rowErrors.length) errors.push(...rowErrors);
    else
      rows.push({
        line,
        email,
        name: rawName,
        roles: roleWords.length ? [...new Set(roleWords as RoleKey[])].sort() : ['user'],
        rolesGiven: roleWords.length > 0,
      });
  }
  return { rows, errors };
}

export interface CheckedFile {
  /** People to register. */
  newRows: BulkRow[];
  /** People who already have an account, with what the file would change (nothing, for some). */
  existing: { row: BulkRow; match: ExistingRow }[];
  errors: BulkRowError[];
  /** Lines with at least one problem. */
  problemRows: number;
  totalRows: number;
  /** A problem with the whole file (no header, not CSV, too long): nothing in it can be used. */
  unusable: boolean;
}

/** Parses the file and sorts its rows against the database: new people, existing people, problems. */
export async function checkUserCsv(em: EntityManager, orgId: string, csv: string, maxRows: number) {
  const { rows, errors } = parseUserCsv(csv, maxRows);
  const current = new Map<string, { id: string; name: string; status: UserStatus; roles: RoleKey[] }>();
  for (let i = 0; i < rows.length; i += 5000) {
    const found = await em.execute<{ id: string; email: string; name: string; status: UserStatus; roles: RoleKey[] }[]>(
      `select u.id, u.email, u.name, u.status,
              coalesce(array_agg(r.key order by r.key) filter (where r.key is not null), '{}') as roles
       from users u left join user_roles ur on ur.user_id = u.id left join roles r on r.id = ur.role_id
       where u.org_id = ? and u.email in (?) group by u.id`,
      [orgId, rows.slice(i, i + 5000).map((r) => r.email)],
    );
    for (const f of found) current.set(f.email, f);
  }
  const newRows: BulkRow[] = [];
  const existing: CheckedFile['existing'] = [];
  for (const row of rows) {
    const user = current.get(row.email);
    if (!user) {
      newRows.push(row);
      continue;
    }
    const rolesDiffer = row.rolesGiven && row.roles.join(',') !== user.roles.join(',');
    existing.push({
      row,
      match: {
        line: row.line,
        userId: user.id,
        email: row.email,
        status: user.status,
        name: user.name === row.name ? null : { from: user.name, to: row.name },
        roles: rolesDiffer ? { from: user.roles, to: row.roles } : null,
      },
    });
  }
  const problemRows = new Set(errors.map((e) => e.line)).size;
  return {
    newRows,
    existing,
    errors,
    problemRows,
    totalRows: rows.length + problemRows,
    unusable: errors.some((e) => e.field === 'file'),
  } satisfies CheckedFile;
}

/** Existing rows the file would change if the admin chooses to update. */
export function changesOf(checked: Pick<CheckedFile, 'existing'>): ExistingRow[] {
  return checked.existing.filter((e) => e.match.name || e.match.roles).map((e) => e.match);
}

export function summarise(imp: Import) {
  return {
    importId: imp.id,
    fileName: imp.fileName,
    status: imp.status,
    totalRows: imp.totalRows,
    processedRows: imp.processedRows,
    errorCount: imp.errorCount,
    problemRows: imp.problemRows,
    existingRows: imp.existingRows,
    createdRows: imp.createdRows,
    updatedRows: imp.updatedRows,
    skippedRows: imp.skippedRows,
    error: imp.error,
    createdAt: imp.createdAt,
    finishedAt: imp.finishedAt,
  };
}

/** The most report rows a check answers with; the page asks for the rest a page at a time. */
const INLINE_REPORT = 100;

/** The dry run: stores the file and the report, writes no user. */
export async function validate(ctx: ActorContext, input: { fileName: string; csv: string }) {
  const { em, services, actor } = ctx;
  const checked = await checkUserCsv(em, services.orgId, input.csv, services.settings.bulkMaxRows);
  const { newRows, existing, errors, problemRows, totalRows, unusable } = checked;
  const changes = changesOf(checked);
  const usable = !unusable && newRows.length + existing.length > 0;
  const now = services.clock.now();
  const imp = em.create(Import, {
    org: services.orgId,
    kind: 'users',
    createdBy: actor.id,
    status: usable ? 'validated' : 'failed',
    fileName: input.fileName,
    contentType: 'text/csv',
    content: usable ? input.csv : null,
    totalRows,
    processedRows: 0,
    errorCount: errors.length,
    problemRows,
    existingRows: existing.length,
    report: { errors, changes },
    error: usable
      ? null
      : unusable
        ? 'The file cannot be read as a staff list; fix it and check it again.'
        : 'No row can be registered; fix the file and check it again.',
    createdAt: now,
    updatedAt: now,
  });
  await em.flush();
  return {
    ...summarise(imp),
    validRows: newRows.length,
    changedRows: changes.length,
    errors: errors.slice(0, INLINE_REPORT),
    changes: changes.slice(0, INLINE_REPORT),
  };
}

async function loadImport({ em, services }: ActorContext, importId: string, populate: ('report' | 'content')[] = []) {
  const imp = await em.findOne(Import, { id: importId, org: services.orgId, kind: 'users' }, { populate });
  if (!imp) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such import. Upload the file again.' });
  return imp;
}

function reportOf(imp: Import): { errors: BulkRowError[]; changes: ExistingRow[] } {
  const report = (imp.report ?? {}) as { errors?: BulkRowError[]; changes?: ExistingRow[] };
  return { errors: report.errors ?? [], changes: report.changes ?? [] };
}

function pageOf<T>(all: T[], input: { page: number; pageSize: number }) {
  const start = (input.page - 1) * input.pageSize;
  return {
    items: all.slice(start, start + input.pageSize),
    total: all.length,
    page: input.page,
    pageSize: input.pageSize,
  };
}

/** The problems found in a file, a page at a time (and all of them, page by page, for the report). */
export async function errorsPage(ctx: ActorContext, input: { importId: string; page: number; pageSize: number }) {
  return pageOf(reportOf(await loadImport(ctx, input.importId, ['report'])).errors, input);
}

/** What updating existing people from the file would change, a page at a time. */
export async function existingPage(ctx: ActorContext, input: { importId: string; page: number; pageSize: number }) {
  return pageOf(reportOf(await loadImport(ctx, input.importId, ['report'])).changes, input);
}

export async function status(ctx: ActorContext, { importId }: { importId: string }) {
  return { ...summarise(await loadImport(ctx, importId)), mail: newMailStatus(ctx.services) };
}

/**
 * Queues a checked file for the commit job with the admin's choices. Rows with problems are only
 * left out when the admin says so; existing people are only touched when the admin chooses to
 * update them. The state change and the job commit together: two clicks queue one job, and a job
 * is never lost.
 */
export async function queueCommit(
  ctx: ActorContext,
  input: { importId: string; skipProblems: boolean; existing?: 'skip' | 'update' | undefined },
) {
  const imp = await loadImport(ctx, input.importId);
  if (imp.status !== 'validated') {
    const why =
      imp.status === 'failed'
        ? 'Nothing in this file can be registered; fix it and check the file again.'
        : 'This import has already been started.';
    throw new TRPCError({ code: 'CONFLICT', message: why });
  }
  if (imp.problemRows > 0 && !input.skipProblems) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: `${plural(imp.problemRows, 'row')} ${imp.problemRows === 1 ? 'has' : 'have'} problems. Register the other rows and skip ${imp.problemRows === 1 ? 'it' : 'them'}, or fix the file and check it again.`,
    });
  }
  if (imp.existingRows > 0 && !input.existing) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `existing: ${plural(imp.existingRows, 'person', 'people')} in the file already ${imp.existingRows === 1 ? 'has' : 'have'} an account. Choose whether to skip them or to update their name and roles.`,
    });
  }
  await ctx.em.transactional(async (em) => {
    const claimed = await em.nativeUpdate(
      Import,
      { id: imp.id, status: 'validated' },
      { status: 'queued', updatedAt: ctx.services.clock.now() },
    );
    if (!claimed) throw new TRPCError({ code: 'CONFLICT', message: 'This import has already been started.' });
    await ctx.services.jobs.send(
      queues.usersBulkRegister,
      { importId: imp.id, existing: input.existing ?? 'skip' },
      { em, traceId: ctx.traceId },
    );
  });
  return { ...summarise(imp), status: 'queued' as const };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

const CHUNK = 1000;

// Column types for the set-based inserts below (see insertRows); they mirror the entities.
const USER_COLUMNS = {
  id: 'uuid',
  org_id: 'uuid',
  email: 'varchar',
  name: 'varchar',
  status: 'text',
  failed_login_count: 'int',
  time_zone: 'varchar',
  locale: 'varchar',
  source_import_id: 'uuid',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
};
const USER_ROLE_COLUMNS = {
  user_id: 'uuid',
  role_id: 'uuid',
  org_id: 'uuid',
  granted_by_id: 'uuid',
  granted_at: 'timestamptz',
};
const TOKEN_COLUMNS = {
  id: 'varchar',
  org_id: 'uuid',
  user_id: 'uuid',
  purpose: 'text',
  expires_at: 'timestamptz',
  created_at: 'timestamptz',
};
const MAIL_COLUMNS = {
  id: 'uuid',
  org_id: 'uuid',
  to_address: 'varchar',
  to_user_id: 'uuid',
  kind: 'varchar',
  subject: 'varchar',
  text: 'text',
  html: 'text',
  status: 'text',
  attempts: 'int',
  link_token_id: 'varchar',
  created_at: 'timestamptz',
};

/**
 * Fresh invite links for many invited people in one go: their unused invite links are retired
 * (superseded) and new ones written, two statements whatever the number. Returns each person's
 * link; only the hashes are stored.
 */
async function mintInvites(
  em: EntityManager,
  services: Services,
  userIds: string[],
  now: Date,
  { retire }: { retire: boolean },
) {
  const expiresAt = new Date(now.getTime() + services.settings.inviteTokenDays * 86_400_000);
  if (retire) {
    await em.execute(
      `update password_reset_tokens set used_at = ?, superseded_at = ?
     where purpose = 'invite' and used_at is null
       and user_id in (select value::uuid from json_array_elements_text(?::json))`,
      [now, now, JSON.stringify(userIds)],
    );
  }
  const links = userIds.map((userId) => {
    const token = generateToken();
    return { userId, tokenId: hashToken(token), url: linkUrl(services, 'invite', token) };
  });
  await insertRows(
    em,
    'password_reset_tokens',
    TOKEN_COLUMNS,
    links.map((l) => ({
      id: l.tokenId,
      org_id: services.orgId,
      user_id: l.userId,
      purpose: 'invite',
      expires_at: expiresAt,
      created_at: now,
    })),
  );
  return { links, expiresAt };
}

/**
 * The commit, run by the users-bulk-register job. An advisory lock serialises runs of one import
 * (a retried or duplicated job waits, then finds it done); progress goes through a separate
 * connection so the page can show it while the transaction is still open. A failure rolls the
 * whole transaction back; it is rethrown so the job retries with backoff (a database restart, a
 * killed worker), and only the last attempt marks the import failed.
 */
export async function commit(
  ctx: ServiceContext,
  payload: { importId: string; existing: 'skip' | 'update' },
  attempt: { last: boolean } = { last: true },
): Promise<'done' | 'failed' | 'skipped'> {
  const { services } = ctx;
  const { importId } = payload;
  const progress = (data: Partial<Pick<Import, 'status' | 'processedRows' | 'error' | 'finishedAt'>>) =>
    services.orm.em.fork().nativeUpdate(Import, { id: importId }, { ...data, updatedAt: services.clock.now() });
  try {
    return await writeUserImport(ctx, payload, progress);
  } catch (error) {
    services.log.error({ importId, traceId: ctx.traceId, err: error, last: attempt.last }, 'bulk registration failed');
    await progress(
      attempt.last
        ? {
            status: 'failed',
            processedRows: 0,
            finishedAt: services.clock.now(),
            error: 'The registration could not be written, so nothing was saved. Check the file again to retry.',
          }
        : { status: 'queued', processedRows: 0, error: 'A problem interrupted the registration; retrying shortly.' },
    );
    throw error;
  }
}

async function writeUserImport(
  ctx: ServiceContext,
  { importId, existing: choice }: { importId: string; existing: 'skip' | 'update' },
  progress: (data: Partial<Pick<Import, 'status' | 'processedRows' | 'error'>>) => Promise<unknown>,
) {
  const { services } = ctx;
  return ctx.em.fork().transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [importId]);
    const imp = await tx.findOne(Import, { id: importId, kind: 'users' }, { populate: ['content', 'createdBy'] });
    if (!imp || imp.status === 'done' || imp.status === 'failed' || !imp.content) return 'skipped' as const;
    // Checked again: someone may have been registered by hand since the check. Such a person is
    // now an existing row, handled by the admin's choice (left alone unless they chose to update).
    const checked = await checkUserCsv(tx, services.orgId, imp.content, services.settings.bulkMaxRows);
    const { newRows, existing, errors, problemRows } = checked;
    const now = services.clock.now();
    const importer = imp.createdBy;
    const source = { importId, fileName: imp.fileName };
    const txCtx = { ...ctx, em: tx };
    const updates = choice === 'update' ? changesOf(checked) : [];
    const finish = (status: 'done' | 'failed', error: string | null) => {
      imp.status = status;
      imp.errorCount = errors.length;
      imp.problemRows = problemRows;
      imp.existingRows = existing.length;
      imp.error = error;
      imp.finishedAt = services.clock.now();
      emitFinished(txCtx, imp);
    };

    if (updates.some((u) => u.roles)) {
      // Replacing roles may take admin away: the same rule and lock as for one person.
      await lockAdmins(tx, services.orgId);
      const touched = updates.filter((u) => u.roles).map((u) => u.userId);
      const staying = updates.filter((u) => u.roles?.to.includes('admin') && u.status === 'active').length;
      if ((await activeAdminsExcept(tx, services.orgId, touched)) + staying === 0) {
        finish(
          'failed',
          'This file would leave no active admin, so nothing was written. Give someone the admin role in the file, or skip the people already registered.',
        );
        imp.content = null;
        return 'failed' as const;
      }
    }

    await progress({ status: 'running', processedRows: 0, error: null });
    const roles = new Map((await tx.find(Role, { org: services.orgId })).map((r) => [r.key, r.id]));
    const org = services.orgId;
    const mailStatus = newMailStatus(services);
    for (let i = 0; i < newRows.length; i += CHUNK) {
      const chunk = newRows.slice(i, i + CHUNK).map((row) => ({ ...row, id: crypto.randomUUID() }));
      await insertRows(
        tx,
        'users',
        USER_COLUMNS,
        chunk.map((u) => ({
          id: u.id,
          org_id: org,
          email: u.email,
          name: u.name,
          status: 'invited',
          failed_login_count: 0,
          time_zone: 'UTC',
          locale: 'en-US',
          source_import_id: importId,
          created_at: now,
          updated_at: now,
        })),
      );
      await insertRows(
        tx,
        'user_roles',
        USER_ROLE_COLUMNS,
        chunk.flatMap((u) =>
          u.roles.map((key) => ({
            user_id: u.id,
            role_id: roles.get(key),
            org_id: org,
            granted_by_id: importer.id,
            granted_at: now,
          })),
        ),
      );
      const { links } = await mintInvites(
        tx,
        services,
        chunk.map((u) => u.id),
        now,
        { retire: false },
      );
      const mails = chunk.map((u, n) => {
        const link = links[n]!;
        const mail = inviteMail({
          name: u.name,
          invitedBy: importer.name,
          url: link.url,
          days: services.settings.inviteTokenDays,
        });
        return {
          id: crypto.randomUUID(),
          org_id: org,
          to_address: u.email,
          to_user_id: u.id,
          kind: mail.kind,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          status: mailStatus,
          attempts: 0,
          link_token_id: link.tokenId,
          created_at: now,
        };
      });
      await insertRows(tx, 'mail_messages', MAIL_COLUMNS, mails);
      // Each person's history says who registered them, from which file, and when.
      await recordAuditMany(
        txCtx,
        'user.invited',
        chunk.map((u) => ({ subjectUserId: u.id, data: { roles: u.roles, ...source } })),
        { actorId: importer.id },
      );
      // Delivery jobs commit with the users: none is lost, none is sent for a rolled-back user.
      await queueDelivery(
        txCtx,
        mails.map((m) => m.id),
      );
      await progress({ processedRows: Math.min(i + CHUNK, newRows.length) });
    }

    if (updates.length) await applyUpdates(txCtx, updates, { roles, importerId: importer.id, source, now });

    finish('done', null);
    imp.processedRows = newRows.length + existing.length;
    imp.createdRows = newRows.length;
    imp.updatedRows = updates.length;
    imp.skippedRows = existing.length - updates.length;
    imp.content = null;
    recordAudit(
      txCtx,
      'user.bulk-registered',
      null,
      {
        ...source,
        count: newRows.length,
        updated: updates.length,
        skipped: existing.length - updates.length,
        problemRows,
        existing: choice,
      },
      { actorId: importer.id },
    );
    return 'done' as const;
  });
}

/**
 * Sets existing people's names and roles from the file, set-based: one statement for the names,
 * two for the roles (drop the ones not in the file, add the missing ones), one for the history.
 */
async function applyUpdates(
  ctx: ServiceContext,
  updates: ExistingRow[],
  opts: { roles: Map<RoleKey, string>; importerId: string; source: { importId: string; fileName: string }; now: Date },
) {
  const { em } = ctx;
  const renamed = updates.filter((u) => u.name).map((u) => ({ id: u.userId, name: u.name!.to }));
  if (renamed.length) {
    await em.execute(
      `update users u set name = x.name, updated_at = ?
       from json_to_recordset(?::json) as x(id uuid, name varchar) where u.id = x.id`,
      [opts.now, JSON.stringify(renamed)],
    );
  }
  const reroled = updates.filter((u) => u.roles);
  // Whoever is signed in among them has a cached session check holding the old name or roles.
  await userChanged(ctx, ...renamed.map((u) => u.id), ...reroled.map((u) => u.userId));
  if (reroled.length) {
    const wanted = reroled.flatMap((u) =>
      u.roles!.to.map((key) => ({ user_id: u.userId, role_id: opts.roles.get(key) })),
    );
    await em.execute(
      `delete from user_roles ur
       where ur.user_id in (select value::uuid from json_array_elements_text(?::json))
         and not exists (select 1 from json_to_recordset(?::json) as x(user_id uuid, role_id uuid)
                         where x.user_id = ur.user_id and x.role_id = ur.role_id)`,
      [JSON.stringify(reroled.map((u) => u.userId)), JSON.stringify(wanted)],
    );
    await em.execute(
      `insert into user_roles (user_id, role_id, org_id, granted_by_id, granted_at)
       select x.user_id, x.role_id, ?, ?, ? from json_to_recordset(?::json) as x(user_id uuid, role_id uuid)
       on conflict do nothing`,
      [ctx.services.orgId, opts.importerId, opts.now, JSON.stringify(wanted)],
    );
  }
  await recordAuditMany(
    ctx,
    'user.updated',
    updates.map((u) => ({
      subjectUserId: u.userId,
      data: { ...(u.name ? { name: u.name } : {}), ...(u.roles ? { roles: u.roles } : {}), ...opts.source },
    })),
    { actorId: opts.importerId },
  );
}

/**
 * The invite links of a finished import, to hand out when there is no mail server: a fresh link
 * for everyone it registered who has not accepted yet. Links are stored only as hashes, so they
 * cannot be read back; minting new ones retires the earlier ones (in the outbox mails, in an
 * earlier list). Audited per person.
 */
export async function inviteLinks(ctx: ActorContext, { importId }: { importId: string }) {
  const imp = await loadImport(ctx, importId);
  if (imp.status !== 'done') {
    throw new TRPCError({ code: 'CONFLICT', message: 'This import has not finished, so it has no invite links yet.' });
  }
  return ctx.em.transactional(async (em) => {
    const people = await em.execute<{ id: string; email: string; name: string }[]>(
      `select id, email, name from users where source_import_id = ? and org_id = ? and status = 'invited'
       order by name, email`,
      [imp.id, ctx.services.orgId],
    );
    const now = ctx.services.clock.now();
    const { links, expiresAt } = await mintInvites(
      em,
      ctx.services,
      people.map((p) => p.id),
      now,
      { retire: true },
    );
    await recordAuditMany(
      { ...ctx, em },
      'user.invite-link-copied',
      people.map((p) => ({ subjectUserId: p.id, data: { importId: imp.id, fileName: imp.fileName } })),
    );
    return {
      fileName: imp.fileName,
      expiresAt,
      items: people.map((p, i) => ({ name: p.name, email: p.email, url: links[i]!.url })),
    };
  });
}

/** Tells whoever started the import that it finished (a notification, through the outbox). */
function emitFinished(ctx: ServiceContext, imp: Import) {
  emit(ctx, {
    topic: 'imports',
    type: 'import.finished',
    key: imp.id,
    payload: {
      importId: imp.id,
      fileName: imp.fileName,
      status: imp.status,
      createdBy: imp.createdBy.id,
      error: imp.error ?? null,
    },
  });
}

/** A checked upload left uncommitted for a day is let go: its stored file is dropped. */
export async function expireStaleImports({ em, services }: ServiceContext): Promise<number> {
  const now = services.clock.now();
  return em.nativeUpdate(
    Import,
    { kind: 'users', status: 'validated', createdAt: { $lte: new Date(now.getTime() - 86_400_000) } },
    {
      status: 'failed',
      content: null,
      error: 'This check expired after a day without being used. Check the file again.',
      updatedAt: now,
    },
  );
}

/**
 * Imports left `queued` or `running` with no sign of life for half an hour lost their job (every
 * retry killed, or the queue purged). A commit is one transaction, so nothing of them was written:
 * say so, so their page stops waiting and the admin can check the file again.
 */
export async function failAbandonedImports({ em, services }: ServiceContext): Promise<number> {
  const now = services.clock.now();
  return em.nativeUpdate(
    Import,
    {
      kind: 'users',
      status: { $in: ['queued', 'running'] },
      updatedAt: { $lte: new Date(now.getTime() - 30 * 60_000) },
    },
    {
      status: 'failed',
      processedRows: 0,
      finishedAt: now,
      error: 'The registration stopped without finishing, so nothing was saved. Check the file again to retry.',
      updatedAt: now,
    },
  );
}
