import { useQuery } from '@tanstack/react-query';
import type { ApprovalLinkInfo, CabGroups, MyApprovals, TicketApprovals } from '@tianshu/contracts';
import { api } from '../../app/api-client';

/** Every key starts with 'approvals': one invalidation after a decision refreshes lists, cards and counts. */
export const approvalKeys = {
  all: ['approvals'] as const,
  mine: (state: 'pending' | 'decided') => ['approvals', 'mine', state] as const,
  ticket: (ticketId: number) => ['approvals', 'ticket', ticketId] as const,
  repair: (orderId: number) => ['approvals', 'repair', orderId] as const,
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

/** Where a subject's approval runs are read: a ticket, or a repair order (its cost approval). */
export type ApprovalSource = { kind: 'ticket' | 'repair'; id: number };

export function useSubjectApprovals(source: ApprovalSource) {
  const { kind, id } = source;
  return useQuery({
    queryKey: kind === 'ticket' ? approvalKeys.ticket(id) : approvalKeys.repair(id),
    queryFn: ({ signal }) => api.get<TicketApprovals>(kind === 'ticket' ? `/api/tickets/${id}/approvals` : `/api/repairs/${id}/approvals`, undefined, signal),
    enabled: Number.isSafeInteger(id) && id > 0,
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
