/**
 * The people around one owner, as the access, sharing, workflow and comments tests need them:
 * each a signed-in tab with their user id. `cast` registers them (with the accountant assigned
 * to the owner and the supervisor set as the owner's); `share` gives them their grants on one
 * object: editor, commenter, viewer and approver live, `expired` an editor grant whose end has
 * passed, `revoked` an editor grant revoked at once.
 */
import type { RoleKey } from '@goalpost/db';
import type { TestApp } from './app.ts';
import type { TestClient } from './client.ts';

export const MEMBERS = [
  'owner',
  'editor',
  'commenter',
  'viewer',
  'approver',
  'expired',
  'revoked',
  'accountant',
  'supervisor',
  'admin',
  'stranger',
] as const;
export type Member = (typeof MEMBERS)[number];

export interface Person {
  id: string;
  name: string;
  email: string;
  tab: TestClient;
}

export type Cast = Record<Member, Person>;

const ROLES: Partial<Record<Member, RoleKey[]>> = {
  accountant: ['user', 'accountant'],
  supervisor: ['user', 'supervisor'],
  admin: ['user', 'admin'],
};

/** Registers a person with `roles` and returns their signed-in tab and id. */
export async function person(t: TestApp, email: string, name: string, roles: RoleKey[] = ['user']): Promise<Person> {
  const tab = await t.activeUser({ email, name, password: 'Cast-member-passphrase-7', roles });
  const me = await tab.trpc.auth.me.query();
  if (!me) throw new Error(`${email} is not signed in`);
  return { id: me.id, name, email, tab };
}

/** The whole cast, emails under `@<domain>`; relations to the owner are set by an admin. */
export async function cast(t: TestApp, domain: string): Promise<Cast> {
  const members = {} as Cast;
  for (const member of MEMBERS) {
    const name = `${member[0]!.toUpperCase()}${member.slice(1)} ${domain.split('.')[0]}`;
    members[member] = await person(t, `${member}@${domain}`, name, ROLES[member]);
  }
  const admin = await t.admin();
  await admin.trpc.users.assignAccountant.mutate({ userId: members.owner.id, accountantId: members.accountant.id });
  await admin.trpc.users.setSupervisor.mutate({ userId: members.owner.id, supervisorId: members.supervisor.id });
  return members;
}

/** Grants the cast's sharing members their levels on `subject`, as its owner would. */
export async function share(
  t: TestApp,
  members: Cast,
  subject: { type: 'goal' | 'budget' | 'forecast'; id: string },
): Promise<void> {
  const owner = members.owner.tab.trpc.sharing;
  for (const level of ['editor', 'commenter', 'viewer', 'approver'] as const) {
    await owner.grant.mutate({ subject, userId: members[level].id, level });
  }
  const expiring = await owner.grant.mutate({
    subject,
    userId: members.expired.id,
    level: 'editor',
    expiresAt: new Date('2100-01-01T00:00:00Z'),
  });
  // An end in the past cannot be chosen through the API; this is what time does to the grant.
  await t.sql(`update grants set expires_at = ? where id = ?`, [new Date('2000-01-01T00:00:00Z'), expiring.id]);
  const revoked = await owner.grant.mutate({ subject, userId: members.revoked.id, level: 'editor' });
  await owner.revoke.mutate({ grantId: revoked.id });
}
