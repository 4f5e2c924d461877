import { Badge } from '@goalpost/ui';
import { userStatusLabel, userStatusTone } from '../../lib/format.ts';
import type { UserRow } from '../../trpc.ts';

/** "Active" / "Invited" / "Deactivated", plus "Locked" when sign-in is blocked. */
export function UserStatusBadges({ user }: { user: Pick<UserRow, 'status' | 'locked'> }) {
  return (
    <>
      <Badge tone={userStatusTone(user.status)}>{userStatusLabel(user.status)}</Badge>
      {user.locked ? <Badge tone="danger">Locked</Badge> : null}
    </>
  );
}
