/**
 * A budget import from the command line, for scripted use, with the same checks as the web page
 * (README "Budget imports"):
 *
 *   npm run import -- <file|google-sheets-url> --goal <id> [--budget <id> [--mode replace|merge]]
 *                     [--name <new budget's name>] [--sheet <name>] [--locale de-DE]
 *                     [--dry-run] [--skip-rejected] [--json] [--as <email>]
 *
 * It starts an import as `--as` (default: the owner of the goal, or of the budget), reads the file
 * in this process (the parse job's own code), and prints the dry-run report (JSON with --json).
 * With --dry-run nothing is written and the import is let go. Otherwise every row is committed in
 * one transaction (the commit job's own code), unless cells were rejected (then nothing is written
 * unless --skip-rejected says to leave them out) or the file cannot be imported as read.
 *
 * Exit codes: 0 imported (or a clean dry run); 1 rows rejected or a problem, nothing written;
 * 2 wrong usage.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type ActorContext,
  CommandRefused,
  commitImportJob,
  createLogger,
  importsService,
  newTraceId,
  parseImportJob,
  type Services,
  settingsFrom,
  systemClock,
} from '@goalpost/api';
import { type ImportTarget, importFormData } from '@goalpost/api/imports';
import { query } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import { loadConfig, localUrl } from '../config.ts';
import { cliDatabase, exitWithUsage, openCliOrm, readyOrganisation } from './database.ts';

const USAGE = `Usage: npm run import -- <file|google-sheets-url> --goal <id> [--budget <id>] [--mode replace|merge]
         [--name <budget name>] [--sheet <name>] [--locale <locale>] [--dry-run] [--skip-rejected] [--json] [--as <email>]`;

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      goal: { type: 'string' },
      budget: { type: 'string' },
      mode: { type: 'string', default: 'replace' },
      name: { type: 'string' },
      sheet: { type: 'string' },
      locale: { type: 'string', default: 'en-US' },
      'dry-run': { type: 'boolean', default: false },
      'skip-rejected': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      as: { type: 'string' },
    },
  });
}
try {
  args = parse();
} catch (error) {
  exitWithUsage(`${(error as Error).message}\n${USAGE}`);
}
const { values: opts, positionals } = args;
const source = positionals[0];
if (positionals.length !== 1 || !source || !opts.goal || !['replace', 'merge'].includes(opts.mode ?? '')) {
  exitWithUsage(USAGE);
}

const config = loadConfig();
const settings = settingsFrom(config, localUrl(config));
const db = await cliDatabase(config);
const orm = await openCliOrm(db.url, 3);
const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
const out = (text: string) => process.stdout.write(`${text}\n`);
let exitCode = 0;
try {
  const org = await readyOrganisation(orm);
  const em = orm.em.fork();
  const [who] = await query<{ id: string; email: string; name: string; status: string; roles: string[] }>(
    em,
    `select u.id, u.email, u.name, u.status,
            array(select r.key::text from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id) as roles
     from users u
     where u.org_id = $1 and (case when $2::text is not null then lower(u.email) = lower($2)
            when $3::uuid is not null then u.id = (select owner_id from budgets where id = $3::uuid)
            else u.id = (select owner_id from goals where id = $4::uuid) end)`,
    [org.id, opts.as ?? null, opts.budget ?? null, opts.goal],
  );
  if (!who || who.status !== 'active') {
    throw new CommandRefused(
      opts.as ? `No active user ${opts.as}.` : 'No such goal or budget (give --as <email> to act as someone).',
    );
  }
  // The CLI is its own worker: jobs the service queues are run right here, in order.
  const queued: { name: string; importId: string }[] = [];
  const services = {
    orm,
    orgId: org.id,
    settings,
    clock: systemClock,
    log,
    jobs: {
      async send(queue: { name: string }, payload: { importId: string }) {
        queued.push({ name: queue.name, importId: payload.importId });
      },
      async sendMany() {},
    },
  } as unknown as Services;
  const traceId = newTraceId();
  const ctx: ActorContext = {
    em,
    services,
    traceId,
    actor: { id: who.id, orgId: org.id, email: who.email, name: who.name, roles: who.roles as never, sessionId: '' },
  };
  const target: ImportTarget = opts.budget
    ? { kind: 'budget', budgetId: opts.budget, mode: opts.mode as 'replace' | 'merge' }
    : {
        kind: 'new-budget',
        goalId: opts.goal,
        name: opts.name ?? basename(source).replace(/\.[^.]*$/, ''),
        granularity: 'monthly',
      };
  const options = { locale: opts.locale ?? 'en-US', ...(opts.sheet ? { sheet: opts.sheet } : {}) };
  const isLink = /^https?:\/\//.test(source);
  if (opts.budget) {
    const [budget] = await query<{ goal_id: string }>(em, 'select goal_id from budgets where id = $1', [opts.budget]);
    if (budget && budget.goal_id !== opts.goal) throw new CommandRefused('That budget belongs to another goal.');
  }
  const started = await call(() =>
    isLink
      ? importsService.start(ctx, { source: { kind: 'google', url: source }, target, options })
      : readFile(source).then((bytes) =>
          importsService.start(ctx, importFormData(new Blob([bytes]), basename(source), { target, options })),
        ),
  );
  const runQueued = async () => {
    for (let job = queued.shift(); job; job = queued.shift()) {
      const jobCtx = { em: orm.em.fork(), services, actor: null, traceId };
      if (job.name === 'budget-import-parse') await parseImportJob(jobCtx, job, { last: true }).catch(() => {});
      else await commitImportJob(jobCtx, job, { last: true }).catch(() => {});
    }
  };
  await runQueued();
  const fresh = () => importsService.get({ ...ctx, em: orm.em.fork() }, { importId: started.id });
  const ready = await fresh();
  const parse = ready.parse;
  const rejected = parse?.stats.rejectedCells ?? 0;
  const blocked = ready.state !== 'ready' || !ready.canCommit;
  let outcome: Awaited<ReturnType<typeof fresh>> = ready;
  let committed = false;
  if (!opts['dry-run'] && !blocked && (rejected === 0 || opts['skip-rejected'])) {
    await call(() =>
      importsService.commit({ ...ctx, em: orm.em.fork() }, { importId: started.id, skipRejected: true }),
    );
    await runQueued();
    outcome = await fresh();
    committed = outcome.state === 'done';
  } else if (ready.state === 'ready') {
    outcome = await importsService.cancel({ ...ctx, em: orm.em.fork() }, { importId: started.id });
  }
  exitCode = committed || (opts['dry-run'] && !blocked && rejected === 0) ? 0 : 1;
  if (opts.json) {
    out(
      JSON.stringify(
        {
          importId: outcome.id,
          state: outcome.state,
          dryRun: opts['dry-run'],
          committed,
          error: outcome.error,
          sheet: parse?.sheet ?? null,
          headerRow: parse?.headerRow ?? null,
          mapping: parse?.mapping ?? null,
          stats: parse?.stats ?? null,
          problems: parse?.problems ?? [],
          warnings: parse?.warnings ?? [],
          rejected: parse?.rejected ?? [],
          rejectedTotal: rejected,
          mismatches: parse?.mismatches ?? [],
          diff: parse?.diff ?? null,
          result: outcome.result,
        },
        (_key, value) => (typeof value === 'bigint' ? value.toString() : value),
        2,
      ),
    );
  } else {
    out(`Import ${outcome.id} of ${ready.fileName}: ${outcome.state}${outcome.error ? ` (${outcome.error})` : ''}`);
    if (parse) {
      const s = parse.stats;
      out(
        `Sheet ${parse.sheet}, header row ${parse.headerRow ?? '-'}: ${s.lines} lines, ${s.cells} cells, ${s.rejectedCells} rejected cells, ${s.totalRows} total rows`,
      );
      for (const p of parse.problems) out(`Problem: ${p.message}`);
      for (const w of parse.warnings) out(`Warning: ${w}`);
      for (const r of parse.rejected)
        out(`Rejected ${r.coordinate} (${r.rule}) ${JSON.stringify(r.value)}: ${r.message}`);
      if (rejected > parse.rejected.length) out(`… and ${rejected - parse.rejected.length} more rejected cells`);
      for (const m of parse.mismatches)
        out(`Total ${m.coordinate} (${m.label}): found ${m.found}, lines add up to ${m.expected}`);
      if (parse.diff) {
        const d = parse.diff;
        out(
          `Diff (${d.mode}): ${d.lines.added} lines added, ${d.lines.changed} changed, ${d.lines.removed} removed, ${d.lines.unchanged} unchanged`,
        );
      }
    }
    if (committed && outcome.result) {
      out(
        `Imported into budget ${outcome.result.budgetId}: ${outcome.result.lines.added} lines added, ${outcome.result.lines.changed} changed, ${outcome.result.lines.removed} removed, ${outcome.result.cells.written} cells written.`,
      );
    } else if (opts['dry-run']) {
      out('Dry run: nothing was written.');
    } else {
      out(
        rejected && !opts['skip-rejected'] && !blocked
          ? 'Nothing was written: cells were rejected. Fix the file, or pass --skip-rejected to import the valid rows.'
          : 'Nothing was written.',
      );
    }
  }
} catch (error) {
  if (!(error instanceof CommandRefused)) throw error;
  console.error(error.message);
  exitCode = 1;
} finally {
  await orm.close();
  await db.stop();
}
process.exit(exitCode);

/** A service call whose refusal (NOT_FOUND, BAD_REQUEST, …) is the command's message. */
async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof TRPCError) throw new CommandRefused(error.message);
    throw error;
  }
}
