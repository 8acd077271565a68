import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApprovalDecision, ApprovalLinkDecideResult, BatchDecideResult, CabGroups, DecisionResult } from '@tianshu/contracts';
import { api } from '../../app/api-client';
import { approvalKeys } from './use-approvals.query';

function useRefresh() {
  const queryClient = useQueryClient();
  // A decision may move its subject (a ticket's onApproved / onRejected, a repair order's status): refresh those too.
  return () => {
    void queryClient.invalidateQueries({ queryKey: approvalKeys.all });
    void queryClient.invalidateQueries({ queryKey: ['incidents'] });
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    void queryClient.invalidateQueries({ queryKey: ['vendors'] });
  };
}

export function useDecide() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (v: { taskId: number; decision: ApprovalDecision; comment: string }) =>
      api.post<DecisionResult>(`/api/approvals/tasks/${v.taskId}/decision`, { decision: v.decision, comment: v.comment }),
    onSuccess,
    meta: { silent: true },
  });
}

export function useDecideMany() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (v: { taskIds: number[]; decision: ApprovalDecision; comment: string }) => api.post<BatchDecideResult>('/api/approvals/decisions', v),
    onSuccess,
  });
}

export function useDelegate() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (v: { taskId: number; userId: number; comment: string }) =>
      api.post<{ taskId: number; newTaskId: number }>(`/api/approvals/tasks/${v.taskId}/delegate`, { userId: v.userId, comment: v.comment }),
    onSuccess,
    meta: { silent: true },
  });
}

export function useDecideByLink(token: string) {
  return useMutation({
    mutationFn: (comment: string) => api.post<ApprovalLinkDecideResult>(`/api/approval-links/${encodeURIComponent(token)}`, { comment }),
    meta: { silent: true },
  });
}

export function useSaveCabGroups() {
  const onSuccess = useRefresh();
  return useMutation({
    mutationFn: (v: CabGroups) => api.put<CabGroups>('/api/approvals/cab-groups', v),
    onSuccess,
  });
}
