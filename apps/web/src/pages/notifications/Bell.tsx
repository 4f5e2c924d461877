import { type LinkComponent, NotificationBell } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';

export const BELL_PAGE_SIZE = 8;

/**
 * The top bar's bell: the unread count, kept live by the notifications.onNew subscription (new
 * notifications written by any server or jobs process arrive without a reload), and the newest
 * notifications when opened. Choosing one marks it read and opens what it is about.
 */
export function Bell({ Link }: { Link: LinkComponent }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const count = useQuery(trpc.notifications.unreadCount.queryOptions());
  const list = useQuery({ ...trpc.notifications.list.queryOptions({ pageSize: BELL_PAGE_SIZE }), enabled: open });
  const refresh = (unread: number) => {
    queryClient.setQueryData(trpc.notifications.unreadCount.queryKey(), { unread });
    void queryClient.invalidateQueries({ queryKey: trpc.notifications.list.pathKey() });
  };
  useSubscription(trpc.notifications.onNew.subscriptionOptions(undefined, { onData: (data) => refresh(data.unread) }));
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({ onSuccess: (d) => refresh(d.unread) }));
  const markAll = useMutation(trpc.notifications.markAllRead.mutationOptions({ onSuccess: () => refresh(0) }));
  const items = list.data?.items ?? [];
  return (
    <NotificationBell
      unread={count.data?.unread ?? 0}
      items={items}
      loading={list.isPending}
      error={list.isError ? errorMessage(list.error) : null}
      onOpenChange={setOpen}
      onSelect={(chosen) => {
        const item = items.find((i) => i.id === chosen.id);
        if (!chosen.readAt) markRead.mutate({ notificationIds: [chosen.id] });
        void navigate(item?.link ?? '/notifications');
      }}
      onMarkAllRead={() => markAll.mutate()}
      markingAllRead={markAll.isPending}
      allHref="/notifications"
      Link={Link}
      formatTime={(d) => formatDateTime(d)}
    />
  );
}
