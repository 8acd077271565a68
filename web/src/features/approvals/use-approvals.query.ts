import { useQuery } from '@tanstack/react-query';
import type { ApprovalLinkInfo, CabGroups, MyApprovals, TicketApprovals } from '@tianshu/contracts';
import { api } from '../../app/api-client';

/** Every key starts with 'approvals': one invalidation after a decision refreshes lists, cards and counts. */
export const approvalKeys = {
  all: ['approvals'] as const,
  mine: (state: 'pending' | 'decided') => ['approvals', 'mine', state] as const,
  ticket: (ticketId: number) => ['approvals', 'ticket', ticketId] as const,
  link: (token: string) => ['approvals', 'link', token] as const,
  cab: ['approvals', 'cab-groups'] as const,
};

export function useMyApprovals(state: 'pending' | 'decided') {
  return useQuery({
    queryKey: approvalKeys.mine(state),
    queryFn: ({ signal }) => api.get<MyApprovals>('/api/approvals/mine', { state }, signal),
    refetchInterval: state === 'pending' ? 60_000 : false,
  });
}

export function useTicketApprovals(ticketId: number) {
  return useQuery({
    queryKey: approvalKeys.ticket(ticketId),
    queryFn: ({ signal }) => api.get<TicketApprovals>(`/api/tickets/${ticketId}/approvals`, undefined, signal),
    enabled: Number.isSafeInteger(ticketId) && ticketId > 0,
  });
}

/** Reading a link never decides (mail scanners prefetch links); no retry on 404/410. */
export function useApprovalLink(token: string) {
  return useQuery({
    queryKey: approvalKeys.link(token),
    queryFn: ({ signal }) => api.get<ApprovalLinkInfo>(`/api/approval-links/${encodeURIComponent(token)}`, undefined, signal),
    retry: false,
    meta: { silent: true },
  });
}

export function useCabGroups() {
  return useQuery({
    queryKey: approvalKeys.cab,
    queryFn: ({ signal }) => api.get<CabGroups>('/api/approvals/cab-groups', undefined, signal),
  });
}
