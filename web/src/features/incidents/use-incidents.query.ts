import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Attachment, Ticket, TicketEvent, TicketListQuery, TicketSummary } from '@tianshu/contracts';
import { api, type QueryParams } from '../../app/api-client';
import type { Page } from '../../shared/contract-types';

export const incidentKeys = {
  all: ['tickets'] as const,
  lists: ['tickets', 'list'] as const,
  list: (query: TicketListQuery) => ['tickets', 'list', query] as const,
  detail: (id: number) => ['tickets', 'detail', id] as const,
  events: (id: number) => ['tickets', 'detail', id, 'events'] as const,
  attachments: (id: number) => ['tickets', 'detail', id, 'attachments'] as const,
};

export function useIncidentList(query: TicketListQuery) {
  return useQuery({
    queryKey: incidentKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<TicketSummary>>('/api/tickets', query as QueryParams, signal),
    // Keep the previous page on screen while the next one loads (no table flicker).
    placeholderData: keepPreviousData,
  });
}

export function useIncident(id: number) {
  return useQuery({
    queryKey: incidentKeys.detail(id),
    queryFn: ({ signal }) => api.get<Ticket>(`/api/tickets/${id}`, undefined, signal),
    enabled: Number.isSafeInteger(id) && id > 0,
    // The page renders 404/403 itself.
    meta: { silent: true },
  });
}

export function useIncidentEvents(id: number, enabled: boolean) {
  return useQuery({
    queryKey: incidentKeys.events(id),
    queryFn: ({ signal }) => api.get<TicketEvent[]>(`/api/tickets/${id}/events`, undefined, signal),
    enabled,
  });
}

export function useIncidentAttachments(id: number, enabled: boolean) {
  return useQuery({
    queryKey: incidentKeys.attachments(id),
    queryFn: ({ signal }) => api.get<Attachment[]>(`/api/tickets/${id}/attachments`, undefined, signal),
    enabled,
  });
}
