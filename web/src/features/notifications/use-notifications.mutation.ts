import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NotificationChannel, NotificationItem, NotificationPreferences } from '@tianshu/contracts';
import { api } from '../../app/api-client';
import type { ChannelTestResult, CreateChannelRequest, UpdateChannelRequest, UpdatePreferencesRequest } from './notification-types';
import { notificationKeys } from './use-notifications.query';

/** Read state changed: the badge, the dropdown and the inbox pages all refetch. */
function useInvalidateInbox() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: notificationKeys.all });
}

export function useMarkRead() {
  const invalidate = useInvalidateInbox();
  return useMutation({
    mutationFn: (id: number) => api.post<NotificationItem>(`/api/notifications/${id}/read`),
    onSuccess: () => void invalidate(),
  });
}

export function useMarkAllRead() {
  const invalidate = useInvalidateInbox();
  return useMutation({
    mutationFn: () => api.post<{ updated: number }>('/api/notifications/read-all'),
    onSuccess: () => void invalidate(),
  });
}

export function useSavePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: UpdatePreferencesRequest) => api.put<NotificationPreferences>('/api/notifications/preferences', request),
    onSuccess: (prefs) => queryClient.setQueryData(notificationKeys.preferences, prefs),
  });
}

function useChannelsChanged() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: notificationKeys.channels });
    void queryClient.invalidateQueries({ queryKey: ['notification-deliveries'] });
  };
}

export function useCreateChannel() {
  const onSuccess = useChannelsChanged();
  return useMutation({
    mutationFn: (request: CreateChannelRequest) => api.post<NotificationChannel>('/api/notification-channels', request),
    onSuccess,
    // The form shows the failure itself.
    meta: { silent: true },
  });
}

export function useUpdateChannel() {
  const onSuccess = useChannelsChanged();
  return useMutation({
    mutationFn: ({ id, request }: { id: number; request: UpdateChannelRequest }) => api.patch<NotificationChannel>(`/api/notification-channels/${id}`, request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useDeleteChannel() {
  const onSuccess = useChannelsChanged();
  return useMutation({
    mutationFn: (id: number) => api.delete<{ ok: true }>(`/api/notification-channels/${id}`),
    onSuccess,
  });
}

export function useTestChannel() {
  return useMutation({
    mutationFn: (id: number) => api.post<ChannelTestResult>(`/api/notification-channels/${id}/test`),
    // The page shows the result next to the channel.
    meta: { silent: true },
  });
}
