import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { AuditEntry, AuditQuery, AuditVerify } from '@tianshu/contracts';
import { api, type QueryParams } from '../../app/api-client';
import type { Page } from '../../shared/contract-types';

export function useAuditLog(query: AuditQuery) {
  return useQuery({
    queryKey: ['audit', 'list', query],
    queryFn: ({ signal }) => api.get<Page<AuditEntry>>('/api/audit', query as QueryParams, signal),
    placeholderData: keepPreviousData,
  });
}

/** A mutation (not a query): verification walks the whole chain and runs only on request. */
export function useVerifyAuditChain() {
  return useMutation({
    mutationFn: () => api.get<AuditVerify>('/api/audit/verify'),
  });
}
