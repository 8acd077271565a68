import { describe, expect, it } from 'vitest';
import { approvalDefinitionSchema, workflowTransitionSchema, type ApprovalDefinition, type WorkflowTransition } from '@tianshu/contracts';
import {
  approvalToForm,
  formToApproval,
  formToState,
  formToTransition,
  KEEP_STATE,
  newStepForm,
  stateToForm,
  transitionToForm,
} from './workflow-forms';
import { fixtureDefinition } from './workflow-test-fixture';

const rich: WorkflowTransition = {
  key: 'implement',
  label: { 'zh-CN': '实施', 'en-US': 'Implement' },
  from: ['scheduled'],
  to: 'implementing',
  allow: [{ permission: 'change.implement' }, { role: 'engineer', party: 'assignee', orgKind: 'provider' }],
  inputs: ['comment'],
  guards: [{ type: 'approval_granted', approval: 'cab' }, { type: 'check', name: 'change.rollback_plan' }, { type: 'field_set', field: 'custom.window' }],
  effects: [
    { type: 'notify', recipients: 'group', event: 'ticket.transition' },
    { type: 'set_field', field: 'major', value: true },
    { type: 'set_field', field: 'custom.count', value: 3 },
    { type: 'set_field', field: 'custom.note', value: 'x' },
    { type: 'set_field', field: 'custom.cleared', value: null },
    { type: 'take' },
    { type: 'start_approval', approval: 'cab' },
    { type: 'cancel_approvals' },
    { type: 'hook', name: 'change.actual_start' },
  ],
  system: false,
};

describe('editor forms', () => {
  it('round-trips every transition of the fixture and a rich one', () => {
    for (const tr of [...fixtureDefinition().transitions, rich]) {
      const back = formToTransition(transitionToForm(tr));
      expect(back).toEqual(tr);
      expect(workflowTransitionSchema.safeParse(back).success).toBe(true);
    }
  });

  it('keep-state maps to to:null, empty allow rules and duplicate picks are dropped, labels trimmed', () => {
    const form = transitionToForm(fixtureDefinition().transitions[1]!);
    expect(form.to).toBe(KEEP_STATE);
    const tr = formToTransition({ ...form, labelZh: ' 改派 ', from: ['assigned', 'assigned'], allow: [{}, { role: 'agent' }], inputs: ['comment', 'comment'] });
    expect(tr).toMatchObject({ to: null, label: { 'zh-CN': '改派' }, from: ['assigned'], allow: [{ role: 'agent' }], inputs: ['comment'] });
  });

  it('cleared selects in allow rules (null) do not leak into the definition', () => {
    const tr = formToTransition({ ...transitionToForm(rich), allow: [{ role: 'agent', permission: null as never, party: undefined }] });
    expect(tr.allow).toEqual([{ role: 'agent' }]);
  });

  it('round-trips approvals including count rules, every approver type and outcomes', () => {
    const approval: ApprovalDefinition = {
      key: 'cab',
      label: { 'zh-CN': 'CAB', 'en-US': 'CAB' },
      steps: [
        { key: 'a', label: { 'zh-CN': '一', 'en-US': 'One' }, approvers: [{ type: 'user', userId: 5 }, { type: 'group', groupId: 2 }, { type: 'role', role: 'manager' }], rule: { type: 'count', count: 2 }, remindAfterHours: 24 },
        { key: 'b', label: { 'zh-CN': '二', 'en-US': 'Two' }, approvers: [{ type: 'requester_manager' }, { type: 'cab' }], rule: { type: 'all' }, remindAfterHours: 0 },
      ],
      onApproved: 'approved',
      onRejected: null,
    };
    const back = formToApproval(approvalToForm(approval));
    expect(back).toEqual(approval);
    expect(approvalDefinitionSchema.safeParse(back).success).toBe(true);
    expect(formToApproval({ ...approvalToForm(approval), onRejected: undefined }).onRejected).toBeNull();
  });

  it('a new step is valid as it is', () => {
    const approval = formToApproval({ key: 'mgr', labelZh: '经理', labelEn: 'Manager', steps: [newStepForm(0)] });
    expect(approvalDefinitionSchema.safeParse(approval).success).toBe(true);
    expect(approval.steps[0]).toMatchObject({ key: 'step_1', rule: { type: 'any' }, approvers: [{ type: 'requester_manager' }] });
  });

  it('round-trips states', () => {
    const s = fixtureDefinition().states[2]!;
    expect(formToState(stateToForm(s))).toEqual(s);
  });
});
