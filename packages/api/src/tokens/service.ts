/**
 * Personal access tokens for the REST API (/api/v1). A person makes one for a script or another
 * system, names it and gives it read or write scope; the secret is shown once and only its SHA-256
 * is stored (as sessions are, auth/token.ts). A token acts as its person, through the same policy,
 * and no more: a read token is refused every write, a deactivated person's tokens stop at once,
 * and each token has its own rate limit. Admins list and revoke anyone's tokens.
 */
import { ApiToken, type ApiTokenScope, query, type RoleKey, User } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { recordAudit } from '../audit/service.ts';
import { generateToken, hashToken } from '../auth/token.ts';
import type { Actor, ActorContext, Services } from '../context.ts';
import { containing } from '../platform/search.ts';
import type * as schema from './schema.ts';

type Ctx = ActorContext;

/** Every secret starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'gpat_';
const DAY = 24 * 60 * 60 * 1000;

function view(t: ApiToken) {
  return {
    id: t.id,
    name: t.name,
    scope: t.scope,
    /** The secret's first characters, to tell tokens apart; never enough to use it. */
    prefix: t.prefix,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt ?? null,
    lastUsedAt: t.lastUsedAt ?? null,
    revokedAt: t.revokedAt ?? null,
  };
}

/** Makes a token for the signed-in person; the answer's `secret` is the only time it is shown. */
export async function create(ctx: Ctx, input: z.infer<typeof schema.createInput>) {
  const now = ctx.services.clock.now();
  // The named day is the last one the token works on, to its end (UTC).
  const expiresAt = input.expiresOn ? new Date(Date.parse(`${input.expiresOn}T00:00:00Z`) + DAY) : null;
  if (expiresAt && expiresAt <= now) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'expiresOn: Choose a day from today on, or no expiry.' });
  }
  const secret = `${TOKEN_PREFIX}${generateToken()}`;
  const token = ctx.em.create(ApiToken, {
    org: ctx.services.orgId,
    user: ctx.actor.id,
    name: input.name,
    scope: input.scope,
    hash: hashToken(secret),
    prefix: secret.slice(0, TOKEN_PREFIX.length + 4),
    expiresAt,
    createdBy: ctx.actor.id,
    createdAt: now,
  });
  recordAudit(ctx, 'token.created', ctx.actor.id, {
    tokenId: token.id,
    name: token.name,
    scope: token.scope,
    expiresAt: expiresAt?.toISOString() ?? null,
  });
  await ctx.em.flush();
  return { ...view(token), secret };
}

/** The signed-in person's tokens, newest first, revoked ones too (so a person sees what stopped). */
export async function listMine(ctx: Ctx) {
  const tokens = await ctx.em.find(ApiToken, { user: ctx.actor.id }, { orderBy: { createdAt: 'desc', id: 'asc' } });
  return tokens.map(view);
}

/** Revokes one of the signed-in person's own tokens (someone else's is NOT_FOUND). */
export async function revoke(ctx: Ctx, { tokenId }: z.infer<typeof schema.tokenId>) {
  const token = await ctx.em.findOne(ApiToken, { id: tokenId, user: ctx.actor.id, org: ctx.services.orgId });
  if (!token) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such token: it may have been deleted.' });
  return revokeToken(ctx, token);
}

/** Everyone's tokens (admins): who owns each, when it was last used, whether it still works. */
export async function listAll(ctx: Ctx, input: z.infer<typeof schema.adminListInput>) {
  const params: unknown[] = [ctx.services.orgId];
  const where = ['t.org_id = $1'];
  if (input.status === 'active') {
    params.push(ctx.services.clock.now());
    where.push(`t.revoked_at is null and (t.expires_at is null or t.expires_at > $${params.length})`);
  }
  if (input.search) {
    params.push(containing(input.search));
    where.push(`(t.name ilike $${params.length} or u.name ilike $${params.length} or u.email ilike $${params.length})`);
  }
  params.push(input.pageSize, (input.page - 1) * input.pageSize);
  const rows = await query<{
    id: string;
    name: string;
    scope: ApiTokenScope;
    prefix: string;
    created_at: Date;
    expires_at: Date | null;
    last_used_at: Date | null;
    revoked_at: Date | null;
    user_id: string;
    user_name: string;
    user_email: string;
    user_status: string;
    total: string;
  }>(
    ctx.em,
    `select t.id, t.name, t.scope, t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at,
            u.id as user_id, u.name as user_name, u.email as user_email, u.status as user_status,
            count(*) over ()::text as total
     from api_tokens t join users u on u.id = t.user_id
     where ${where.join(' and ')}
     order by t.created_at desc, t.id
     limit $${params.length - 1} offset $${params.length}`,
    params,
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      scope: r.scope,
      prefix: r.prefix,
      createdAt: new Date(r.created_at),
      expiresAt: r.expires_at ? new Date(r.expires_at) : null,
      lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
      revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
      user: { id: r.user_id, name: r.user_name, email: r.user_email, status: r.user_status },
    })),
    total: Number(rows[0]?.total ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
}

/** Revokes anyone's token (admins); written to the owner's history. */
export async function revokeAny(ctx: Ctx, { tokenId }: z.infer<typeof schema.tokenId>) {
  const token = await ctx.em.findOne(ApiToken, { id: tokenId, org: ctx.services.orgId });
  if (!token) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such token: it may have been deleted.' });
  return revokeToken(ctx, token);
}

async function revokeToken(ctx: Ctx, token: ApiToken) {
  if (!token.revokedAt) {
    token.revokedAt = ctx.services.clock.now();
    token.revokedBy = ctx.em.getReference(User, ctx.actor.id);
    recordAudit(ctx, 'token.revoked', token.user.id, { tokenId: token.id, name: token.name });
    await ctx.em.flush();
  }
  return view(token);
}

/**
 * The person a bearer token acts as, or null when it is unknown, revoked, expired or its person
 * is not active. One statement finds the token and stamps its last use: checked against the
 * database on every request, never cached, so a revocation or deactivation counts at once.
 */
const AUTHENTICATE = `update api_tokens t set last_used_at = $2
   from users u
   where t.hash = $1 and t.org_id = $3 and u.id = t.user_id and t.revoked_at is null
     and (t.expires_at is null or t.expires_at > $2) and u.status = 'active'
   returning t.id, t.scope, u.id as user_id, u.email, u.name,
     array(select r.key from user_roles ur join roles r on r.id = ur.role_id
           where ur.user_id = u.id order by r.key) as roles`;

export async function authenticate(
  em: EntityManager,
  services: Pick<Services, 'orgId' | 'clock'>,
  secret: string,
): Promise<Actor | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 100) return null;
  const [row] = await query<{
    id: string;
    scope: ApiTokenScope;
    user_id: string;
    email: string;
    name: string;
    roles: RoleKey[];
  }>(em, AUTHENTICATE, [hashToken(secret), services.clock.now(), services.orgId], { prepare: true });
  if (!row) return null;
  return {
    id: row.user_id,
    orgId: services.orgId,
    email: row.email,
    name: row.name,
    roles: row.roles,
    sessionId: '',
    token: { id: row.id, scope: row.scope },
  };
}
