import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ChangeCalendar,
  ChangeDetail,
  ChangePage,
  ChangeReport,
  ChangeTemplate,
  ChangeType,
  ChangeWindow,
  CreateChangeRequest,
  CreateChangeTemplateRequest,
  CreateChangeWindowRequest,
  CutoverStep,
  ExecuteCutoverStepRequest,
  ImpactNode,
  TicketEvent,
  RiskLevel,
  SetCutoverRequest,
  UpdateChangeRequest,
  UpdateChangeTemplateRequest,
  UpdateChangeWindowRequest,
} from '@tianshu/contracts';
import { api } from '../../app/api-client';
import { newIdempotencyKey } from '../../shared/idempotency-key';

export interface ChangeListQuery {
  changeType?: ChangeType;
  state?: string;
  riskLevel?: RiskLevel;
  q?: string;
  page?: number;
  pageSize?: number;
}

/** Every key starts with 'changes': one invalidation after a write refreshes lists, details and the calendar. */
export const changeKeys = {
  all: ['changes'] as const,
  list: (q: ChangeListQuery) => ['changes', 'list', q] as const,
  detail: (id: number) => ['changes', 'detail', id] as const,
  events: (id: number) => ['changes', 'events', id] as const,
  calendar: (from: string, to: string) => ['changes', 'calendar', from, to] as const,
  windows: ['changes', 'windows'] as const,
  templates: (activeOnly: boolean) => ['changes', 'templates', activeOnly] as const,
  report: (from: string, to: string) => ['changes', 'report', from, to] as const,
};

export function useChanges(q: ChangeListQuery) {
  return useQuery({
    queryKey: changeKeys.list(q),
    queryFn: ({ signal }) => api.get<ChangePage>('/api/changes', { ...q }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useChange(id: number) {
  return useQuery({
    queryKey: changeKeys.detail(id),
    queryFn: ({ signal }) => api.get<ChangeDetail>(`/api/changes/${id}`, undefined, signal),
    enabled: Number.isFinite(id) && id > 0,
  });
}

/** The change's timeline (GET /api/tickets/:id/events), refreshed with the change after every write. */
export function useChangeEvents(id: number, enabled: boolean) {
  return useQuery({
    queryKey: changeKeys.events(id),
    queryFn: ({ signal }) => api.get<TicketEvent[]>(`/api/tickets/${id}/events`, undefined, signal),
    enabled,
  });
}

export function useChangeCalendar(from: string, to: string) {
  return useQuery({
    queryKey: changeKeys.calendar(from, to),
    queryFn: ({ signal }) => api.get<ChangeCalendar>('/api/changes/calendar', { from, to }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useChangeWindows() {
  return useQuery({ queryKey: changeKeys.windows, queryFn: ({ signal }) => api.get<ChangeWindow[]>('/api/changes/windows', undefined, signal) });
}

export function useChangeTemplates(activeOnly: boolean) {
  return useQuery({
    queryKey: changeKeys.templates(activeOnly),
    queryFn: ({ signal }) => api.get<ChangeTemplate[]>('/api/changes/templates', activeOnly ? { active: 'true' } : undefined, signal),
  });
}

export function useChangeReport(from: string, to: string) {
  return useQuery({
    queryKey: changeKeys.report(from, to),
    queryFn: ({ signal }) => api.get<ChangeReport>('/api/changes/reports', { from, to }, signal),
    placeholderData: keepPreviousData,
  });
}

/** Business services impacted by each chosen CI (GET /api/cis/:id/services), merged: the form's live preview. */
export function useImpactedServices(ciIds: number[]) {
  const results = useQueries({
    queries: ciIds.map((id) => ({
      queryKey: ['cmdb', 'ci', id, 'services'] as const,
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<ImpactNode[]>(`/api/cis/${id}/services`, undefined, signal),
      staleTime: 30_000,
    })),
  });
  const seen = new Map<number, ImpactNode>();
  for (const r of results) for (const s of r.data ?? []) if (!seen.has(s.id)) seen.set(s.id, s);
  return { services: [...seen.values()], loading: results.some((r) => r.isFetching) };
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: changeKeys.all });
}

export function useCreateChange() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: CreateChangeRequest) => api.post<ChangeDetail>('/api/changes', body, { 'Idempotency-Key': newIdempotencyKey() }),
    onSuccess: () => void invalidate(),
  });
}

export function useUpdateChange(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: UpdateChangeRequest) => api.patch<ChangeDetail>(`/api/changes/${id}`, body),
    onSuccess: () => void invalidate(),
  });
}

export function useSetCutover(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: SetCutoverRequest) => api.put<CutoverStep[]>(`/api/changes/${id}/cutover`, body),
    onSuccess: () => void invalidate(),
  });
}

export function useExecuteStep(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ stepId, body }: { stepId: number; body: ExecuteCutoverStepRequest }) => api.post<CutoverStep[]>(`/api/changes/${id}/cutover/${stepId}`, body),
    onSuccess: () => void invalidate(),
  });
}

export function useSaveWindow() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: CreateChangeWindowRequest | UpdateChangeWindowRequest }) =>
      id === null ? api.post<ChangeWindow>('/api/changes/windows', body) : api.patch<ChangeWindow>(`/api/changes/windows/${id}`, body),
    onSuccess: () => void invalidate(),
  });
}

export function useDeleteWindow() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: number) => api.delete<{ ok: true }>(`/api/changes/windows/${id}`),
    onSuccess: () => void invalidate(),
  });
}

export function useSaveTemplate() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: CreateChangeTemplateRequest | UpdateChangeTemplateRequest }) =>
      id === null ? api.post<ChangeTemplate>('/api/changes/templates', body) : api.patch<ChangeTemplate>(`/api/changes/templates/${id}`, body),
    onSuccess: () => void invalidate(),
  });
}
