import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import type { CreateSlaRequest, SlaDefinition, SlaReplayRequest, SlaReplayResult, UpdateSlaRequest } from './sla-types';
import { slaKeys } from './use-sla.query';

/** Every write returns the whole definition: put it in the cache and let the list and versions refetch. */
function useSlaStored() {
  const queryClient = useQueryClient();
  return (definition: SlaDefinition) => {
    queryClient.setQueryData(slaKeys.detail(definition.id), definition);
    void queryClient.invalidateQueries({ queryKey: slaKeys.list });
    void queryClient.invalidateQueries({ queryKey: slaKeys.versions(definition.id) });
  };
}

export function useCreateSla() {
  const onSuccess = useSlaStored();
  return useMutation({
    mutationFn: (request: CreateSlaRequest) => api.post<SlaDefinition>('/api/sla-definitions', request),
    onSuccess,
    // The form shows the server's message itself.
    meta: { silent: true },
  });
}

export function useUpdateSla(id: number) {
  const onSuccess = useSlaStored();
  return useMutation({
    mutationFn: (request: UpdateSlaRequest) => api.patch<SlaDefinition>(`/api/sla-definitions/${id}`, request),
    onSuccess,
    meta: { silent: true },
  });
}

/** Preview (dryRun) or apply a replay; an applied one changes ticket clocks, so those are refetched. */
export function useSlaReplay() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: SlaReplayRequest) => api.post<SlaReplayResult>('/api/sla/replay', request),
    onSuccess: (result) => {
      if (!result.dryRun) void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
    meta: { silent: true },
  });
}
