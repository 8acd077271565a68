import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import type {
  CreateMaintenanceWindowRequest,
  CreateOutageRequest,
  CreateServiceRequest,
  MaintenanceWindow,
  Outage,
  Service,
  UpdateMaintenanceWindowRequest,
  UpdateOutageRequest,
  UpdateServiceRequest,
} from './service-types';
import { serviceKeys } from './use-services.query';

/** Any write can move availability figures: refresh everything about services. */
function useRefreshServices() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: serviceKeys.all });
}

export function useCreateService() {
  const onSuccess = useRefreshServices();
  return useMutation({
    mutationFn: (request: CreateServiceRequest) => api.post<Service>('/api/services', request),
    onSuccess,
    // The form shows the error itself.
    meta: { silent: true },
  });
}

export function useUpdateService(id: number) {
  const onSuccess = useRefreshServices();
  return useMutation({
    mutationFn: (request: UpdateServiceRequest) => api.patch<Service>(`/api/services/${id}`, request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useRetireService(id: number) {
  const onSuccess = useRefreshServices();
  return useMutation({
    mutationFn: () => api.delete<Service>(`/api/services/${id}`),
    onSuccess,
  });
}

export type SaveOutage =
  | { serviceId: number; id?: undefined; request: CreateOutageRequest }
  | { serviceId: number; id: number; request: UpdateOutageRequest };

export function useSaveOutage() {
  const onSuccess = useRefreshServices();
  return useMutation({
    mutationFn: (save: SaveOutage) =>
      save.id === undefined
        ? api.post<Outage>(`/api/services/${save.serviceId}/outages`, save.request)
        : api.patch<Outage>(`/api/services/${save.serviceId}/outages/${save.id}`, save.request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useDeleteOutage() {
  const onSuccess = useRefreshServices();
  return useMutation({
    mutationFn: (outage: { serviceId: number; id: number }) => api.delete<{ ok: true }>(`/api/services/${outage.serviceId}/outages/${outage.id}`),
    onSuccess,
  });
}

export type SaveWindow =
  | { serviceId: number; id?: undefined; request: CreateMaintenanceWindowRequest }
  | { serviceId: number; id: number; request: UpdateMaintenanceWindowRequest };

export function useSaveWindow() {
  const onSuccess = useRefreshServices();
  return useMutation({
    mutationFn: (save: SaveWindow) =>
      save.id === undefined
        ? api.post<MaintenanceWindow>(`/api/services/${save.serviceId}/maintenance-windows`, save.request)
        : api.patch<MaintenanceWindow>(`/api/services/${save.serviceId}/maintenance-windows/${save.id}`, save.request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useDeleteWindow() {
  const onSuccess = useRefreshServices();
  return useMutation({
    mutationFn: (w: { serviceId: number; id: number }) => api.delete<{ ok: true }>(`/api/services/${w.serviceId}/maintenance-windows/${w.id}`),
    onSuccess,
  });
}
