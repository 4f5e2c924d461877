import { useState } from 'react';
import { hasRole, useCurrentUser } from '../../session.tsx';
import { AccessDialog } from './AccessDialog.tsx';
import type { SubjectType } from './levels.ts';
import { ShareDialog } from './ShareDialog.tsx';

/**
 * A page's sharing buttons, each with its dialog: Share for those who may share the goal, budget or
 * forecast, and Who has access for admins.
 */
export function SharingActions({
  subject,
  canShare,
}: {
  subject: { type: SubjectType; id: string };
  canShare: boolean;
}) {
  const me = useCurrentUser();
  const [open, setOpen] = useState<'share' | 'access' | null>(null);
  const close = () => setOpen(null);
  return (
    <>
      {canShare ? (
        <button type="button" className="gp-button" onClick={() => setOpen('share')}>
          Share
        </button>
      ) : null}
      {hasRole(me, 'admin') ? (
        <button type="button" className="gp-button" onClick={() => setOpen('access')}>
          Who has access
        </button>
      ) : null}
      {open === 'share' ? <ShareDialog subject={subject} onClose={close} /> : null}
      {open === 'access' ? <AccessDialog subject={subject} onClose={close} /> : null}
    </>
  );
}
