import type { TFunction } from 'i18next';
import type { ApprovalRule, ApprovalRunState, ApprovalTaskState, Label } from '@tianshu/contracts';
import { localized } from '../workflows/workflow-labels';

// Records keyed by the contract unions: a state added to the contracts and missing here fails typecheck.
const RUN_COLORS: Record<ApprovalRunState, string> = { pending: 'processing', approved: 'success', rejected: 'error', cancelled: 'default' };
const TASK_COLORS: Record<ApprovalTaskState, string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
  delegated: 'purple',
  skipped: 'default',
  cancelled: 'default',
};

export const runStateColor = (s: ApprovalRunState): string => RUN_COLORS[s];
export const taskStateColor = (s: ApprovalTaskState): string => TASK_COLORS[s];
export const runStateLabel = (t: TFunction, s: ApprovalRunState): string => t(`approval.runState.${s}`);
export const taskStateLabel = (t: TFunction, s: ApprovalTaskState): string => t(`approval.taskState.${s}`);

export function ruleLabel(t: TFunction, rule: ApprovalRule): string {
  if (rule.type === 'count') return t('approval.rule.count', { count: rule.count });
  return t(`approval.rule.${rule.type}`);
}

/** Where an approval's subject is shown: a ticket by its type (as the server's ticketLink), or a repair order. */
export function ticketPath(type: string, id: number): string {
  const base: Record<string, string> = { incident: '/incidents', request: '/requests', problem: '/problems', change: '/changes', release: '/releases', repair: '/repairs' };
  return `${base[type] ?? '/incidents'}/${id}`;
}

export function ageText(t: TFunction, minutes: number): string {
  return t('approval.ageValue', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

function isLabel(v: unknown): v is Label {
  return typeof v === 'object' && v !== null && typeof (v as Label)['zh-CN'] === 'string' && typeof (v as Label)['en-US'] === 'string';
}

function labelOf(v: unknown, fallback: string, locale: string): string {
  return isLabel(v) ? localized(v, locale) : fallback;
}

/**
 * The timeline line of a ticket event of kind 'approval' (data.action: requested, decided,
 * delegated, step_completed, completed, cancelled).
 */
export function approvalEventText(t: TFunction, locale: string, data: Record<string, unknown>, actorName: string | null): string {
  const approval = labelOf(data['label'], String(data['approvalKey'] ?? ''), locale);
  const step = labelOf(data['stepLabel'], String(data['stepKey'] ?? (typeof data['step'] === 'number' ? data['step'] + 1 : '')), locale);
  const round = typeof data['round'] === 'number' ? data['round'] : 1;
  const actor = actorName ?? t('common.system');
  const outcome = data['outcome'] === 'rejected' ? t('approval.event.rejected') : t('approval.event.approved');
  switch (data['action']) {
    case 'requested':
      return t('approval.event.requested', { approval, round, step });
    case 'decided': {
      const decision = data['decision'] === 'reject' ? t('approval.event.reject') : t('approval.event.approve');
      const via = data['via'] === 'link' ? t('approval.event.decidedViaLink') : '';
      return t('approval.event.decided', { actor, decision, approval, step }) + via;
    }
    case 'delegated':
      return t('approval.event.delegated', { actor, delegate: String(data['delegateName'] ?? data['delegateId'] ?? '') });
    case 'step_completed':
      return t('approval.event.stepCompleted', { step, outcome });
    case 'completed':
      return t('approval.event.completed', { approval, round, outcome });
    case 'cancelled':
      return t('approval.event.cancelled', { approval, round });
    default:
      return approval;
  }
}

/** Timeline dot colour of an approval event. */
export function approvalEventColor(data: Record<string, unknown>): string {
  if (data['action'] === 'cancelled') return 'gray';
  if (data['decision'] === 'reject' || data['outcome'] === 'rejected') return 'red';
  if (data['decision'] === 'approve' || data['outcome'] === 'approved') return 'green';
  return 'purple';
}
