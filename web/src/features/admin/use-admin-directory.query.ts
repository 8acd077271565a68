import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Group, Organization } from '@tianshu/contracts';
import { api } from '../../app/api-client';
import type { RoleInfo } from '../../shared/contract-types';
import { directoryKeys } from '../../shared/use-directory.query';

export interface GroupInput {
  name: string;
  description: string | null;
  leadUserId: number | null;
  memberIds: number[];
  orgIds: number[];
}

export function useRoles() {
  return useQuery({
    queryKey: ['admin', 'roles'],
    queryFn: ({ signal }) => api.get<RoleInfo[]>('/api/roles', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

export function useCreateOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; code: string }) =>
      api.post<Organization>('/api/organizations', { ...input, kind: 'customer' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: directoryKeys.organizations }),
  });
}

export function useUpdateOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, name }: { id: number; name: string }) => api.patch<Organization>(`/api/organizations/${id}`, { name }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: directoryKeys.organizations }),
  });
}

export function useSaveGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: number | null; input: GroupInput }) =>
      id === null ? api.post<Group>('/api/groups', input) : api.patch<Group>(`/api/groups/${id}`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: directoryKeys.groups }),
  });
}
