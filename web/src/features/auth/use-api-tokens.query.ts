import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiToken } from '@tianshu/contracts';
import { api } from '../../app/api-client';
import type { CreatedApiToken } from '../../shared/contract-types';

const tokensKey = ['auth', 'tokens'] as const;

export function useApiTokens() {
  return useQuery({
    queryKey: tokensKey,
    queryFn: ({ signal }) => api.get<ApiToken[]>('/api/auth/tokens', undefined, signal),
  });
}

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; expiresInDays?: number }) => api.post<CreatedApiToken>('/api/auth/tokens', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<unknown>(`/api/auth/tokens/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}
