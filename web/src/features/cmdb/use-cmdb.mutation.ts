import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import type { Ci, CiClass, CreateCiClassRequest, CreateCiRelationRequest, CreateCiRequest, TicketCis, UpdateCiClassRequest, UpdateCiRequest } from './cmdb-types';
import { cmdbKeys } from './use-cmdb.query';

function useRefreshCmdb() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: cmdbKeys.all });
}

export function useCreateCi() {
  const onSuccess = useRefreshCmdb();
  return useMutation({
    mutationFn: (request: CreateCiRequest) => api.post<Ci>('/api/cis', request),
    onSuccess,
    // The form shows the error itself.
    meta: { silent: true },
  });
}

export function useUpdateCi(id: number) {
  const onSuccess = useRefreshCmdb();
  return useMutation({
    mutationFn: (request: UpdateCiRequest) => api.patch<Ci>(`/api/cis/${id}`, request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useRetireCi(id: number) {
  const onSuccess = useRefreshCmdb();
  return useMutation({
    mutationFn: () => api.delete<Ci>(`/api/cis/${id}`),
    onSuccess,
  });
}

export type SaveCiClass = { id?: undefined; request: CreateCiClassRequest } | { id: number; request: UpdateCiClassRequest };

export function useSaveCiClass() {
  const onSuccess = useRefreshCmdb();
  return useMutation({
    mutationFn: (save: SaveCiClass) =>
      save.id === undefined ? api.post<CiClass>('/api/ci-classes', save.request) : api.patch<CiClass>(`/api/ci-classes/${save.id}`, save.request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useDeleteCiClass() {
  const onSuccess = useRefreshCmdb();
  return useMutation({
    mutationFn: (id: number) => api.delete<{ ok: true }>(`/api/ci-classes/${id}`),
    onSuccess,
  });
}

export function useCreateCiRelation() {
  const onSuccess = useRefreshCmdb();
  return useMutation({
    mutationFn: (request: CreateCiRelationRequest) => api.post<{ id: number }>('/api/ci-relations', request),
    onSuccess,
    // The modal shows the error itself.
    meta: { silent: true },
  });
}

export function useDeleteCiRelation() {
  const onSuccess = useRefreshCmdb();
  return useMutation({
    mutationFn: (id: number) => api.delete<{ ok: true }>(`/api/ci-relations/${id}`),
    onSuccess,
  });
}

export function useSetTicketCis(ticketId: number) {
  const onSuccess = useRefreshCmdb();
  return useMutation({
    mutationFn: (ciIds: number[]) => api.put<TicketCis>(`/api/tickets/${ticketId}/cis`, { ciIds }),
    onSuccess,
    meta: { silent: true },
  });
}
