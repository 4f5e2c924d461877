import { Badge } from '@goalpost/ui';
import { userStatus } from '../../lib/format.ts';
import type { DisplayStatus } from '../../trpc.ts';

/** One badge per person: Active, Invited, Locked or Deactivated (the server decides which wins). */
export function UserStatusBadge({ status }: { status: DisplayStatus }) {
  const s = userStatus(status);
  return <Badge tone={s.tone}>{s.label}</Badge>;
}
