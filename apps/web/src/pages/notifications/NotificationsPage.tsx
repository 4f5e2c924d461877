import { Alert, EmptyState, Loading, Page, Pager } from '@goalpost/ui';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { usePageFor } from '../../lib/hooks.ts';
import { type NotificationItem, useTRPC } from '../../trpc.ts';

export const NOTIFICATIONS_PAGE_SIZE = 20;

/** Every notification of the signed-in person, newest first, with mark read and mark all read. */
export function NotificationsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const unreadId = useId();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [page, setPage] = usePageFor(String(unreadOnly));
  const list = useQuery({
    ...trpc.notifications.list.queryOptions({ unreadOnly, page, pageSize: NOTIFICATIONS_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const refresh = (unread: number) => {
    queryClient.setQueryData(trpc.notifications.unreadCount.queryKey(), { unread });
    void queryClient.invalidateQueries({ queryKey: trpc.notifications.list.pathKey() });
  };
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({ onSuccess: (d) => refresh(d.unread) }));
  const markAll = useMutation(trpc.notifications.markAllRead.mutationOptions({ onSuccess: () => refresh(0) }));
  const unread = list.data?.unread ?? 0;
  return (
    <Page
      title="Notifications"
      description={list.data ? `${plural(unread, 'unread notification')}` : undefined}
      actions={
        <button
          type="button"
          className="gp-button"
          disabled={unread === 0 || markAll.isPending}
          onClick={() => markAll.mutate()}
        >
          Mark all read
        </button>
      }
    >
      <div className="gp-toolbar">
        <label className="gp-checkbox" htmlFor={unreadId}>
          <input id={unreadId} type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />
          Unread only
        </label>
      </div>
      <Alert>{list.isError ? errorMessage(list.error) : markRead.isError ? errorMessage(markRead.error) : null}</Alert>
      {list.isPending ? (
        <Loading />
      ) : list.data?.items.length ? (
        <ul className="gp-notice-list" aria-label="Notifications">
          {list.data.items.map((n) => (
            <NotificationRow
              key={n.id}
              item={n}
              onRead={() => markRead.mutate({ notificationIds: [n.id] })}
              busy={markRead.isPending}
            />
          ))}
        </ul>
      ) : (
        <EmptyState>{unreadOnly ? 'Nothing unread.' : 'No notifications yet.'}</EmptyState>
      )}
      {list.data && list.data.total > NOTIFICATIONS_PAGE_SIZE ? (
        <Pager
          page={page}
          pageSize={NOTIFICATIONS_PAGE_SIZE}
          total={list.data.total}
          onPageChange={setPage}
          describeTotal={(n) => plural(n, 'notification')}
        />
      ) : null}
    </Page>
  );
}

function NotificationRow({ item, onRead, busy }: { item: NotificationItem; onRead: () => void; busy: boolean }) {
  const unread = !item.readAt;
  return (
    <li className={`gp-notice-list__item${unread ? ' gp-notice-list__unread' : ''}`}>
      <div className="gp-notice-list__text">
        <div className="gp-notice-list__title">
          {unread ? <span className="gp-visually-hidden">Unread: </span> : null}
          {item.link ? (
            <Link to={item.link} onClick={unread ? onRead : undefined}>
              {item.title}
            </Link>
          ) : (
            item.title
          )}
        </div>
        {item.body ? <div>{item.body}</div> : null}
        <div className="gp-notice-list__meta">{formatDateTime(item.createdAt)}</div>
      </div>
      {unread ? (
        <button type="button" className="gp-button gp-button--small" disabled={busy} onClick={onRead}>
          Mark read
        </button>
      ) : null}
    </li>
  );
}
