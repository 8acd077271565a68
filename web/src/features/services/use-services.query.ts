import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import type { MaintenanceWindow, Outage, Service, ServiceAvailability, ServiceSummary } from './service-types';

/** Every key starts with 'services', so one invalidation after a write refreshes all of them. */
export const serviceKeys = {
  all: ['services'] as const,
  list: ['services', 'list'] as const,
  detail: (id: number) => ['services', 'detail', id] as const,
  availability: (id: number) => ['services', 'availability', id] as const,
  outages: (id: number) => ['services', 'outages', id] as const,
  windows: (id: number) => ['services', 'windows', id] as const,
  ticketOutages: (ticketId: number) => ['services', 'ticket-outages', ticketId] as const,
};

const validId = (id: number) => Number.isSafeInteger(id) && id > 0;

export function useServices(enabled = true) {
  return useQuery({
    queryKey: serviceKeys.list,
    queryFn: ({ signal }) => api.get<ServiceSummary[]>('/api/services', undefined, signal),
    enabled,
  });
}

export function useService(id: number) {
  return useQuery({
    queryKey: serviceKeys.detail(id),
    queryFn: ({ signal }) => api.get<Service>(`/api/services/${id}`, undefined, signal),
    enabled: validId(id),
    // The page renders 404/403 itself.
    meta: { silent: true },
  });
}

export function useServiceAvailability(id: number, enabled = true) {
  return useQuery({
    queryKey: serviceKeys.availability(id),
    queryFn: ({ signal }) => api.get<ServiceAvailability>(`/api/services/${id}/availability`, undefined, signal),
    enabled: enabled && validId(id),
  });
}

export function useOutages(serviceId: number, enabled = true) {
  return useQuery({
    queryKey: serviceKeys.outages(serviceId),
    queryFn: ({ signal }) => api.get<Outage[]>(`/api/services/${serviceId}/outages`, undefined, signal),
    enabled: enabled && validId(serviceId),
  });
}

export function useMaintenanceWindows(serviceId: number, enabled = true) {
  return useQuery({
    queryKey: serviceKeys.windows(serviceId),
    queryFn: ({ signal }) => api.get<MaintenanceWindow[]>(`/api/services/${serviceId}/maintenance-windows`, undefined, signal),
    enabled: enabled && validId(serviceId),
  });
}

export function useTicketOutages(ticketId: number) {
  return useQuery({
    queryKey: serviceKeys.ticketOutages(ticketId),
    queryFn: ({ signal }) => api.get<Outage[]>(`/api/tickets/${ticketId}/outages`, undefined, signal),
    enabled: validId(ticketId),
  });
}
