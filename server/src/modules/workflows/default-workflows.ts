import type { Label, TransitionAllow, WorkflowDefinitionInput } from '@tianshu/contracts';

/**
 * The ITIL workflows Tianshu ships. They are seeded as version 1 of built-in workflows; admins
 * edit them into new versions. Keys of states and transitions are stable API (reports, e2e tests
 * and module checks refer to them); labels are free.
 */

const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, 'en-US': en });

const worker: TransitionAllow[] = [{ permission: 'ticket.work' }];
const assigner: TransitionAllow[] = [{ permission: 'ticket.assign' }];
const confirmer: TransitionAllow[] = [
  { permission: 'ticket.confirm', orgKind: 'provider' },
  { permission: 'ticket.confirm', orgKind: 'customer', party: 'own_org' },
];

const assign = (from: string[]) => ({ key: 'assign', label: L('分派', 'Assign'), from, to: null, allow: assigner, inputs: ['assignment' as const] });

/** 新建 -> 已分派 -> 处理中 -> 挂起 -> 已解决 -> 已关闭; the foundation's lifecycle, as data. */
const incident: WorkflowDefinitionInput = {
  initial: 'new',
  states: [
    { key: 'new', label: L('新建', 'New'), category: 'open' },
    { key: 'assigned', label: L('已分派', 'Assigned'), category: 'open' },
    { key: 'in_progress', label: L('处理中', 'In progress'), category: 'open' },
    { key: 'pending', label: L('挂起', 'Pending'), category: 'pending' },
    { key: 'resolved', label: L('已解决', 'Resolved'), category: 'resolved' },
    { key: 'closed', label: L('已关闭', 'Closed'), category: 'closed' },
    { key: 'cancelled', label: L('已取消', 'Cancelled'), category: 'cancelled' },
  ],
  transitions: [
    { key: 'assign', label: L('分派', 'Assign'), from: ['new'], to: 'assigned', allow: assigner, inputs: ['assignment'] },
    assign(['assigned', 'in_progress', 'pending']),
    {
      key: 'take',
      label: L('接单', 'Take'),
      from: ['new', 'assigned'],
      to: 'in_progress',
      allow: [{ permission: 'ticket.work', orgKind: 'provider' }],
      effects: [{ type: 'take' }],
    },
    { key: 'start', label: L('开始处理', 'Start work'), from: ['assigned'], to: 'in_progress', allow: worker, guards: [{ type: 'field_set', field: 'assigneeId' }] },
    { key: 'pend', label: L('挂起', 'Put on hold'), from: ['assigned', 'in_progress'], to: 'pending', allow: worker, inputs: ['pendingReason'] },
    { key: 'resume', label: L('恢复处理', 'Resume'), from: ['pending'], to: 'in_progress', allow: worker },
    {
      key: 'resolve',
      label: L('解决', 'Resolve'),
      // 'new' allows first-contact resolution by the service desk (一次解决).
      from: ['new', 'assigned', 'in_progress', 'pending'],
      to: 'resolved',
      allow: worker,
      inputs: ['resolutionCode', 'resolutionNotes'],
      effects: [{ type: 'notify', recipients: 'requester', event: 'ticket.resolved' }],
    },
    { key: 'close', label: L('确认关闭', 'Confirm and close'), from: ['resolved'], to: 'closed', allow: confirmer },
    // Reopening returns to where the work stood: with the assignee, else with the group, else new.
    ...(['in_progress', 'assigned', 'new'] as const).map((to) => ({
      key: 'reopen',
      label: L('重新打开', 'Reopen'),
      from: ['resolved'],
      to,
      allow: [{ permission: 'ticket.work' as const }, { orgKind: 'customer' as const, party: 'own_org' as const }],
      inputs: ['comment' as const],
      guards:
        to === 'in_progress'
          ? [{ type: 'field_set' as const, field: 'assigneeId' as const }]
          : to === 'assigned'
            ? [{ type: 'field_set' as const, field: 'assignmentGroupId' as const }]
            : [],
    })),
    {
      key: 'cancel',
      label: L('取消', 'Cancel'),
      from: ['new', 'assigned', 'in_progress', 'pending'],
      to: 'cancelled',
      allow: [{ permission: 'ticket.assign' }, { orgKind: 'customer', party: 'requester' }],
      inputs: ['comment'],
    },
  ],
};

const requestStates = (withApproval: boolean) => [
  { key: 'submitted', label: L('已提交', 'Submitted'), category: 'open' as const },
  ...(withApproval ? [{ key: 'approval', label: L('审批中', 'Awaiting approval'), category: 'open' as const }] : []),
  { key: 'fulfilling', label: L('处理中', 'Fulfilling'), category: 'open' as const },
  { key: 'pending', label: L('挂起', 'Pending'), category: 'pending' as const },
  { key: 'fulfilled', label: L('已完成', 'Fulfilled'), category: 'resolved' as const },
  { key: 'closed', label: L('已关闭', 'Closed'), category: 'closed' as const },
  ...(withApproval ? [{ key: 'rejected', label: L('已驳回', 'Rejected'), category: 'cancelled' as const }] : []),
  { key: 'cancelled', label: L('已取消', 'Cancelled'), category: 'cancelled' as const },
];

const createTasks = [{ type: 'hook' as const, name: 'request.create_tasks' }];

function request(withApproval: boolean): WorkflowDefinitionInput {
  const open = withApproval ? ['submitted', 'approval', 'fulfilling', 'pending'] : ['submitted', 'fulfilling', 'pending'];
  return {
    initial: 'submitted',
    onCreate: 'start',
    states: requestStates(withApproval),
    approvals: withApproval
      ? [
          {
            key: 'approval',
            label: L('主管审批', 'Manager approval'),
            steps: [{ key: 'manager', label: L('直属主管', 'Line manager'), approvers: [{ type: 'requester_manager' }], rule: { type: 'any' }, remindAfterHours: 24 }],
            onApproved: 'approved',
            onRejected: 'rejected',
          },
        ]
      : [],
    transitions: [
      withApproval
        ? { key: 'start', label: L('提交审批', 'Send for approval'), from: ['submitted'], to: 'approval', system: true, effects: [{ type: 'start_approval', approval: 'approval' }] }
        : { key: 'start', label: L('开始处理', 'Start fulfilment'), from: ['submitted'], to: 'fulfilling', system: true, effects: createTasks },
      ...(withApproval
        ? [
            { key: 'approved', label: L('审批通过', 'Approved'), from: ['approval'], to: 'fulfilling', system: true, effects: createTasks },
            {
              key: 'rejected',
              label: L('审批驳回', 'Rejected'),
              from: ['approval'],
              to: 'rejected',
              system: true,
              effects: [{ type: 'notify' as const, recipients: 'requester' as const }, { type: 'hook' as const, name: 'request.cancel_tasks' }],
            },
          ]
        : []),
      assign(open),
      { key: 'pend', label: L('挂起', 'Put on hold'), from: ['fulfilling'], to: 'pending', allow: worker, inputs: ['pendingReason'] },
      { key: 'resume', label: L('恢复处理', 'Resume'), from: ['pending'], to: 'fulfilling', allow: worker },
      {
        key: 'fulfil',
        label: L('完成', 'Fulfil'),
        from: ['fulfilling'],
        to: 'fulfilled',
        allow: worker,
        inputs: ['resolutionNotes'],
        guards: [{ type: 'check', name: 'request.tasks_done' }],
        effects: [{ type: 'notify', recipients: 'requester', event: 'ticket.resolved' }],
      },
      { key: 'close', label: L('确认关闭', 'Confirm and close'), from: ['fulfilled'], to: 'closed', allow: [...confirmer, { party: 'requester' }] },
      { key: 'reopen', label: L('重新打开', 'Reopen'), from: ['fulfilled'], to: 'fulfilling', allow: [{ permission: 'ticket.work' }, { party: 'requester' }], inputs: ['comment'] },
      {
        key: 'cancel',
        label: L('取消', 'Cancel'),
        from: open,
        to: 'cancelled',
        allow: [{ permission: 'ticket.assign' }, { party: 'requester' }],
        inputs: ['comment'],
        effects: [{ type: 'cancel_approvals' }, { type: 'hook', name: 'request.cancel_tasks' }],
      },
    ],
  };
}

const problem: WorkflowDefinitionInput = {
  initial: 'new',
  states: [
    { key: 'new', label: L('新建', 'New'), category: 'open' },
    { key: 'investigating', label: L('调查中', 'Investigating'), category: 'open' },
    { key: 'pending', label: L('挂起', 'Pending'), category: 'pending' },
    { key: 'known_error', label: L('已知错误', 'Known error'), category: 'open' },
    { key: 'resolved', label: L('已解决', 'Resolved'), category: 'resolved' },
    { key: 'closed', label: L('已关闭', 'Closed'), category: 'closed' },
    { key: 'cancelled', label: L('已取消', 'Cancelled'), category: 'cancelled' },
  ],
  transitions: [
    assign(['new', 'investigating', 'pending', 'known_error']),
    { key: 'investigate', label: L('开始调查', 'Investigate'), from: ['new'], to: 'investigating', allow: worker },
    { key: 'pend', label: L('挂起', 'Put on hold'), from: ['investigating', 'known_error'], to: 'pending', allow: worker, inputs: ['pendingReason'] },
    { key: 'resume', label: L('恢复调查', 'Resume'), from: ['pending'], to: 'investigating', allow: worker },
    {
      key: 'mark_known_error',
      label: L('登记为已知错误', 'Mark as known error'),
      from: ['investigating'],
      to: 'known_error',
      allow: worker,
      guards: [{ type: 'check', name: 'problem.root_cause' }],
    },
    {
      key: 'resolve',
      label: L('解决', 'Resolve'),
      from: ['investigating', 'known_error'],
      to: 'resolved',
      allow: worker,
      inputs: ['resolutionNotes'],
      guards: [{ type: 'check', name: 'problem.root_cause' }],
    },
    { key: 'close', label: L('关闭', 'Close'), from: ['resolved'], to: 'closed', allow: worker },
    { key: 'reopen', label: L('重新打开', 'Reopen'), from: ['resolved'], to: 'investigating', allow: worker, inputs: ['comment'] },
    { key: 'cancel', label: L('取消', 'Cancel'), from: ['new', 'investigating', 'pending', 'known_error'], to: 'cancelled', allow: assigner, inputs: ['comment'] },
  ],
};

const changeOutcomes = [
  { key: 'completed_successful', label: L('成功完成', 'Completed successfully'), category: 'resolved' as const },
  { key: 'completed_with_issues', label: L('完成但有问题', 'Completed with issues'), category: 'resolved' as const },
  { key: 'rolled_back', label: L('已回退', 'Rolled back'), category: 'resolved' as const },
  { key: 'failed', label: L('失败', 'Failed'), category: 'resolved' as const },
  { key: 'review', label: L('实施后评审', 'Post-implementation review'), category: 'resolved' as const },
  { key: 'closed', label: L('已关闭', 'Closed'), category: 'closed' as const },
  { key: 'cancelled', label: L('已取消', 'Cancelled'), category: 'cancelled' as const },
];

const implementer: TransitionAllow[] = [{ permission: 'change.implement' }];
const changeManager: TransitionAllow[] = [{ permission: 'change.manage' }];
const planChecks = [
  { type: 'check' as const, name: 'change.rollback_plan' },
  { type: 'check' as const, name: 'change.planned_window' },
];
const actualEnd = [{ type: 'hook' as const, name: 'change.actual_end' }];

/** Implementation onwards, shared by every change type: implement -> verify -> outcome -> review -> close. */
function changeExecution(implementFrom: string, approval: string | null) {
  return [
    {
      key: 'implement',
      label: L('开始实施', 'Start implementation'),
      from: [implementFrom],
      to: 'implementing',
      allow: implementer,
      // The server refuses implementation without approval whatever the UI shows (GB/T 28827.1 9.7).
      guards: [...(approval ? [{ type: 'approval_granted' as const, approval }] : []), { type: 'check' as const, name: 'change.rollback_plan' }],
      effects: [{ type: 'hook' as const, name: 'change.actual_start' }],
    },
    { key: 'verify', label: L('实施完成，验证', 'Implemented, verify'), from: ['implementing'], to: 'verifying', allow: implementer },
    { key: 'complete_successful', label: L('验证通过', 'Verified: successful'), from: ['verifying'], to: 'completed_successful', allow: implementer, effects: actualEnd },
    { key: 'complete_with_issues', label: L('完成但有问题', 'Completed with issues'), from: ['verifying'], to: 'completed_with_issues', allow: implementer, inputs: ['comment' as const], effects: actualEnd },
    { key: 'roll_back', label: L('执行回退', 'Roll back'), from: ['implementing', 'verifying'], to: 'rolled_back', allow: implementer, inputs: ['comment' as const], effects: actualEnd },
    { key: 'fail', label: L('变更失败', 'Failed'), from: ['implementing', 'verifying'], to: 'failed', allow: implementer, inputs: ['comment' as const], effects: actualEnd },
    {
      key: 'start_review',
      label: L('实施后评审', 'Post-implementation review'),
      from: ['completed_successful', 'completed_with_issues', 'rolled_back', 'failed'],
      to: 'review',
      allow: changeManager,
    },
    { key: 'close', label: L('评审完成，关闭', 'Review done, close'), from: ['review'], to: 'closed', allow: changeManager, inputs: ['comment' as const] },
  ];
}

const cabApproval = (key: string, label: Label, rule: 'all' | 'any', onApproved: string, onRejected: string) => ({
  key,
  label,
  steps: [{ key: 'cab', label: L('变更咨询委员会', 'Change advisory board'), approvers: [{ type: 'cab' as const }], rule: { type: rule }, remindAfterHours: 8 }],
  onApproved,
  onRejected,
});

const changeNormal: WorkflowDefinitionInput = {
  initial: 'draft',
  states: [
    { key: 'draft', label: L('草稿', 'Draft'), category: 'open' },
    { key: 'assessment', label: L('评估', 'Assessment'), category: 'open' },
    { key: 'cab_approval', label: L('CAB 审批', 'CAB approval'), category: 'open' },
    { key: 'scheduled', label: L('已排期', 'Scheduled'), category: 'open' },
    { key: 'implementing', label: L('实施中', 'Implementing'), category: 'open' },
    { key: 'verifying', label: L('验证中', 'Verifying'), category: 'open' },
    ...changeOutcomes,
  ],
  approvals: [cabApproval('cab', L('CAB 审批', 'CAB approval'), 'all', 'approved', 'rejected')],
  transitions: [
    assign(['draft', 'assessment', 'cab_approval', 'scheduled', 'implementing', 'verifying']),
    { key: 'submit', label: L('提交评估', 'Submit for assessment'), from: ['draft'], to: 'assessment', allow: changeManager, guards: planChecks },
    {
      key: 'request_approval',
      label: L('提交 CAB 审批', 'Request CAB approval'),
      from: ['assessment'],
      to: 'cab_approval',
      allow: changeManager,
      guards: planChecks,
      effects: [{ type: 'start_approval', approval: 'cab' }],
    },
    { key: 'approved', label: L('CAB 批准', 'CAB approved'), from: ['cab_approval'], to: 'scheduled', system: true },
    { key: 'rejected', label: L('CAB 驳回', 'CAB rejected'), from: ['cab_approval'], to: 'draft', system: true, effects: [{ type: 'notify', recipients: 'assignee' }] },
    ...changeExecution('scheduled', 'cab'),
    {
      key: 'cancel',
      label: L('取消变更', 'Cancel change'),
      from: ['draft', 'assessment', 'cab_approval', 'scheduled'],
      to: 'cancelled',
      allow: changeManager,
      inputs: ['comment'],
      effects: [{ type: 'cancel_approvals' }],
    },
  ],
};

/** Standard changes are pre-approved templates: no CAB. */
const changeStandard: WorkflowDefinitionInput = {
  initial: 'draft',
  states: [
    { key: 'draft', label: L('草稿', 'Draft'), category: 'open' },
    { key: 'scheduled', label: L('已排期', 'Scheduled'), category: 'open' },
    { key: 'implementing', label: L('实施中', 'Implementing'), category: 'open' },
    { key: 'verifying', label: L('验证中', 'Verifying'), category: 'open' },
    ...changeOutcomes,
  ],
  transitions: [
    assign(['draft', 'scheduled', 'implementing', 'verifying']),
    { key: 'schedule', label: L('排期', 'Schedule'), from: ['draft'], to: 'scheduled', allow: changeManager, guards: planChecks },
    ...changeExecution('scheduled', null),
    { key: 'cancel', label: L('取消变更', 'Cancel change'), from: ['draft', 'scheduled'], to: 'cancelled', allow: changeManager, inputs: ['comment'] },
  ],
};

/** Emergency changes: expedited approval by the emergency CAB (any one member), review afterwards is mandatory. */
const changeEmergency: WorkflowDefinitionInput = {
  initial: 'draft',
  states: [
    { key: 'draft', label: L('草稿', 'Draft'), category: 'open' },
    { key: 'ecab_approval', label: L('紧急审批', 'Emergency approval'), category: 'open' },
    { key: 'approved', label: L('已批准', 'Approved'), category: 'open' },
    { key: 'implementing', label: L('实施中', 'Implementing'), category: 'open' },
    { key: 'verifying', label: L('验证中', 'Verifying'), category: 'open' },
    ...changeOutcomes,
  ],
  approvals: [cabApproval('ecab', L('紧急变更审批', 'Emergency CAB approval'), 'any', 'approved', 'rejected')],
  transitions: [
    assign(['draft', 'ecab_approval', 'approved', 'implementing', 'verifying']),
    {
      key: 'request_approval',
      label: L('提交紧急审批', 'Request emergency approval'),
      from: ['draft'],
      to: 'ecab_approval',
      allow: changeManager,
      guards: [{ type: 'check', name: 'change.rollback_plan' }],
      effects: [{ type: 'start_approval', approval: 'ecab' }],
    },
    { key: 'approved', label: L('紧急批准', 'Approved'), from: ['ecab_approval'], to: 'approved', system: true },
    { key: 'rejected', label: L('驳回', 'Rejected'), from: ['ecab_approval'], to: 'draft', system: true, effects: [{ type: 'notify', recipients: 'assignee' }] },
    ...changeExecution('approved', 'ecab'),
    { key: 'cancel', label: L('取消变更', 'Cancel change'), from: ['draft', 'ecab_approval', 'approved'], to: 'cancelled', allow: changeManager, inputs: ['comment'], effects: [{ type: 'cancel_approvals' }] },
  ],
};

const releaseManager: TransitionAllow[] = [{ permission: 'release.manage' }];

const release: WorkflowDefinitionInput = {
  initial: 'planning',
  states: [
    { key: 'planning', label: L('计划中', 'Planning'), category: 'open' },
    { key: 'building', label: L('构建中', 'Building'), category: 'open' },
    { key: 'testing', label: L('测试中', 'Testing'), category: 'open' },
    { key: 'deploying', label: L('部署中', 'Deploying'), category: 'open' },
    { key: 'completed', label: L('已发布', 'Released'), category: 'resolved' },
    { key: 'rolled_back', label: L('已回退', 'Rolled back'), category: 'resolved' },
    { key: 'closed', label: L('已关闭', 'Closed'), category: 'closed' },
    { key: 'cancelled', label: L('已取消', 'Cancelled'), category: 'cancelled' },
  ],
  transitions: [
    assign(['planning', 'building', 'testing', 'deploying']),
    { key: 'build', label: L('开始构建', 'Build'), from: ['planning'], to: 'building', allow: releaseManager },
    { key: 'test', label: L('进入测试', 'Test'), from: ['building'], to: 'testing', allow: releaseManager },
    { key: 'deploy', label: L('开始部署', 'Deploy'), from: ['testing'], to: 'deploying', allow: releaseManager },
    { key: 'complete', label: L('发布完成', 'Complete'), from: ['deploying'], to: 'completed', allow: releaseManager, guards: [{ type: 'check', name: 'release.cmdb_confirmed' }] },
    { key: 'roll_back', label: L('回退发布', 'Roll back'), from: ['deploying'], to: 'rolled_back', allow: releaseManager, inputs: ['comment'] },
    { key: 'close', label: L('关闭', 'Close'), from: ['completed', 'rolled_back'], to: 'closed', allow: releaseManager },
    { key: 'cancel', label: L('取消', 'Cancel'), from: ['planning', 'building', 'testing'], to: 'cancelled', allow: releaseManager, inputs: ['comment'] },
  ],
};

export type BuiltInWorkflow = { key: string; ticketType: 'incident' | 'request' | 'problem' | 'change' | 'release'; name: Label; definition: WorkflowDefinitionInput };

export const BUILT_IN_WORKFLOWS: readonly BuiltInWorkflow[] = [
  { key: 'incident', ticketType: 'incident', name: L('事件', 'Incident'), definition: incident },
  { key: 'request', ticketType: 'request', name: L('服务请求（主管审批）', 'Service request (manager approval)'), definition: request(true) },
  { key: 'request.simple', ticketType: 'request', name: L('服务请求（免审批）', 'Service request (no approval)'), definition: request(false) },
  { key: 'problem', ticketType: 'problem', name: L('问题', 'Problem'), definition: problem },
  { key: 'change.standard', ticketType: 'change', name: L('标准变更', 'Standard change'), definition: changeStandard },
  { key: 'change.normal', ticketType: 'change', name: L('一般变更', 'Normal change'), definition: changeNormal },
  { key: 'change.emergency', ticketType: 'change', name: L('紧急变更', 'Emergency change'), definition: changeEmergency },
  { key: 'release', ticketType: 'release', name: L('发布', 'Release'), definition: release },
];

/** The workflow a new ticket of a type runs on when the caller names none. */
export const DEFAULT_WORKFLOW_KEY: Record<BuiltInWorkflow['ticketType'], string> = {
  incident: 'incident',
  request: 'request',
  problem: 'problem',
  change: 'change.normal',
  release: 'release',
};
