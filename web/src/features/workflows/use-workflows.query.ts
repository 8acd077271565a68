import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateWorkflowRequest, Label, SaveWorkflowRequest, Workflow, WorkflowDefinition, WorkflowIssue, WorkflowSummary } from '@tianshu/contracts';
import { api } from '../../app/api-client';

export const workflowKeys = {
  all: ['workflows'] as const,
  list: ['workflows', 'list'] as const,
  extensions: ['workflows', 'extensions'] as const,
  detail: (key: string, version?: number) => ['workflows', 'detail', key, version ?? 'current'] as const,
  details: (key: string) => ['workflows', 'detail', key] as const,
};

export function useWorkflows(enabled = true) {
  return useQuery({
    queryKey: workflowKeys.list,
    queryFn: ({ signal }) => api.get<{ items: WorkflowSummary[] }>('/api/workflows', undefined, signal),
    select: (data) => data.items,
    enabled,
  });
}

/** The current version, or an older one when `version` is given. */
export function useWorkflow(key: string, version?: number) {
  return useQuery({
    queryKey: workflowKeys.detail(key, version),
    queryFn: ({ signal }) => api.get<Workflow>(`/api/workflows/${encodeURIComponent(key)}`, { version }, signal),
    enabled: key !== '',
    // The page renders 404 itself.
    meta: { silent: true },
  });
}

/** Names of guard checks and hooks modules registered (for the editor's selects). */
export function useWorkflowExtensions(enabled = true) {
  return useQuery({
    queryKey: workflowKeys.extensions,
    queryFn: ({ signal }) => api.get<{ checks: string[]; hooks: string[] }>('/api/workflows/extensions', undefined, signal),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useValidateWorkflow() {
  return useMutation({
    mutationFn: (definition: WorkflowDefinition) => api.post<{ ok: boolean; issues: WorkflowIssue[] }>('/api/workflows/validate', { definition }),
  });
}

export function useSaveWorkflow(key: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: SaveWorkflowRequest) => api.put<Workflow>(`/api/workflows/${encodeURIComponent(key)}`, request),
    // The page shows conflicts and definition issues itself.
    meta: { silent: true },
    onSuccess: (workflow) => {
      void queryClient.invalidateQueries({ queryKey: workflowKeys.details(key) });
      queryClient.setQueryData(workflowKeys.detail(key), workflow);
      void queryClient.invalidateQueries({ queryKey: workflowKeys.list });
    },
  });
}

export function useCreateWorkflow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateWorkflowRequest) => api.post<Workflow>('/api/workflows', request),
    onSuccess: (workflow) => {
      queryClient.setQueryData(workflowKeys.detail(workflow.key), workflow);
      void queryClient.invalidateQueries({ queryKey: workflowKeys.list });
    },
  });
}

/** Issues the server attached to a 422 WORKFLOW_INVALID (details.issues), or none. */
export function issuesFromDetails(details: unknown): WorkflowIssue[] {
  if (typeof details !== 'object' || details === null || !('issues' in details)) return [];
  const issues = (details as { issues: unknown }).issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (i): i is WorkflowIssue =>
      typeof i === 'object' && i !== null && typeof (i as WorkflowIssue).code === 'string' && typeof (i as WorkflowIssue).path === 'string' && typeof (i as WorkflowIssue).ref === 'string',
  );
}

/**
 * State labels of a workflow's current version by key, for list pages whose rows carry only a
 * state key (pass them to StateTag's `label`). Readable with ticket.read.
 */
export function useWorkflowStateLabels(key: string, enabled = true) {
  return useQuery({
    queryKey: workflowKeys.detail(key),
    queryFn: ({ signal }) => api.get<Workflow>(`/api/workflows/${encodeURIComponent(key)}`, undefined, signal),
    select: (workflow) => new Map<string, Label>(workflow.definition.states.map((s) => [s.key, s.label])),
    staleTime: 5 * 60_000,
    enabled: enabled && key !== '',
    meta: { silent: true },
  });
}
