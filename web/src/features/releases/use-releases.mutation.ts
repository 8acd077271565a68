import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  CreateReleaseDeploymentRequest,
  CreateReleaseRecordRequest,
  CreateReleaseRequest,
  Release,
  ReleaseCmdbConfirmationRequest,
  ReleaseDeployment,
  ReleaseRecord,
  UpdateReleaseDeploymentRequest,
  UpdateReleaseDetailsRequest,
} from '@tianshu/contracts';
import { api } from '../../app/api-client';
import { releaseKeys } from './use-releases.query';

function useRefresh() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: releaseKeys.all });
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
  };
}

// Modals show the server's message themselves: every mutation is silent.
export function useCreateRelease() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: ({ request, idempotencyKey }: { request: CreateReleaseRequest; idempotencyKey: string }) =>
      api.post<Release>('/api/releases', request, { 'Idempotency-Key': idempotencyKey }),
    onSuccess,
    meta: { silent: true },
  });
}

export function useUpdateRelease(id: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (request: UpdateReleaseDetailsRequest) => api.patch<Release>(`/api/releases/${id}`, request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useLinkChanges(id: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (changeIds: number[]) => api.post<Release>(`/api/releases/${id}/changes`, { changeIds }),
    onSuccess,
    meta: { silent: true },
  });
}

export function useUnlinkChange(id: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (changeId: number) => api.delete<Release>(`/api/releases/${id}/changes/${changeId}`),
    onSuccess,
  });
}

export function useAddRecord(id: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (request: CreateReleaseRecordRequest) => api.post<ReleaseRecord>(`/api/releases/${id}/records`, request),
    onSuccess,
    meta: { silent: true },
  });
}

export type SaveDeployment = { deploymentId?: undefined; request: CreateReleaseDeploymentRequest } | { deploymentId: number; request: UpdateReleaseDeploymentRequest };

export function useSaveDeployment(id: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (v: SaveDeployment) =>
      v.deploymentId === undefined
        ? api.post<ReleaseDeployment>(`/api/releases/${id}/deployments`, v.request)
        : api.patch<ReleaseDeployment>(`/api/releases/${id}/deployments/${v.deploymentId}`, v.request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useConfirmCmdb(id: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (request: ReleaseCmdbConfirmationRequest) => api.post<Release>(`/api/releases/${id}/cmdb-confirmation`, request),
    onSuccess,
    meta: { silent: true },
  });
}
