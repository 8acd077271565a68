import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import type { Ci, CiClass, CiDiff, CiPage, CiRelationType, CiRelationView, CiStatus, CiVersion, ImpactDirection, ImpactResult, TicketCis } from './cmdb-types';

/** Every key starts with 'cmdb', so one invalidation after a write refreshes all of them. */
export const cmdbKeys = {
  all: ['cmdb'] as const,
  classes: ['cmdb', 'classes'] as const,
  list: (query: CiListQuery) => ['cmdb', 'cis', query] as const,
  detail: (id: number) => ['cmdb', 'ci', id] as const,
  versions: (id: number) => ['cmdb', 'versions', id] as const,
  diff: (id: number, from: number, to: number) => ['cmdb', 'diff', id, from, to] as const,
  relationTypes: ['cmdb', 'relation-types'] as const,
  relations: (id: number) => ['cmdb', 'relations', id] as const,
  impact: (id: number, direction: ImpactDirection, depth: number) => ['cmdb', 'impact', id, direction, depth] as const,
  ticketCis: (ticketId: number) => ['cmdb', 'ticket-cis', ticketId] as const,
};

export interface CiListQuery {
  classId?: number;
  q?: string;
  status?: CiStatus;
  orgId?: number;
  /** Exact value of one attribute of the class (attrKey with attrValue). */
  attrKey?: string;
  attrValue?: string;
  page?: number;
  pageSize?: number;
}

const validId = (id: number) => Number.isSafeInteger(id) && id > 0;

export function useCiClasses(enabled = true) {
  return useQuery({
    queryKey: cmdbKeys.classes,
    queryFn: ({ signal }) => api.get<CiClass[]>('/api/ci-classes', undefined, signal),
    staleTime: 30_000,
    enabled,
  });
}

export function useCis(query: CiListQuery, enabled = true) {
  return useQuery({
    queryKey: cmdbKeys.list(query),
    queryFn: ({ signal }) => api.get<CiPage>('/api/cis', { ...query }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCi(id: number) {
  return useQuery({
    queryKey: cmdbKeys.detail(id),
    queryFn: ({ signal }) => api.get<Ci>(`/api/cis/${id}`, undefined, signal),
    enabled: validId(id),
    // The page renders 404/403 itself.
    meta: { silent: true },
  });
}

export function useCiVersions(id: number) {
  return useQuery({
    queryKey: cmdbKeys.versions(id),
    queryFn: ({ signal }) => api.get<CiVersion[]>(`/api/cis/${id}/versions`, undefined, signal),
    enabled: validId(id),
  });
}

export function useCiDiff(id: number, from: number | undefined, to: number | undefined) {
  return useQuery({
    queryKey: cmdbKeys.diff(id, from ?? 0, to ?? 0),
    queryFn: ({ signal }) => api.get<CiDiff>(`/api/cis/${id}/diff`, { from, to }, signal),
    enabled: validId(id) && from !== undefined && to !== undefined && from !== to,
  });
}

export function useCiRelationTypes(enabled = true) {
  return useQuery({
    queryKey: cmdbKeys.relationTypes,
    queryFn: ({ signal }) => api.get<CiRelationType[]>('/api/ci-relation-types', undefined, signal),
    staleTime: 30_000,
    enabled,
  });
}

export function useCiRelations(id: number) {
  return useQuery({
    queryKey: cmdbKeys.relations(id),
    queryFn: ({ signal }) => api.get<CiRelationView[]>(`/api/cis/${id}/relations`, undefined, signal),
    enabled: validId(id),
  });
}

export function useCiImpact(id: number, direction: ImpactDirection, depth: number) {
  return useQuery({
    queryKey: cmdbKeys.impact(id, direction, depth),
    queryFn: ({ signal }) => api.get<ImpactResult>(`/api/cis/${id}/impact`, { direction, depth }, signal),
    enabled: validId(id),
    placeholderData: keepPreviousData,
  });
}

export function useTicketCis(ticketId: number, enabled = true) {
  return useQuery({
    queryKey: cmdbKeys.ticketCis(ticketId),
    queryFn: ({ signal }) => api.get<TicketCis>(`/api/tickets/${ticketId}/cis`, undefined, signal),
    enabled: enabled && validId(ticketId),
  });
}
