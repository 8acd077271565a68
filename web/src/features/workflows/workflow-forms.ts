import type {
  ApprovalDefinition,
  Approver,
  Effect,
  Guard,
  Role,
  TransitionAllow,
  TransitionInput,
  WorkflowState,
  WorkflowTransition,
} from '@tianshu/contracts';

/**
 * Flat form shapes for the editor's modals and their conversion to and from the definition's
 * discriminated unions (antd forms handle flat objects and lists far better than unions).
 */

export const TRANSITION_INPUTS: readonly TransitionInput[] = ['assignment', 'pendingReason', 'resolutionCode', 'resolutionNotes', 'comment'];
export const GUARD_TYPES: readonly Guard['type'][] = ['field_set', 'approval_granted', 'check'];
export const EFFECT_TYPES: readonly Effect['type'][] = ['notify', 'set_field', 'take', 'start_approval', 'cancel_approvals', 'hook'];
export const GUARD_FIELDS = ['assigneeId', 'assignmentGroupId', 'requesterId', 'category', 'service', 'description'] as const;
export const APPROVER_TYPES: readonly Approver['type'][] = ['user', 'group', 'role', 'requester_manager', 'cab'];
export const ORG_KINDS = ['provider', 'customer'] as const;
// Records keyed by the contract unions: a value added to the contract and missing here fails typecheck.
const PARTY_SET: Record<NonNullable<TransitionAllow['party']>, true> = { requester: true, own_org: true, assignee: true };
export const PARTIES = Object.keys(PARTY_SET) as NonNullable<TransitionAllow['party']>[];
export const RECIPIENTS = ['requester', 'assignee', 'group'] as const;
export const NOTIFY_EVENTS = ['ticket.transition', 'ticket.resolved'] as const;
export const CUSTOM_FIELD_PATTERN = /^custom\.[A-Za-z0-9_]{1,64}$/;

/** Select value standing for `to: null` (keep the current state). */
export const KEEP_STATE = '';

export interface StateFormValues {
  key: string;
  labelZh: string;
  labelEn: string;
  category: WorkflowState['category'];
}

export function stateToForm(state: WorkflowState): StateFormValues {
  return { key: state.key, labelZh: state.label['zh-CN'], labelEn: state.label['en-US'], category: state.category };
}

export function formToState(values: StateFormValues): WorkflowState {
  return { key: values.key.trim(), label: { 'zh-CN': values.labelZh.trim(), 'en-US': values.labelEn.trim() }, category: values.category };
}

export interface GuardForm {
  type: Guard['type'];
  field?: string;
  approval?: string;
  name?: string;
}

export type ValueKind = 'string' | 'number' | 'boolean' | 'null';

export interface EffectForm {
  type: Effect['type'];
  recipients?: (typeof RECIPIENTS)[number];
  event?: (typeof NOTIFY_EVENTS)[number];
  field?: string;
  valueKind?: ValueKind;
  text?: string;
  number?: number;
  flag?: boolean;
  approval?: string;
  name?: string;
}

export interface TransitionFormValues {
  key: string;
  labelZh: string;
  labelEn: string;
  from: string[];
  to: string;
  inputs: TransitionInput[];
  system: boolean;
  allow: TransitionAllow[];
  guards: GuardForm[];
  effects: EffectForm[];
}

function effectToForm(effect: Effect): EffectForm {
  switch (effect.type) {
    case 'notify':
      return { type: 'notify', recipients: effect.recipients, event: effect.event };
    case 'set_field': {
      const v = effect.value;
      if (v === null) return { type: 'set_field', field: effect.field, valueKind: 'null' };
      if (typeof v === 'boolean') return { type: 'set_field', field: effect.field, valueKind: 'boolean', flag: v };
      if (typeof v === 'number') return { type: 'set_field', field: effect.field, valueKind: 'number', number: v };
      return { type: 'set_field', field: effect.field, valueKind: 'string', text: v };
    }
    case 'start_approval':
      return { type: 'start_approval', approval: effect.approval };
    case 'hook':
      return { type: 'hook', name: effect.name };
    default:
      return { type: effect.type };
  }
}

function formToEffect(form: EffectForm): Effect {
  switch (form.type) {
    case 'notify':
      return { type: 'notify', recipients: form.recipients ?? 'requester', event: form.event ?? 'ticket.transition' };
    case 'set_field': {
      const kind = form.valueKind ?? 'string';
      const value = kind === 'null' ? null : kind === 'boolean' ? (form.flag ?? false) : kind === 'number' ? (form.number ?? 0) : (form.text ?? '');
      return { type: 'set_field', field: (form.field ?? '').trim(), value };
    }
    case 'start_approval':
      return { type: 'start_approval', approval: form.approval ?? '' };
    case 'hook':
      return { type: 'hook', name: form.name ?? '' };
    case 'take':
      return { type: 'take' };
    case 'cancel_approvals':
      return { type: 'cancel_approvals' };
  }
}

function guardToForm(guard: Guard): GuardForm {
  if (guard.type === 'field_set') return { type: 'field_set', field: guard.field };
  if (guard.type === 'approval_granted') return { type: 'approval_granted', approval: guard.approval };
  return { type: 'check', name: guard.name };
}

function formToGuard(form: GuardForm): Guard {
  if (form.type === 'field_set') return { type: 'field_set', field: (form.field ?? '').trim() };
  if (form.type === 'approval_granted') return { type: 'approval_granted', approval: form.approval ?? '' };
  return { type: 'check', name: form.name ?? '' };
}

/** Drops unset conditions of an allow rule (a select cleared gives undefined or null). */
function cleanAllow(rule: TransitionAllow): TransitionAllow {
  const out: TransitionAllow = {};
  if (rule.permission) out.permission = rule.permission;
  if (rule.role) out.role = rule.role;
  if (rule.orgKind) out.orgKind = rule.orgKind;
  if (rule.party) out.party = rule.party;
  return out;
}

export function transitionToForm(tr: WorkflowTransition): TransitionFormValues {
  return {
    key: tr.key,
    labelZh: tr.label['zh-CN'],
    labelEn: tr.label['en-US'],
    from: [...tr.from],
    to: tr.to ?? KEEP_STATE,
    inputs: [...tr.inputs],
    system: tr.system,
    allow: tr.allow.map((a) => ({ ...a })),
    guards: tr.guards.map(guardToForm),
    effects: tr.effects.map(effectToForm),
  };
}

/** An allow rule with no condition would let anyone in: such empty rules are dropped (an empty list means anyone anyway). */
export function formToTransition(values: TransitionFormValues): WorkflowTransition {
  return {
    key: values.key.trim(),
    label: { 'zh-CN': values.labelZh.trim(), 'en-US': values.labelEn.trim() },
    from: [...new Set(values.from)],
    to: values.to === KEEP_STATE || values.to === undefined ? null : values.to,
    allow: (values.allow ?? []).map(cleanAllow).filter((a) => Object.keys(a).length > 0),
    inputs: [...new Set(values.inputs ?? [])],
    guards: (values.guards ?? []).map(formToGuard),
    effects: (values.effects ?? []).map(formToEffect),
    system: values.system ?? false,
  };
}

export interface ApproverForm {
  type: Approver['type'];
  userId?: number;
  groupId?: number;
  role?: Role;
}

export interface StepForm {
  key: string;
  labelZh: string;
  labelEn: string;
  ruleType: 'any' | 'all' | 'count';
  count?: number;
  remindAfterHours: number;
  approvers: ApproverForm[];
}

export interface ApprovalFormValues {
  key: string;
  labelZh: string;
  labelEn: string;
  onApproved?: string | null;
  onRejected?: string | null;
  steps: StepForm[];
}

function approverToForm(a: Approver): ApproverForm {
  if (a.type === 'user') return { type: 'user', userId: a.userId };
  if (a.type === 'group') return { type: 'group', groupId: a.groupId };
  if (a.type === 'role') return { type: 'role', role: a.role };
  return { type: a.type };
}

function formToApprover(f: ApproverForm): Approver {
  switch (f.type) {
    case 'user':
      return { type: 'user', userId: f.userId ?? 0 };
    case 'group':
      return { type: 'group', groupId: f.groupId ?? 0 };
    case 'role':
      return { type: 'role', role: f.role ?? 'manager' };
    case 'requester_manager':
      return { type: 'requester_manager' };
    case 'cab':
      return { type: 'cab' };
  }
}

export function approvalToForm(a: ApprovalDefinition): ApprovalFormValues {
  return {
    key: a.key,
    labelZh: a.label['zh-CN'],
    labelEn: a.label['en-US'],
    onApproved: a.onApproved,
    onRejected: a.onRejected,
    steps: a.steps.map((s) => ({
      key: s.key,
      labelZh: s.label['zh-CN'],
      labelEn: s.label['en-US'],
      ruleType: s.rule.type,
      count: s.rule.type === 'count' ? s.rule.count : undefined,
      remindAfterHours: s.remindAfterHours,
      approvers: s.approvers.map(approverToForm),
    })),
  };
}

export function formToApproval(values: ApprovalFormValues): ApprovalDefinition {
  return {
    key: values.key.trim(),
    label: { 'zh-CN': values.labelZh.trim(), 'en-US': values.labelEn.trim() },
    steps: (values.steps ?? []).map((s) => ({
      key: s.key.trim(),
      label: { 'zh-CN': s.labelZh.trim(), 'en-US': s.labelEn.trim() },
      approvers: (s.approvers ?? []).map(formToApprover),
      rule: s.ruleType === 'count' ? { type: 'count' as const, count: s.count ?? 1 } : { type: s.ruleType },
      remindAfterHours: s.remindAfterHours ?? 0,
    })),
    onApproved: values.onApproved || null,
    onRejected: values.onRejected || null,
  };
}

/** A new step's defaults (one approver slot for the requester's manager, 或签). */
export function newStepForm(index: number): StepForm {
  return { key: `step_${index + 1}`, labelZh: `第 ${index + 1} 步`, labelEn: `Step ${index + 1}`, ruleType: 'any', remindAfterHours: 0, approvers: [{ type: 'requester_manager' }] };
}
