/**
 * Sessions after Lucia's guide: the cookie holds a random token, the database its SHA-256.
 * Sessions slide: one used in the second half of its life is extended to a full term.
 */

import { Session, type User, UserRole } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, RequestInfo, Services } from '../context.ts';
import { generateToken, hashToken } from './token.ts';

export const SESSION_COOKIE = 'goalpost_session';
const DAY = 24 * 60 * 60 * 1000;

export async function createSession(
  em: EntityManager,
  services: Services,
  req: RequestInfo,
  user: User,
): Promise<void> {
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

/** The actor for a request's session cookie, or null (and the cookie cleared) if it is not valid. */
export async function validateSession(em: EntityManager, services: Services, req: RequestInfo): Promise<Actor | null> {
  if (!req.sessionToken) return null;
  const now = services.clock.now();
  const session = await em.findOne(Session, { id: hashToken(req.sessionToken) }, { populate: ['user'] });
  if (!session || session.expiresAt <= now || session.user.status !== 'active') {
    if (session) await em.nativeDelete(Session, { id: session.id });
    req.setCookie(blankSessionCookie(services.settings.production));
    return null;
  }
  const term = services.settings.sessionDays * DAY;
  if (session.expiresAt.getTime() - now.getTime() < term / 2) {
    session.expiresAt = new Date(now.getTime() + term);
    await em.nativeUpdate(Session, { id: session.id }, { expiresAt: session.expiresAt });
    req.setCookie(sessionCookie(req.sessionToken, session.expiresAt, services.settings.production));
  }
  const roles = await em.find(UserRole, { user: session.user }, { populate: ['role'] });
  return {
    id: session.user.id,
    orgId: services.orgId,
    email: session.user.email,
    name: session.user.name,
    roles: roles.map((r) => r.role.key),
    sessionId: session.id,
  };
}

export async function invalidateSession(em: EntityManager, sessionId: string): Promise<void> {
  await em.nativeDelete(Session, { id: sessionId });
}

export async function invalidateUserSessions(em: EntityManager, userId: string): Promise<number> {
  return em.nativeDelete(Session, { user: userId });
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
export async function purgeExpiredSessions(em: EntityManager, now: Date): Promise<number> {
  return em.nativeDelete(Session, { expiresAt: { $lte: now } });
}
