/**
 * The people working on a goal, budget or forecast: its owner, the owner's supervisor, and everyone
 * it (or the goal or budget above it) is shared with by a live grant. Manual messages and
 * reminders for collaborators go to these people, and to no one else.
 */
import { type GrantLevel, query } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Subject } from '../policy/access.ts';

/** How someone works on the subject: its owner, the owner's supervisor, or their strongest grant level. */
export type CollaboratorRole = 'owner' | 'supervisor' | GrantLevel;

export interface Collaborator {
  id: string;
  name: string;
  email: string;
  role: CollaboratorRole;
}

export async function collaboratorsOf(em: EntityManager, subject: Subject, now: Date): Promise<Collaborator[]> {
  const [kind, id] =
    'forecastId' in subject
      ? ['forecast', subject.forecastId]
      : 'budgetId' in subject
        ? ['budget', subject.budgetId]
        : ['goal', subject.goalId];
  return query<Collaborator>(
    em,
    `with s as (
       select f.owner_id, f.id as forecast_id, b.id as budget_id, b.goal_id from forecasts f
         join budgets b on b.id = f.budget_id where $1 = 'forecast' and f.id = $2
       union all
       select b.owner_id, null, b.id, b.goal_id from budgets b where $1 = 'budget' and b.id = $2
       union all
       select g.owner_id, null, null, g.id from goals g where $1 = 'goal' and g.id = $2
     ), people as (
       select owner_id as id, 'owner' as role, 0 as rank from s
       union all select u.supervisor_id, 'supervisor', 1 from users u join s on u.id = s.owner_id
       union all select g.grantee_id, g.level::text,
                        6 - array_position(array['viewer', 'commenter', 'editor', 'approver'], g.level::text)
         from grants g join s on g.goal_id = s.goal_id or g.budget_id = s.budget_id or g.forecast_id = s.forecast_id
         where g.revoked_at is null and (g.expires_at is null or g.expires_at > $3)
     ), strongest as (
       select distinct on (id) id, role from people where id is not null order by id, rank
     )
     select u.id, u.name, u.email, p.role from users u join strongest p on p.id = u.id
     where u.status = 'active' order by lower(u.name), u.id`,
    [kind, id, now],
  );
}
