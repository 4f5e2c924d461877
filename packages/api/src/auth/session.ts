/**
 * Sessions after Lucia's guide: the cookie holds a random token, the database its SHA-256.
 * Sessions slide: one used in the second half of its life is extended to a full term.
 */

import { query, type RoleKey, Session, type User } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, Context, RequestInfo, ServiceContext, Services } from '../context.ts';
import type { CachedSession } from './session-cache.ts';
import { generateToken, hashToken } from './token.ts';

export const SESSION_COOKIE = 'goalpost_session';
const DAY = 24 * 60 * 60 * 1000;

/** Signs `user` in on this request's browser: a new session row and its cookie. */
export async function createSession({ em, services, req }: Context, user: User): Promise<void> {
  const token = generateToken();
  const expiresAt = new Date(services.clock.now().getTime() + services.settings.sessionDays * DAY);
  em.create(Session, {
    id: hashToken(token),
    org: user.org,
    user,
    expiresAt,
    createdAt: services.clock.now(),
    ip: req.ip,
    userAgent: req.userAgent?.slice(0, 512) ?? null,
  });
  await em.flush();
  req.setCookie(sessionCookie(token, expiresAt, services.settings.production));
}

/**
 * Session, user and roles in one round trip. Every authenticated request runs it, so it is a
 * prepared statement (see query in packages/db): each pooled connection plans it once, then only binds the id.
 */
// The expiry as epoch milliseconds: a number to compare, not a timestamp to parse.
const SESSION_QUERY = `select (extract(epoch from s.expires_at) * 1000)::float8 as expires_ms,
            u.id as user_id, u.email, u.name, u.status,
            array(select r.key from user_roles ur join roles r on r.id = ur.role_id
                  where ur.user_id = u.id order by r.key) as roles
     from sessions s join users u on u.id = s.user_id
     where s.id = $1`;

/**
 * The actor for a request's session cookie, or null (and the cookie cleared) if it is not valid.
 * Answered from the session cache when it can (see session-cache.ts): every write that revokes a
 * session or changes the user or their roles forgets the entry, so a revoked session, a
 * deactivated user or a removed role counts from the next request on. A session in the second half
 * of its life is always checked in the database, which extends it.
 */
export async function validateSession(
  unit: { readonly em: EntityManager },
  services: Services,
  req: RequestInfo,
): Promise<Actor | null> {
  if (!req.sessionToken) return null;
  const now = services.clock.now();
  const sessionId = hashToken(req.sessionToken);
  const term = services.settings.sessionDays * DAY;
  const cached = await services.sessionCache.read(sessionId);
  const hit = cached.entry;
  if (hit && hit.expiresMs - now.getTime() >= term / 2) return actorFrom(services, hit, sessionId);
  const { em } = unit; // read only now: a cached session needs no unit of work
  const [row] = await query<{
    expires_ms: number;
    user_id: string;
    email: string;
    name: string;
    status: string;
    roles: RoleKey[];
  }>(em, SESSION_QUERY, [sessionId], { prepare: true });
  if (!row || row.expires_ms <= now.getTime() || row.status !== 'active') {
    if (row) await invalidateSession({ em, services }, sessionId);
    req.setCookie(blankSessionCookie(services.settings.production));
    return null;
  }
  const entry = {
    expiresMs: row.expires_ms,
    userId: row.user_id,
    email: row.email,
    name: row.name,
    status: row.status,
    roles: row.roles,
  };
  if (row.expires_ms - now.getTime() < term / 2) {
    const expiresAt = new Date(now.getTime() + term);
    await em.nativeUpdate(Session, { id: sessionId }, { expiresAt });
    req.setCookie(sessionCookie(req.sessionToken, expiresAt, services.settings.production));
    entry.expiresMs = expiresAt.getTime();
  }
  await services.sessionCache.fill(cached.token, sessionId, entry, entry.expiresMs - now.getTime());
  return actorFrom(services, entry, sessionId);
}

function actorFrom(services: Services, entry: CachedSession, sessionId: string): Actor {
  const { userId: id, email, name, roles } = entry;
  return { id, orgId: services.orgId, email, name, roles, sessionId };
}

type CacheContext = { em: EntityManager; services: Pick<Services, 'sessionCache'> };

/** Ends one session: its row, and its cache entry here and (at commit) in every process. */
export async function invalidateSession({ em, services }: CacheContext, sessionId: string): Promise<void> {
  await em.nativeDelete(Session, { id: sessionId });
  await services.sessionCache.forgetSession(em, sessionId);
}

/** Ends every session of a person (deactivation, a new password). */
export async function invalidateUserSessions({ em, services }: CacheContext, userId: string): Promise<number> {
  const deleted = await em.nativeDelete(Session, { user: userId });
  await services.sessionCache.forgetUsers(em, [userId]);
  return deleted;
}

/**
 * Call in the transaction of any write that changes what the session check returns for a person
 * (their name, email, status or roles) without ending their sessions.
 */
export async function userChanged({ em, services }: CacheContext, ...userIds: string[]): Promise<void> {
  await services.sessionCache.forgetUsers(em, userIds);
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'HttpOnly',
    'SameSite=Lax',
    'Path=/',
    `Expires=${expiresAt.toUTCString()}`,
    secure ? 'Secure' : null,
  ]
    .filter(Boolean)
    .join('; ');
}

export function blankSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'HttpOnly', 'SameSite=Lax', 'Path=/', 'Max-Age=0', secure ? 'Secure' : null]
    .filter(Boolean)
    .join('; ');
}

/** Reads our cookie from a Cookie header. */
export function readSessionToken(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || null;
  }
  return null;
}

/** Deletes sessions past their expiry; run on a schedule by the housekeeping job. */
export async function purgeExpiredSessions({ em, services }: ServiceContext): Promise<number> {
  return em.nativeDelete(Session, { expiresAt: { $lte: services.clock.now() } });
}
