import { useQuery } from '@tanstack/react-query';
import type { Calendar, CalendarSummary } from '@tianshu/contracts';
import { api } from '../../app/api-client';

export const calendarKeys = {
  all: ['calendars'] as const,
  list: ['calendars', 'list'] as const,
  detail: (id: number) => ['calendars', 'detail', id] as const,
};

export function useCalendars() {
  return useQuery({
    queryKey: calendarKeys.list,
    queryFn: ({ signal }) => api.get<CalendarSummary[]>('/api/calendars', undefined, signal),
  });
}

export function useCalendar(id: number) {
  return useQuery({
    queryKey: calendarKeys.detail(id),
    queryFn: ({ signal }) => api.get<Calendar>(`/api/calendars/${id}`, undefined, signal),
    enabled: Number.isSafeInteger(id) && id > 0,
    // The page renders 404/403 itself.
    meta: { silent: true },
  });
}
