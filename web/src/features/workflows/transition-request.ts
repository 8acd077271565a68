import type { Ticket, TransitionRequest } from '@tianshu/contracts';
import type { PendingReason, ResolutionCode } from '../../shared/contract-types';

export type WorkflowAction = Ticket['workflow']['actions'][number];

/** What the action modal collects. */
export interface ActionForm {
  assignmentGroupId?: number | null;
  assigneeId?: number | null;
  pendingReason?: PendingReason;
  resolutionCode?: ResolutionCode;
  resolutionNotes?: string;
  comment?: string;
}

/** Builds the request from the form: only the inputs the action asks for are sent. */
export function transitionRequest(ticket: Pick<Ticket, 'version'>, action: WorkflowAction, values: ActionForm): TransitionRequest {
  const request: TransitionRequest = { action: action.key, version: ticket.version };
  const inputs = new Set(action.inputs);
  if (inputs.has('assignment')) {
    request.assignmentGroupId = values.assignmentGroupId ?? null;
    request.assigneeId = values.assigneeId ?? null;
  }
  if (inputs.has('pendingReason') && values.pendingReason) request.pendingReason = values.pendingReason;
  if (inputs.has('resolutionCode') && values.resolutionCode) request.resolutionCode = values.resolutionCode;
  const notes = values.resolutionNotes?.trim();
  if (inputs.has('resolutionNotes') && notes) request.resolutionNotes = notes;
  // A comment is always welcome (the timeline shows it); `inputs` only makes it mandatory.
  const comment = values.comment?.trim();
  if (comment) request.comment = comment;
  return request;
}

