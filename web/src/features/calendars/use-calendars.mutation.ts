import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Calendar } from '@tianshu/contracts';
import { api, apiRequest } from '../../app/api-client';
import type { CalendarComputeQuery, CalendarComputeResult, CalendarImportResult, CreateCalendarRequest, SetCalendarDaysRequest, UpdateCalendarRequest } from './calendar-types';
import { calendarKeys } from './use-calendars.query';

/** Every write returns the whole calendar: put it in the cache and let the list refetch. */
function useCalendarStored() {
  const queryClient = useQueryClient();
  return (calendar: Calendar) => {
    queryClient.setQueryData(calendarKeys.detail(calendar.id), calendar);
    void queryClient.invalidateQueries({ queryKey: calendarKeys.list });
  };
}

export function useCreateCalendar() {
  const onSuccess = useCalendarStored();
  return useMutation({
    mutationFn: (request: CreateCalendarRequest) => api.post<Calendar>('/api/calendars', request),
    onSuccess,
    // The form shows validation messages itself.
    meta: { silent: true },
  });
}

export function useUpdateCalendar(id: number) {
  const onSuccess = useCalendarStored();
  return useMutation({
    mutationFn: (request: UpdateCalendarRequest) => api.patch<Calendar>(`/api/calendars/${id}`, request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useSetCalendarDays(id: number) {
  const onSuccess = useCalendarStored();
  return useMutation({
    mutationFn: (request: SetCalendarDaysRequest) => api.post<Calendar>(`/api/calendars/${id}/days`, request),
    onSuccess,
  });
}

export function useImportCalendar(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('file', file, file.name);
      return apiRequest<CalendarImportResult>('POST', `/api/calendars/${id}/import`, { body });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: calendarKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: calendarKeys.list });
    },
  });
}

/** A read, but run on demand with the form's values, so a mutation keeps no stale cache. */
export function useComputeBusinessTime(id: number) {
  return useMutation({
    mutationFn: (query: CalendarComputeQuery) => api.get<CalendarComputeResult>(`/api/calendars/${id}/compute`, { ...query }),
  });
}
