import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Release, ReleaseReport, ReleaseSummary, TicketSummary } from '@tianshu/contracts';
import { api } from '../../app/api-client';
import type { Page } from '../../shared/contract-types';

/** Every key starts with 'releases', so one invalidation after a write refreshes lists, details and reports. */
export const releaseKeys = {
  all: ['releases'] as const,
  list: (query: ReleaseListParams) => ['releases', 'list', query] as const,
  detail: (id: number) => ['releases', 'detail', id] as const,
  report: (from: string, to: string) => ['releases', 'report', from, to] as const,
  changeSearch: (q: string, orgId: number | undefined) => ['releases', 'change-search', q, orgId] as const,
};

export interface ReleaseListParams {
  q?: string;
  state?: string[];
  page?: number;
  pageSize?: number;
}

const validId = (id: number) => Number.isSafeInteger(id) && id > 0;

export function useReleases(query: ReleaseListParams) {
  return useQuery({
    queryKey: releaseKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<ReleaseSummary>>('/api/releases', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRelease(id: number) {
  return useQuery({
    queryKey: releaseKeys.detail(id),
    queryFn: ({ signal }) => api.get<Release>(`/api/releases/${id}`, undefined, signal),
    enabled: validId(id),
    meta: { silent: true },
  });
}

export function useReleaseReport(from: string, to: string) {
  return useQuery({
    queryKey: releaseKeys.report(from, to),
    queryFn: ({ signal }) => api.get<ReleaseReport>('/api/releases/reports', { from, to }, signal),
  });
}

/** Change tickets to link (the generic ticket list, type change, same organisation as the release). */
export function useChangeSearch(q: string, orgId: number | undefined, enabled: boolean) {
  return useQuery({
    queryKey: releaseKeys.changeSearch(q, orgId),
    queryFn: ({ signal }) => api.get<Page<TicketSummary>>('/api/tickets', { type: 'change', q: q || undefined, orgId, pageSize: 20 }, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}
