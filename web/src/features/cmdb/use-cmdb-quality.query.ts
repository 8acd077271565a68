import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CiBaseline,
  CiBaselineItem,
  CiDriftKind,
  CiDriftReport,
  CmdbAuditReport,
  CmdbAuditRule,
  CmdbAuditRun,
  CmdbAuditSchedule,
  CmdbAuditViolation,
  CreateCiBaselineRequest,
  CreateCmdbAuditRuleRequest,
  UpdateCiBaselineRequest,
  UpdateCmdbAuditRuleRequest,
  UpdateCmdbAuditScheduleRequest,
} from '@tianshu/contracts';
import { api } from '../../app/api-client';

/** The shape of the contracts' pageOf(...) responses. */
type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/** Every key starts with 'cmdb-quality', so one invalidation after a write refreshes them all. */
export const qualityKeys = {
  all: ['cmdb-quality'] as const,
  baselines: (page: number, ciId?: number) => ['cmdb-quality', 'baselines', page, ciId] as const,
  baseline: (id: number) => ['cmdb-quality', 'baseline', id] as const,
  items: (id: number, page: number) => ['cmdb-quality', 'items', id, page] as const,
  drift: (id: number, q: DriftQuery) => ['cmdb-quality', 'drift', id, q] as const,
  rules: ['cmdb-quality', 'rules'] as const,
  schedule: ['cmdb-quality', 'schedule'] as const,
  runs: ['cmdb-quality', 'runs'] as const,
  report: (id: number | 'latest') => ['cmdb-quality', 'report', id] as const,
  violations: (id: number, q: ViolationQuery) => ['cmdb-quality', 'violations', id, q] as const,
};

export interface DriftQuery {
  kind?: CiDriftKind;
  ciId?: number;
  page: number;
  pageSize: number;
}

export interface ViolationQuery {
  ruleId?: number;
  classId?: number;
  page: number;
  pageSize: number;
}

const validId = (id: number) => Number.isSafeInteger(id) && id > 0;

export function useBaselines(page: number, pageSize = 20, ciId?: number) {
  return useQuery({
    queryKey: qualityKeys.baselines(page, ciId),
    queryFn: ({ signal }) => api.get<Page<CiBaseline>>('/api/cmdb/baselines', { page, pageSize, ciId }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useBaseline(id: number) {
  return useQuery({
    queryKey: qualityKeys.baseline(id),
    queryFn: ({ signal }) => api.get<CiBaseline>(`/api/cmdb/baselines/${id}`, undefined, signal),
    enabled: validId(id),
    meta: { silent: true },
  });
}

export function useBaselineItems(id: number, page: number) {
  return useQuery({
    queryKey: qualityKeys.items(id, page),
    queryFn: ({ signal }) => api.get<Page<CiBaselineItem>>(`/api/cmdb/baselines/${id}/items`, { page, pageSize: 20 }, signal),
    enabled: validId(id),
    placeholderData: keepPreviousData,
  });
}

export function useDrift(id: number, query: DriftQuery) {
  return useQuery({
    queryKey: qualityKeys.drift(id, query),
    queryFn: ({ signal }) => api.get<CiDriftReport>(`/api/cmdb/baselines/${id}/drift`, { ...query }, signal),
    enabled: validId(id),
    placeholderData: keepPreviousData,
  });
}

export function useAuditRules(enabled = true) {
  return useQuery({
    queryKey: qualityKeys.rules,
    queryFn: ({ signal }) => api.get<CmdbAuditRule[]>('/api/cmdb/audit-rules', undefined, signal),
    enabled,
  });
}

export function useAuditSchedule() {
  return useQuery({
    queryKey: qualityKeys.schedule,
    queryFn: ({ signal }) => api.get<CmdbAuditSchedule>('/api/cmdb/audit-schedule', undefined, signal),
  });
}

export function useAuditRuns() {
  return useQuery({
    queryKey: qualityKeys.runs,
    queryFn: ({ signal }) => api.get<Page<CmdbAuditRun>>('/api/cmdb/audit-runs', { page: 1, pageSize: 50 }, signal),
  });
}

/** A run's report; the latest visible run when no id is given. */
export function useAuditReport(id: number | undefined) {
  return useQuery({
    queryKey: qualityKeys.report(id ?? 'latest'),
    queryFn: async ({ signal }) =>
      id === undefined
        ? (await api.get<{ report: CmdbAuditReport | null }>('/api/cmdb/audit-runs/latest', undefined, signal)).report
        : api.get<CmdbAuditReport>(`/api/cmdb/audit-runs/${id}`, undefined, signal),
  });
}

export function useAuditViolations(runId: number | undefined, query: ViolationQuery) {
  return useQuery({
    queryKey: qualityKeys.violations(runId ?? 0, query),
    queryFn: ({ signal }) => api.get<Page<CmdbAuditViolation>>(`/api/cmdb/audit-runs/${runId ?? 0}/violations`, { ...query }, signal),
    enabled: runId !== undefined && validId(runId),
    placeholderData: keepPreviousData,
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: qualityKeys.all });
}

export function useCreateBaseline() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (request: CreateCiBaselineRequest) => api.post<CiBaseline>('/api/cmdb/baselines', request),
    onSuccess,
    // The form shows the error itself.
    meta: { silent: true },
  });
}

export function useUpdateBaseline(id: number) {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (request: UpdateCiBaselineRequest) => api.patch<CiBaseline>(`/api/cmdb/baselines/${id}`, request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useDeleteBaseline(id: number) {
  const onSuccess = useRefresh();
  return useMutation({ mutationFn: () => api.delete<{ ok: true }>(`/api/cmdb/baselines/${id}`), onSuccess });
}

export function useRunAudit() {
  const onSuccess = useRefresh();
  return useMutation({ mutationFn: () => api.post<CmdbAuditReport>('/api/cmdb/audit-runs'), onSuccess });
}

export type SaveAuditRule = { id?: undefined; request: CreateCmdbAuditRuleRequest } | { id: number; request: UpdateCmdbAuditRuleRequest };

export function useSaveAuditRule() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (save: SaveAuditRule) =>
      save.id === undefined ? api.post<CmdbAuditRule>('/api/cmdb/audit-rules', save.request) : api.patch<CmdbAuditRule>(`/api/cmdb/audit-rules/${save.id}`, save.request),
    onSuccess,
    meta: { silent: true },
  });
}

export function useDeleteAuditRule() {
  const onSuccess = useRefresh();
  return useMutation({ mutationFn: (id: number) => api.delete<{ ok: true }>(`/api/cmdb/audit-rules/${id}`), onSuccess });
}

export function useSaveAuditSchedule() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (request: UpdateCmdbAuditScheduleRequest) => api.put<CmdbAuditSchedule>('/api/cmdb/audit-schedule', request),
    onSuccess,
    meta: { silent: true },
  });
}
