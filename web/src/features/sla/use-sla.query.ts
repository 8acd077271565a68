import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import type { SlaDefinition, SlaVersion, TicketClock } from './sla-types';

export const slaKeys = {
  all: ['sla'] as const,
  list: ['sla', 'list'] as const,
  detail: (id: number) => ['sla', 'detail', id] as const,
  versions: (id: number) => ['sla', 'versions', id] as const,
  /** Under the ticket's detail key: the incident pages refresh it after every ticket write. */
  clocks: (ticketId: number) => ['tickets', 'detail', ticketId, 'clocks'] as const,
};

const validId = (id: number) => Number.isSafeInteger(id) && id > 0;

export function useSlaDefinitions() {
  return useQuery({
    queryKey: slaKeys.list,
    queryFn: ({ signal }) => api.get<SlaDefinition[]>('/api/sla-definitions', undefined, signal),
  });
}

export function useSlaDefinition(id: number) {
  return useQuery({
    queryKey: slaKeys.detail(id),
    queryFn: ({ signal }) => api.get<SlaDefinition>(`/api/sla-definitions/${id}`, undefined, signal),
    enabled: validId(id),
    // The page renders 404/403 itself.
    meta: { silent: true },
  });
}

export function useSlaVersions(id: number) {
  return useQuery({
    queryKey: slaKeys.versions(id),
    queryFn: ({ signal }) => api.get<SlaVersion[]>(`/api/sla-definitions/${id}/versions`, undefined, signal),
    enabled: validId(id),
  });
}

/** Clocks of one ticket; time left changes by itself, so it is polled every 30 s while shown. */
export function useTicketClocks(ticketId: number, enabled: boolean) {
  return useQuery({
    queryKey: slaKeys.clocks(ticketId),
    queryFn: ({ signal }) => api.get<TicketClock[]>(`/api/tickets/${ticketId}/clocks`, undefined, signal),
    enabled: enabled && validId(ticketId),
    refetchInterval: 30_000,
    staleTime: 0,
  });
}
