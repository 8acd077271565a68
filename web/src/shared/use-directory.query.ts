import { useQuery } from '@tanstack/react-query';
import type { Group, Organization, PriorityMatrix, UserLookup } from '@tianshu/contracts';
import { api } from '../app/api-client';

export const directoryKeys = {
  organizations: ['directory', 'organizations'] as const,
  groups: ['directory', 'groups'] as const,
  lookup: (q: string, orgId?: number, groupId?: number) => ['directory', 'lookup', q, orgId, groupId] as const,
  priorityMatrix: ['settings', 'priority-matrix'] as const,
};

export function useOrganizations(enabled = true) {
  return useQuery({
    queryKey: directoryKeys.organizations,
    queryFn: ({ signal }) => api.get<Organization[]>('/api/organizations', undefined, signal),
    staleTime: 60_000,
    enabled,
  });
}

export function useGroups(enabled = true) {
  return useQuery({
    queryKey: directoryKeys.groups,
    queryFn: ({ signal }) => api.get<Group[]>('/api/groups', undefined, signal),
    staleTime: 60_000,
    enabled,
  });
}

export function useUserLookup(q: string, options: { orgId?: number; groupId?: number; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: directoryKeys.lookup(q, options.orgId, options.groupId),
    queryFn: ({ signal }) =>
      api.get<UserLookup[]>(
        '/api/lookup/users',
        { q: q || undefined, orgId: options.orgId, groupId: options.groupId, limit: 20 },
        signal,
      ),
    staleTime: 30_000,
    enabled: options.enabled ?? true,
  });
}

export function usePriorityMatrix(enabled = true) {
  return useQuery({
    queryKey: directoryKeys.priorityMatrix,
    queryFn: ({ signal }) => api.get<PriorityMatrix>('/api/settings/priority-matrix', undefined, signal),
    staleTime: 60_000,
    enabled,
  });
}
