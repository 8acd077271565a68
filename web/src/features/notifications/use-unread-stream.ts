import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { notificationKeys, useUnreadCount } from './use-notifications.query';

const STREAM_URL = '/api/notifications/stream';
const POLL_MS = 60_000;

/**
 * The unread count, kept live by the server's event stream. The browser reconnects a dropped
 * stream by itself; while the stream is down (or was refused) the count is polled every 60 s
 * and a refused stream is opened again after a minute.
 */
export function useUnreadStream(): { count: number; live: boolean } {
  const queryClient = useQueryClient();
  const [live, setLive] = useState(false);
  const unread = useUnreadCount(live ? false : POLL_MS);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return undefined;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      if (stopped) return;
      const es = new EventSource(STREAM_URL);
      source = es;
      es.addEventListener('unread', (event) => {
        let count: number;
        try {
          count = (JSON.parse((event as MessageEvent<string>).data) as { count: number }).count;
        } catch {
          return;
        }
        const previous = queryClient.getQueryData<{ count: number }>(notificationKeys.unread)?.count;
        queryClient.setQueryData(notificationKeys.unread, { count });
        if (previous !== count) {
          // New or newly read notifications: lists refetch (the count itself is already fresh).
          void queryClient.invalidateQueries({ queryKey: notificationKeys.all, predicate: (q) => q.queryKey[1] !== 'unread-count' });
        }
        setLive(true);
      });
      es.onerror = () => {
        setLive(false);
        if (es.readyState === EventSource.CLOSED) {
          es.close();
          retry = setTimeout(open, POLL_MS);
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [queryClient]);

  return { count: unread.data?.count ?? 0, live };
}
