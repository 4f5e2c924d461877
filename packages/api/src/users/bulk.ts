/**
 * Bulk registration from CSV (email, name, roles). Checking is separate from committing: the dry
 * run reports every bad row (line, field, reason) and writes no user; the commit job checks the
 * same stored file again and writes all rows in one transaction, or none.
 */

import { Import, insertRows, ROLE_KEYS, Role, type RoleKey } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { recordAudit } from '../audit/service.ts';
import { linkUrl } from '../auth/links.ts';
import { generateToken, hashToken } from '../auth/token.ts';
import type { ActorContext, ServiceContext } from '../context.ts';
import { queueDelivery } from '../mail/service.ts';
import { inviteMail } from '../mail/templates.ts';
import { emit } from '../outbox/service.ts';

export interface BulkRowError {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  field: 'email' | 'name' | 'roles' | 'file';
  value: string;
  message: string;
}

export interface BulkRow {
  line: number;
  email: string;
  name: string;
  roles: RoleKey[];
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
    return {
      rows: [],
      errors: [{ line, field: 'file', value: '', message: `The file is not valid CSV: ${(error as Error).message}` }],
    };
  }
  const [header, ...body] = records;
  if (!header) {
    return { rows: [], errors: [{ line: 1, field: 'file', value: '', message: 'The file is empty.' }] };
  }
  const headerLine = firstLine(header.info.lines, header.raw);
  const columns = header.record.map((h) => HEADER_ALIASES[h.toLowerCase()]);
  const at = (name: 'email' | 'name' | 'roles') => columns.indexOf(name);
  if (at('email') < 0 || at('name') < 0) {
    return {
      rows: [],
      errors: [
        {
          line: headerLine,
          field: 'file',
          value: header.record.join(','),
          message: 'The first line must name the columns: email, name and (optionally) roles.',
        },
      ],
    };
  }
  if (body.length > maxRows) {
    return {
      rows: [],
      errors: [
        {
          line: 0,
          field: 'file',
          value: String(body.length),
          message: `The file has ${body.length} rows; the limit is ${maxRows}. Split it.`,
        },
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
    const email = rawEmail.toLowerCase();
    if (!email) rowErrors.push({ line, field: 'email', value: rawEmail, message: 'Email is missing.' });
    else if (email.length > 320 || !emailSchema.safeParse(email).success)
      rowErrors.push({ line, field: 'email', value: rawEmail, message: 'Not a valid email address.' });
    else if (seen.has(email))
      rowErrors.push({ line, field: 'email', value: rawEmail, message: `Same email as line ${seen.get(email)}.` });
    else seen.set(email, line);
    if (!rawName) rowErrors.push({ line, field: 'name', value: rawName, message: 'Name is missing.' });
    else if (rawName.length > 200)
      rowErrors.push({
        line,
        field: 'name',
        value: rawName.slice(0, 40),
        message: 'Name is longer than 200 characters.',
      });
    const roleWords = rawRoles
      .split(/[;|,\s]+/)
      .filter(Boolean)
      .map((r) => r.toLowerCase());
    const unknown = roleWords.filter((r) => !(ROLE_KEYS as readonly string[]).includes(r));
    if (unknown.length)
      rowErrors.push({
        line,
        field: 'roles',
        value: rawRoles,
        message: `Unknown role ${unknown.map((r) => `"${r}"`).join(', ')}. Use ${ROLE_KEYS.join(', ')}.`,
      });
    if (rowErrors.length) errors.push(...rowErrors);
    else
      rows.push({
        line,
        email,
        name: rawName,
        roles: roleWords.length ? [...new Set(roleWords as RoleKey[])] : ['user'],
      });
  }
  return { rows, errors };
}

/** Parses and also checks against the database: an email that already has an account is an error. */
export async function checkUserCsv(em: EntityManager, orgId: string, csv: string, maxRows: number) {
  const { rows, errors } = parseUserCsv(csv, maxRows);
  const emails = rows.map((r) => r.email);
  const taken = new Set<string>();
  for (let i = 0; i < emails.length; i += 5000) {
    const found: { email: string }[] = await em.execute('select email from users where org_id = ? and email in (?)', [
      orgId,
      emails.slice(i, i + 5000),
    ]);
    for (const f of found) taken.add(f.email);
  }
  const valid: BulkRow[] = [];
  for (const row of rows) {
    if (taken.has(row.email))
      errors.push({
        line: row.line,
        field: 'email',
        value: row.email,
        message: 'A user with this email already exists.',
      });
    else valid.push(row);
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows: valid, errors, totalRows: valid.length + new Set(errors.map((e) => e.line)).size };
}

export function summarise(imp: Import) {
  return {
    importId: imp.id,
    fileName: imp.fileName,
    status: imp.status,
    totalRows: imp.totalRows,
    processedRows: imp.processedRows,
    errorCount: imp.errorCount,
    error: imp.error,
    createdAt: imp.createdAt,
    finishedAt: imp.finishedAt,
  };
}

/** The dry run: stores the file and the report, writes no user. */
export async function validate(ctx: ActorContext, input: { fileName: string; csv: string }) {
  const { em, services, actor } = ctx;
  const { rows, errors, totalRows } = await checkUserCsv(em, services.orgId, input.csv, services.settings.bulkMaxRows);
  const now = services.clock.now();
  const imp = em.create(Import, {
    org: services.orgId,
    kind: 'users',
    createdBy: actor.id,
    status: errors.length ? 'failed' : 'validated',
    fileName: input.fileName,
    contentType: 'text/csv',
    content: errors.length ? null : input.csv,
    totalRows,
    processedRows: 0,
    errorCount: errors.length,
    report: { errors },
    error: errors.length
      ? `${errors.length} problem${errors.length === 1 ? '' : 's'} found; fix the file and upload it again.`
      : null,
    createdAt: now,
    updatedAt: now,
  });
  await em.flush();
  return { ...summarise(imp), validRows: rows.length, errors };
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
  created_at: 'timestamptz',
};

/**
 * The commit, run by the users-bulk-register job. An advisory lock serialises runs of one import
 * (a retried or duplicated job waits, then finds it done); progress goes through a separate
 * connection so the page can show it while the transaction is still open. A failure rolls the
 * whole transaction back; it is rethrown so the job retries with backoff (a database restart, a
 * killed worker), and only the last attempt marks the import failed.
 */
export async function commit(
  ctx: ServiceContext,
  { importId }: { importId: string },
  attempt: { last: boolean } = { last: true },
): Promise<'done' | 'failed' | 'skipped'> {
  const { services } = ctx;
  const progress = (data: Partial<Pick<Import, 'status' | 'processedRows' | 'error' | 'finishedAt'>>) =>
    services.orm.em.fork().nativeUpdate(Import, { id: importId }, { ...data, updatedAt: services.clock.now() });
  try {
    return await writeUserImport(ctx, importId, progress);
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
  importId: string,
  progress: (data: Partial<Pick<Import, 'status' | 'processedRows' | 'error'>>) => Promise<unknown>,
) {
  const { services } = ctx;
  return ctx.em.fork().transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [importId]);
    const imp = await tx.findOne(Import, { id: importId, kind: 'users' }, { populate: ['content', 'createdBy'] });
    if (!imp || imp.status === 'done' || imp.status === 'failed' || !imp.content) return 'skipped' as const;
    const { rows, errors } = await checkUserCsv(tx, services.orgId, imp.content, services.settings.bulkMaxRows);
    const now = services.clock.now();
    if (errors.length) {
      imp.status = 'failed';
      imp.errorCount = errors.length;
      imp.report = { errors };
      imp.error = `Since the check, ${errors.length} row${errors.length === 1 ? '' : 's'} became invalid (for example an email was registered meanwhile). Nothing was written; check the file again.`;
      imp.finishedAt = now;
      emitFinished({ ...ctx, em: tx }, imp);
      return 'failed' as const;
    }
    await progress({ status: 'running', processedRows: 0, error: null });
    const roles = new Map((await tx.find(Role, { org: services.orgId })).map((r) => [r.key, r.id]));
    const inviter = imp.createdBy.name;
    const org = services.orgId;
    const expiresAt = new Date(now.getTime() + services.settings.inviteTokenDays * 86_400_000);
    const mailStatus = services.settings.smtpConfigured ? 'queued' : 'captured';
    const txCtx = { ...ctx, em: tx };
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows
        .slice(i, i + CHUNK)
        .map((row) => ({ ...row, id: crypto.randomUUID(), token: generateToken() }));
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
            granted_by_id: imp.createdBy.id,
            granted_at: now,
          })),
        ),
      );
      await insertRows(
        tx,
        'password_reset_tokens',
        TOKEN_COLUMNS,
        chunk.map((u) => ({
          id: hashToken(u.token),
          org_id: org,
          user_id: u.id,
          purpose: 'invite',
          expires_at: expiresAt,
          created_at: now,
        })),
      );
      const mails = chunk.map((u) => {
        const url = linkUrl(services, 'invite', u.token);
        const mail = inviteMail({ name: u.name, invitedBy: inviter, url, days: services.settings.inviteTokenDays });
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
          created_at: now,
        };
      });
      await insertRows(tx, 'mail_messages', MAIL_COLUMNS, mails);
      // Delivery jobs commit with the users: none is lost, none is sent for a rolled-back user.
      await queueDelivery(
        txCtx,
        mails.map((m) => m.id),
      );
      await progress({ processedRows: Math.min(i + CHUNK, rows.length) });
    }
    imp.status = 'done';
    imp.processedRows = rows.length;
    imp.content = null;
    imp.error = null;
    imp.finishedAt = services.clock.now();
    recordAudit(
      txCtx,
      'user.bulk-registered',
      null,
      { importId, count: rows.length, fileName: imp.fileName },
      {
        actorId: imp.createdBy.id,
      },
    );
    emitFinished(txCtx, imp);
    return 'done' as const;
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
