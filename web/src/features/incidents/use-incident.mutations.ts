import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  Attachment,
  CommentRequest,
  CreateTicketRequest,
  Ticket,
  TicketEvent,
  TransitionRequest,
  UpdateTicketRequest,
} from '@tianshu/contracts';
import { api, apiRequest } from '../../app/api-client';
import { slaKeys } from '../sla/use-sla.query';
import { incidentKeys } from './use-incidents.query';

export function useCreateIncident() {
  const queryClient = useQueryClient();
  return useMutation({
    // The key is generated once per form, so a double click or a retried request is one ticket.
    mutationFn: ({ request, idempotencyKey }: { request: CreateTicketRequest; idempotencyKey: string }) =>
      api.post<Ticket>('/api/tickets', request, { 'Idempotency-Key': idempotencyKey }),
    onSuccess: (ticket) => {
      queryClient.setQueryData(incidentKeys.detail(ticket.id), ticket);
      void queryClient.invalidateQueries({ queryKey: incidentKeys.lists });
    },
  });
}

/** Shared success path: the reply is the new ticket state; the timeline gained events. */
function useTicketUpdated(id: number) {
  const queryClient = useQueryClient();
  return (ticket: Ticket) => {
    queryClient.setQueryData(incidentKeys.detail(id), ticket);
    void queryClient.invalidateQueries({ queryKey: incidentKeys.events(id) });
    void queryClient.invalidateQueries({ queryKey: incidentKeys.lists });
    // Pauses, resumes, stops and re-targets happen in the same write.
    void queryClient.invalidateQueries({ queryKey: slaKeys.clocks(id) });
  };
}

export function useUpdateIncident(id: number) {
  const onSuccess = useTicketUpdated(id);
  return useMutation({
    mutationFn: (request: UpdateTicketRequest) => api.patch<Ticket>(`/api/tickets/${id}`, request),
    onSuccess,
  });
}

export function useTransitionIncident(id: number) {
  const onSuccess = useTicketUpdated(id);
  return useMutation({
    mutationFn: (request: TransitionRequest) => api.post<Ticket>(`/api/tickets/${id}/transitions`, request),
    onSuccess,
  });
}

export function useAddComment(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: CommentRequest) => api.post<TicketEvent>(`/api/tickets/${id}/comments`, request),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: incidentKeys.events(id) });
      // A reply can move the ticket (e.g. updatedAt, version); refresh the header too.
      void queryClient.invalidateQueries({ queryKey: incidentKeys.detail(id), exact: true });
      // A provider's public reply stops the response clock and restarts the update clock.
      void queryClient.invalidateQueries({ queryKey: slaKeys.clocks(id) });
    },
  });
}

export function useUploadAttachment(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('file', file, file.name);
      return apiRequest<Attachment>('POST', `/api/tickets/${id}/attachments`, { body });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: incidentKeys.attachments(id) });
      void queryClient.invalidateQueries({ queryKey: incidentKeys.events(id) });
    },
  });
}
