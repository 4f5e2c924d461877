import { Alert, Badge, Dialog, Loading } from '@goalpost/ui';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../lib/errors.ts';
import { userStatus } from '../../lib/format.ts';
import { type AccessList, useTRPC } from '../../trpc.ts';
import { LEVELS, type SubjectType } from './levels.ts';

type Reason = AccessList['people'][number]['reasons'][number];
type Permissions = AccessList['people'][number]['permissions'];

const ACTIONS: [keyof Permissions, string][] = [
  ['read', 'view'],
  ['comment', 'comment'],
  ['edit', 'edit'],
  ['manage', 'manage'],
  ['share', 'share'],
  ['submit', 'submit'],
  ['recall', 'recall'],
  ['approve', 'approve'],
  ['final-approve', 'final approve'],
  ['cancel', 'cancel'],
  ['reopen', 'reopen'],
];

function reasonText(reason: Reason, subject: SubjectType): string {
  switch (reason.kind) {
    case 'owner':
      return 'Owner';
    case 'owner-of':
      return `Owns the ${reason.of}`;
    case 'grant':
      return `${LEVELS[reason.level].label} on ${reason.on === subject ? `this ${subject}` : `the ${reason.on}`}`;
    case 'accountant':
      return 'Accountant of the owner';
    case 'supervisor':
      return 'Supervisor of the owner';
    case 'admin':
      return 'Administrator';
    case 'delegate':
      return `Delegate of ${reason.onBehalfOf.name}`;
  }
}

/** For administrators: everyone who may open the goal or budget, why, and what each may do there. */
export function AccessDialog({
  subject,
  onClose,
}: {
  subject: { type: SubjectType; id: string };
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const access = useQuery(trpc.sharing.whoHasAccess.queryOptions({ subject }));
  return (
    <Dialog
      title={access.data ? `Who has access to “${access.data.subject.name}”` : 'Who has access'}
      onClose={onClose}
      width={760}
      footer={
        <button type="button" className="gp-button" onClick={onClose}>
          Close
        </button>
      }
    >
      <Alert>{access.isError ? errorMessage(access.error) : null}</Alert>
      {access.isPending ? <Loading /> : null}
      {access.data ? (
        <table className="gp-table">
          <caption className="gp-visually-hidden">People with access</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Why</th>
              <th scope="col">May</th>
            </tr>
          </thead>
          <tbody>
            {access.data.people.map((p) => (
              <tr key={p.user.id}>
                <td>
                  <div className="gp-goal-cell">
                    <span>
                      {p.user.name}{' '}
                      {p.user.status !== 'active' ? (
                        <Badge tone={userStatus(p.user.status).tone}>{userStatus(p.user.status).label}</Badge>
                      ) : null}
                    </span>
                    <span className="gp-muted">{p.user.email}</span>
                  </div>
                </td>
                <td>{p.reasons.map((r) => reasonText(r, subject.type)).join('; ')}</td>
                <td>
                  {capitalise(
                    ACTIONS.filter(([action]) => p.permissions[action])
                      .map(([, label]) => label)
                      .join(', '),
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Dialog>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
