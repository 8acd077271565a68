import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { NotificationChannel, NotificationDelivery, NotificationItem, NotificationPreferences } from '@tianshu/contracts';
import { api } from '../../app/api-client';
import type { DeliveryStatus } from './notification-types';

export interface NotificationPageData {
  items: NotificationItem[];
  nextCursor: number | null;
}
export interface DeliveryPageData {
  items: NotificationDelivery[];
  nextCursor: number | null;
}

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread-count'] as const,
  recent: ['notifications', 'recent'] as const,
  list: (unreadOnly: boolean) => ['notifications', 'list', unreadOnly] as const,
  preferences: ['notifications', 'preferences'] as const,
  channels: ['notification-channels'] as const,
  deliveries: (status: DeliveryStatus | undefined) => ['notification-deliveries', status ?? 'all'] as const,
};

/** The badge count; `pollMs` polls while the live stream is down. */
export function useUnreadCount(pollMs: number | false) {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: ({ signal }) => api.get<{ count: number }>('/api/notifications/unread-count', undefined, signal),
    refetchInterval: pollMs,
    staleTime: 0,
    meta: { silent: true },
  });
}

/** The few latest notifications of the bell's dropdown, loaded when it opens. */
export function useRecentNotifications(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.recent,
    queryFn: ({ signal }) => api.get<NotificationPageData>('/api/notifications', { limit: 8 }, signal),
    enabled,
    staleTime: 0,
  });
}

export function useNotificationList(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: notificationKeys.list(unreadOnly),
    queryFn: ({ pageParam, signal }) =>
      api.get<NotificationPageData>('/api/notifications', { limit: 20, unread: unreadOnly ? 'true' : undefined, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useNotificationPreferences() {
  return useQuery({
    queryKey: notificationKeys.preferences,
    queryFn: ({ signal }) => api.get<NotificationPreferences>('/api/notifications/preferences', undefined, signal),
  });
}

export function useNotificationChannels() {
  return useQuery({
    queryKey: notificationKeys.channels,
    queryFn: ({ signal }) => api.get<NotificationChannel[]>('/api/notification-channels', undefined, signal),
  });
}

export function useNotificationDeliveries(status: DeliveryStatus | undefined) {
  return useInfiniteQuery({
    queryKey: notificationKeys.deliveries(status),
    queryFn: ({ pageParam, signal }) =>
      api.get<DeliveryPageData>('/api/notification-deliveries', { limit: 50, status, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}
