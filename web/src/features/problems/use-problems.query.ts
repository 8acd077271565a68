import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateProblemRequest,
  KnownErrorRequest,
  Problem,
  ProblemListQuery,
  ProblemReport,
  ProblemSummary,
  TicketListQuery,
  TicketSummary,
  UpdateProblemDetailsRequest,
} from '@tianshu/contracts';
import { api, type QueryParams } from '../../app/api-client';
import type { Page } from '../../shared/contract-types';

/** Problem pages keep their data under 'problems'; a write also refreshes ticket lists and knowledge. */
export const problemKeys = {
  all: ['problems'] as const,
  list: (query: ProblemListQuery) => ['problems', 'list', query] as const,
  detail: (id: number) => ['problems', 'detail', id] as const,
  byIncident: (id: number) => ['problems', 'by-incident', id] as const,
  report: (from: string, to: string) => ['problems', 'report', from, to] as const,
};

const validId = (id: number) => Number.isSafeInteger(id) && id > 0;

export function useProblems(query: ProblemListQuery) {
  return useQuery({
    queryKey: problemKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<ProblemSummary>>('/api/problems', query as QueryParams, signal),
    placeholderData: keepPreviousData,
  });
}

export function useProblem(id: number) {
  return useQuery({
    queryKey: problemKeys.detail(id),
    queryFn: ({ signal }) => api.get<Problem>(`/api/problems/${id}`, undefined, signal),
    enabled: validId(id),
    meta: { silent: true },
  });
}

export function useIncidentProblem(incidentId: number, enabled = true) {
  return useQuery({
    queryKey: problemKeys.byIncident(incidentId),
    queryFn: ({ signal }) => api.get<{ problem: { id: number; number: string; title: string; state: string } | null }>(`/api/problems/by-incident/${incidentId}`, undefined, signal),
    enabled: enabled && validId(incidentId),
  });
}

export function useProblemReport(from: string, to: string) {
  return useQuery({
    queryKey: problemKeys.report(from, to),
    queryFn: ({ signal }) => api.get<ProblemReport>('/api/problems/reports', { from, to }, signal),
  });
}

/** Tickets of one type for pickers (incidents, changes, problems), searched on the server. */
export function useTicketSearch(type: 'incident' | 'change' | 'problem', q: string, enabled = true) {
  const query: TicketListQuery = { type, q: q || undefined, pageSize: 20 };
  return useQuery({
    queryKey: ['tickets', 'list', query] as const,
    queryFn: ({ signal }) => api.get<Page<TicketSummary>>('/api/tickets', query as QueryParams, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return (problem?: Problem) => {
    if (problem) queryClient.setQueryData(problemKeys.detail(problem.ticket.id), problem);
    void queryClient.invalidateQueries({ queryKey: problemKeys.all });
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    void queryClient.invalidateQueries({ queryKey: ['knowledge'] });
  };
}

export function useCreateProblem() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ request, idempotencyKey }: { request: CreateProblemRequest; idempotencyKey: string }) =>
      api.post<Problem>('/api/problems', request, { 'Idempotency-Key': idempotencyKey }),
    onSuccess: (p) => refresh(p),
    meta: { silent: true },
  });
}

export function useUpdateRca(id: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (request: UpdateProblemDetailsRequest) => api.patch<Problem>(`/api/problems/${id}/details`, request),
    onSuccess: (p) => refresh(p),
    meta: { silent: true },
  });
}

export type LinkKind = 'incidents' | 'cis' | 'changes';
const BODY_KEY: Record<LinkKind, string> = { incidents: 'incidentIds', cis: 'ciIds', changes: 'changeIds' };

export function useLink(id: number, kind: LinkKind) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (ids: number[]) => api.post<Problem>(`/api/problems/${id}/${kind}`, { [BODY_KEY[kind]]: ids }),
    onSuccess: (p) => refresh(p),
    meta: { silent: true },
  });
}

export function useUnlink(id: number, kind: LinkKind) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (linkedId: number) => api.delete<Problem>(`/api/problems/${id}/${kind}/${linkedId}`),
    onSuccess: (p) => refresh(p),
  });
}

/** Links incidents to a problem chosen elsewhere (the incident page's "link to problem"). */
export function useLinkIncidentTo() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ problemId, incidentId }: { problemId: number; incidentId: number }) => api.post<Problem>(`/api/problems/${problemId}/incidents`, { incidentIds: [incidentId] }),
    onSuccess: (p) => refresh(p),
    meta: { silent: true },
  });
}

export function useSaveKnownError(id: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (request: KnownErrorRequest) => api.post<Problem>(`/api/problems/${id}/known-error`, request),
    onSuccess: (p) => refresh(p),
    meta: { silent: true },
  });
}
