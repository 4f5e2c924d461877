/**
 * Everything tRPC is built here: the context, the error format, and the kinds of procedure.
 * Domain routers only use `publicProcedure`, `authedProcedure` and `permittedProcedure`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { getTRPCErrorFromUnknown, initTRPC, TRPCError } from '@trpc/server';
import { middlewareMarker } from '@trpc/server/unstable-core-do-not-import';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError, z } from 'zod';
import { recordAuditMany } from './audit/service.ts';
import { validateSession } from './auth/session.ts';
import { SaveConflict } from './budgets/cells.ts';
import type { Actor, Context, RequestInfo, Services } from './context.ts';
import { toApiError } from './platform/errors.ts';
import { counter, histogram } from './platform/metrics.ts';
import { nulProblem } from './platform/nul.ts';
import { inSpan } from './platform/trace.ts';
import { wireFormat } from './platform/wire-format.ts';
import { type Action, can } from './policy/index.ts';
import { toRestWire } from './rest/wire.ts';
import { authenticate } from './tokens/service.ts';

export async function createContext(services: Services, req: RequestInfo): Promise<Context> {
  assertSameOrigin(services, req);
  const unit = lazyFork(services);
  const actor = req.sessionToken ? await validateSession(unit, services, req) : null;
  return {
    services,
    req,
    get em() {
      return unit.em;
    },
    actor,
    traceId: req.traceId,
  };
}

/**
 * The request's unit of work, forked from the ORM's EntityManager the first time it is read: a
 * call answered without the database (`auth.me` with a cached session) skips the fork's cost. Every
 * read returns the same fork, so copies of the context (`{ ...ctx }`, which read it) share it. It
 * is forked from the ORM's own EntityManager, never from a transaction running where it is first read.
 */
function lazyFork(services: Services): { readonly em: EntityManager } {
  let em: EntityManager | undefined;
  return {
    get em() {
      em ??= services.orm.em.fork({ disableContextResolution: true });
      return em;
    },
  };
}

/**
 * The context of a REST call (/api/v1): the person is the one a personal access token
 * (`Authorization: Bearer gpat_…`) acts for, or nobody. Cookies are never read here, so a browser
 * session cannot call the REST API and there is no cross-site request to forge (no Origin check);
 * and /trpc never reads a bearer token. Each token has its own rate limit.
 */
export async function createApiContext(
  services: Services,
  req: RequestInfo,
  authorization: string | undefined,
): Promise<Context> {
  const em = services.orm.em.fork();
  const secret = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  const actor = secret ? await authenticate(em, services, secret) : null;
  if (secret && !actor) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'This token is not valid: it is unknown, revoked or expired, or its person is deactivated.',
    });
  }
  if (actor?.token) {
    const limit = await services.rateLimiter.hit(
      `api-token:${actor.token.id}`,
      services.settings.apiRequestsPerMinute,
      60,
    );
    if (!limit.allowed) {
      throw new TooManyRequests(
        `This token made more than ${services.settings.apiRequestsPerMinute} requests in a minute. Try again in ${limit.retryAfterSeconds} s.`,
        limit.retryAfterSeconds,
      );
    }
  }
  return { services, req, em, actor, traceId: req.traceId, api: true };
}

/** A rate-limited REST call; the HTTP layer sends `Retry-After` from it. */
export class TooManyRequests extends TRPCError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super({ code: 'TOO_MANY_REQUESTS', message });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * CSRF defence from Lucia's guide: a state-changing request must carry an Origin header naming
 * this site. Browsers always send Origin on POST; a missing or foreign one is refused. The site is
 * what the operator configured (PUBLIC_URL, ALLOWED_ORIGINS), never the request's own Host header,
 * which whoever sends the request chooses.
 */
function assertSameOrigin(services: Services, req: RequestInfo): void {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
  if (!req.origin || !services.settings.allowedOrigins.includes(req.origin)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Cross-site request refused: the Origin header does not match this site. Reload the page and try again.',
    });
  }
}

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    // superjson's format (bigint money and dates typed; the web client decodes it with superjson),
    // written by a faster encoder that hands anything unusual back to superjson.
    transformer: wireFormat,
    // Subscriptions (notifications.onNew) stream over SSE: a ping keeps proxies from closing a quiet
    // stream, and a client that hears nothing for twice as long reconnects.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 30_000 } },
    // Never put stacks in answers, whatever NODE_ENV says: their line numbers would tell which branch
    // answered (sign-in's "no such email" from "wrong password"). The server logs them instead.
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const zodError = error.cause instanceof ZodError ? error.cause : null;
      // Unexpected failures are logged with the trace id; the person sees the reference, not internals.
      const message =
        error.code === 'INTERNAL_SERVER_ERROR'
          ? `Something went wrong on our side. Try again; if it keeps happening, give your administrator this reference: ${ctx?.req.traceId ?? 'unknown'}.`
          : zodError
            ? describeZodError(zodError)
            : shape.message;
      return {
        ...shape,
        message,
        data: {
          ...shape.data,
          // Field paths for forms: { fieldErrors: { email: ['…'] }, formErrors: [] }
          zodError: zodError ? z.flattenError(zodError) : null,
          issues: zodError ? zodError.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : null,
          // A grid save's cells that others changed meanwhile, with their current values.
          // Over REST their amounts are strings like every amount there (rest/wire.ts).
          conflicts:
            error.cause instanceof SaveConflict
              ? ctx?.api
                ? (toRestWire(error.cause.conflicts) as typeof error.cause.conflicts)
                : error.cause.conflicts
              : null,
          applied: error.cause instanceof SaveConflict ? error.cause.applied : null,
        },
      };
    },
  });

function describeZodError(error: ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const procedureCalls = counter({
  name: 'goalpost_trpc_requests_total',
  help: 'tRPC procedure calls, by procedure, type and outcome (ok or the tRPC error code).',
  labelNames: ['procedure', 'type', 'outcome'],
});
const procedureSeconds = histogram({
  name: 'goalpost_trpc_request_duration_seconds',
  help: 'Time from a tRPC procedure starting (after its context) to its answer, by procedure, type and outcome.',
  labelNames: ['procedure', 'type', 'outcome'],
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/**
 * What every procedure runs before its own code, as one tRPC middleware: each tRPC middleware
 * costs a few copies of the call's options (tRPC spreads them per `next`), so the steps below are
 * plain functions called in this order, outermost first. Each step sees what the steps after it
 * answered as a result, as tRPC middlewares would: what one throws becomes a failed result
 * (`settle`).
 */
const BASE_STEPS: Step[] = [observe, restSurface, mapDatabaseErrors, refuseNul];
const baseSteps = t.middleware((opts) => runSteps(BASE_STEPS, opts));

type StepOptions = Parameters<Parameters<typeof t.middleware>[0]>[0];
type StepResult = Awaited<ReturnType<StepOptions['next']>>;
type Step = (opts: StepOptions, next: () => Promise<StepResult>) => Promise<StepResult>;

/** Runs `steps[index]` with the rest after it as its `next`, and the procedure after the last. */
function runSteps(steps: Step[], opts: StepOptions, index = 0): Promise<StepResult> {
  const step = steps[index];
  if (!step) return opts.next();
  return settle(() => step(opts, () => runSteps(steps, opts, index + 1)));
}

/** What a step answers, or what it threw as a failed result (what tRPC makes of a throwing middleware). */
async function settle(step: () => Promise<StepResult>): Promise<StepResult> {
  try {
    return await step();
  } catch (cause) {
    return { ok: false, error: getTRPCErrorFromUnknown(cause), marker: middlewareMarker } as StepResult;
  }
}

/**
 * Every procedure call is counted and timed for /metrics by its outcome (`ok`, or the error code
 * it answers with, after database errors were mapped), and is a span of the request's trace.
 * Subscriptions are counted when they start, not for as long as they stream.
 */
async function observe({ path, type }: StepOptions, next: () => Promise<StepResult>): Promise<StepResult> {
  const started = performance.now();
  const result = await inSpan(`trpc ${path}`, { 'rpc.system': 'trpc', 'rpc.method': path }, async (failed) => {
    const result = await next();
    if (!result.ok) failed(result.error);
    return result;
  });
  const labels = { procedure: path, type, outcome: result.ok ? 'ok' : result.error.code };
  procedureCalls.inc(labels);
  procedureSeconds.observe(labels, (performance.now() - started) / 1000);
  return result;
}

/** Database errors thrown anywhere below become the API errors they mean (platform/errors.ts). */
async function mapDatabaseErrors(_opts: StepOptions, next: () => Promise<StepResult>): Promise<StepResult> {
  const result = await next();
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') {
    const mapped = toApiError(result.error.cause);
    if (mapped) return { ...result, error: mapped };
  }
  return result;
}

/** Every procedure refuses a NUL character in its input, naming the field, before reading it. */
async function refuseNul({ getRawInput }: StepOptions, next: () => Promise<StepResult>): Promise<StepResult> {
  // A procedure without input gets no body, which does not parse; one with input reports an
  // unreadable body itself when its parser asks for it.
  const problem = nulProblem(await getRawInput().catch(() => undefined));
  if (problem) throw new TRPCError({ code: 'BAD_REQUEST', message: problem });
  return next();
}

/**
 * What a personal access token may do (REST calls): only procedures published on /api/v1, only
 * reads with a read token, and every write it makes leaves one audit row naming the token (the
 * rows the write itself adds carry the token too). Answers are then put in REST's JSON form
 * (rest/wire.ts): money as strings of minor units, dates as ISO strings.
 */
async function restSurface(
  { ctx, meta, type, path }: StepOptions,
  next: () => Promise<StepResult>,
): Promise<StepResult> {
  if (!ctx.api) return next();
  const token = ctx.actor?.token;
  if (token) {
    if (!meta?.openapi) throw new TRPCError({ code: 'NOT_FOUND', message: `No such operation: ${path}.` });
    if (type === 'mutation' && token.scope !== 'write') {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: 'This token may only read. Create a token with write scope (Account → API tokens) to change data.',
      });
    }
  }
  const result = await next();
  // Refused writes too: a save with conflicts still writes its other cells, and an attempt is news.
  if (token && type === 'mutation' && ctx.actor) {
    const outcome = result.ok ? 'ok' : result.error.code;
    const data = { procedure: path, method: meta?.openapi?.method, path: meta?.openapi?.path, outcome };
    await recordAuditMany(ctx, 'api.write', [{ subjectUserId: ctx.actor.id, data }]);
  }
  return result.ok ? { ...result, data: toRestWire(result.data) } : result;
}

export const publicProcedure = t.procedure.use(baseSteps);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) {
    const message = ctx.api
      ? 'Send a personal access token: Authorization: Bearer gpat_… (create one under Account → API tokens).'
      : 'Sign in to continue.';
    throw new TRPCError({ code: 'UNAUTHORIZED', message });
  }
  // tRPC merges this into the context.
  return next({ ctx: { actor: ctx.actor as Actor } });
});

/** A procedure for one action of the policy: the only place roles are checked. */
export function permittedProcedure(action: Action) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!can(ctx.actor, action)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `You do not have permission to ${describeAction(action)}.` });
    }
    return next();
  });
}

function describeAction(action: Action): string {
  return action.replaceAll('.', ' ').replaceAll('-', ' ');
}
