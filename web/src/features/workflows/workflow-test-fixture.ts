import type { WorkflowDefinition, WorkflowState, WorkflowTransition } from '@tianshu/contracts';

/** A small incident-like workflow for the unit tests (not imported by the app). */
const state = (key: string, zh: string, category: WorkflowState['category']): WorkflowState => ({ key, label: { 'zh-CN': zh, 'en-US': key }, category });
const transition = (key: string, from: string[], to: string | null, extra: Partial<WorkflowTransition> = {}): WorkflowTransition => ({
  key,
  label: { 'zh-CN': `动作${key}`, 'en-US': key },
  from,
  to,
  allow: [],
  inputs: [],
  guards: [],
  effects: [],
  system: false,
  ...extra,
});

export function fixtureDefinition(): WorkflowDefinition {
  return {
    initial: 'new',
    states: [state('new', '新建', 'open'), state('assigned', '已分派', 'open'), state('pending', '挂起', 'pending'), state('resolved', '已解决', 'resolved'), state('closed', '已关闭', 'closed'), state('cancelled', '已取消', 'cancelled')],
    transitions: [
      transition('assign', ['new', 'assigned', 'pending'], 'assigned', { inputs: ['assignment'] }),
      transition('reassign', ['assigned'], null),
      transition('pend', ['assigned'], 'pending', { inputs: ['pendingReason'] }),
      transition('resume', ['pending'], 'assigned'),
      transition('resolve', ['new', 'assigned'], 'resolved', { guards: [{ type: 'approval_granted', approval: 'cab' }] }),
      transition('close', ['resolved'], 'closed'),
      transition('approved', ['new'], 'assigned', { system: true, effects: [{ type: 'start_approval', approval: 'cab' }] }),
      transition('cancel', ['new', 'assigned', 'pending'], 'cancelled', { inputs: ['comment'] }),
    ],
    approvals: [
      {
        key: 'cab',
        label: { 'zh-CN': 'CAB 审批', 'en-US': 'CAB' },
        steps: [{ key: 'one', label: { 'zh-CN': '一', 'en-US': 'one' }, approvers: [{ type: 'cab' }], rule: { type: 'all' }, remindAfterHours: 0 }],
        onApproved: 'approved',
        onRejected: null,
      },
    ],
    onCreate: null,
  };
}
