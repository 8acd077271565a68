import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Ticket, TransitionRequest } from '@tianshu/contracts';
import { api } from '../../app/api-client';

/** Query keys shared with the ticket pages (every ticket type is served by /api/tickets). */
export const ticketKeys = {
  all: ['tickets'] as const,
  lists: ['tickets', 'list'] as const,
  detail: (id: number) => ['tickets', 'detail', id] as const,
};

/** POST /api/tickets/:id/transitions; the reply is the ticket's new state. */
export function useTicketTransition(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: TransitionRequest) => api.post<Ticket>(`/api/tickets/${id}/transitions`, request),
    // The modal shows the server's message itself.
    meta: { silent: true },
    onSuccess: (ticket) => {
      queryClient.setQueryData(ticketKeys.detail(id), ticket);
      // Events, attachments, SLA clocks... hang off ['tickets','detail',id]: refresh whatever a page shows.
      void queryClient.invalidateQueries({ queryKey: ticketKeys.detail(id), predicate: (query) => query.queryKey.length > 3 });
      void queryClient.invalidateQueries({ queryKey: ticketKeys.lists });
      void queryClient.invalidateQueries({ queryKey: ['approvals'] });
    },
  });
}
