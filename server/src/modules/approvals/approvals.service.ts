import crypto from 'node:crypto';
import type { z } from 'zod';
import {
  cabGroupsSchema,
  type ApprovalDecision,
  type ApprovalDefinition,
  type ApprovalLinkDecideResult,
  type ApprovalLinkInfo,
  type ApprovalRule,
  type ApprovalRun,
  type ApprovalStep,
  type ApprovalStepView,
  type Approver,
  type BatchDecideResult,
  type CabGroups,
  type DecisionResult,
  type Label,
  type MyApprovals,
  type approvalRunStateSchema,
  type approvalTaskStateSchema,
  type batchDecideRequestSchema,
  type decideRequestSchema,
  type delegateRequestSchema,
  type myApprovalsQuerySchema,
} from '@tianshu/contracts';
import { actorFromPrincipal, type Actor } from '../../platform/auth/actor.ts';
import { findPrincipal } from '../../platform/auth/auth.queries.ts';
import { auditStatement, recordAudit } from '../../platform/audit/audit.service.ts';
import { writeTogether, type Db, type Queryable, type Tx } from '../../platform/db/db.ts';
import { AppError, formatError } from '../../platform/errors/error-registry.ts';
import { notify } from '../notifications/notifications.service.ts';
import { loadVisible } from '../tickets/tickets.service.ts';
import type { WorkflowTicket } from '../workflows/workflow-registry.ts';
import { approvalSubject, subjectBrief, subjectBriefs, type SubjectBrief } from './approval-subjects.ts';
import * as qs from './approvals.queries.ts';

/**
 * Generic approvals on a subject: a ticket, or a record another module registers (approval-subjects.ts;
 * the vendors module's repair-order cost). A workflow's `start_approval` effect calls startApproval
 * inside the transition's transaction (other subjects call startSubjectApproval): approvers are
 * resolved to user ids and snapshotted per step, the first step's tasks are opened and the approvers
 * notified (e-mail with signed single-use links). A decision locks the subject, then the run with the
 * step's tasks (one order everywhere, so a decision and a transition never deadlock), evaluates the
 * step's rule and, when the run ends, hands the outcome to the subject (for tickets the workflow
 * engine) in the same transaction.
 *
 * Rules: any (或签) — the first decision decides the step: one approval approves it, a rejection
 * before any approval rejects it; all (会签) — every approver must approve, one rejection rejects;
 * count N — N approvals approve, the step is rejected as soon as N can no longer be reached (N
 * larger than the step's approvers means all of them).
 */

export type StepSnapshot = {
  key: string;
  label: Label;
  rule: ApprovalRule;
  approvers: Approver[];
  remindAfterHours: number;
  approverIds: number[];
};

type RunState = z.infer<typeof approvalRunStateSchema>;
type TaskState = z.infer<typeof approvalTaskStateSchema>;
type Via = 'app' | 'batch' | 'link';

/** Signed links stay valid this long. */
export const LINK_TTL_MS = 7 * 24 * 3_600_000;
export const CAB_SETTING_KEY = 'change.cab_groups';
const REMINDER_BATCH = 100;

const actorId = (actor: Actor | null): number | null => (actor && actor.userId > 0 ? actor.userId : null);
const labelIn = (label: Label, actor: Actor | null): string => label[actor?.locale ?? 'zh-CN'];
const stepsOf = (run: { steps: unknown }): StepSnapshot[] => run.steps as StepSnapshot[];
const fallbackLabel = (key: string): Label => ({ 'zh-CN': key, 'en-US': key });
const runLabel = (run: { label: unknown; approvalKey: string }): Label => (run.label as Label | null) ?? fallbackLabel(run.approvalKey);

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/* ------------------------------- approvers ------------------------------ */

export async function getCabGroups(q: Queryable): Promise<CabGroups> {
  const parsed = cabGroupsSchema.safeParse((await qs.readSetting(q, CAB_SETTING_KEY)) ?? {});
  return parsed.success ? parsed.data : { standard: null, normal: null, emergency: null };
}

/** The change type of a workflow key `change.<type>`; anything else is a normal change. */
export function changeTypeOf(workflowKey: string | null): 'standard' | 'normal' | 'emergency' {
  const suffix = workflowKey?.startsWith('change.') ? workflowKey.slice('change.'.length) : '';
  return suffix === 'standard' || suffix === 'emergency' ? suffix : 'normal';
}

async function resolveApprover(q: Queryable, subject: { requesterId: number | null }, workflowKey: string | null, a: Approver): Promise<number[]> {
  switch (a.type) {
    case 'user':
      return qs.activeUserIds(q, [a.userId]);
    case 'group':
      return qs.activeGroupMemberIds(q, a.groupId);
    case 'role':
      return qs.activeProviderRoleIds(q, a.role);
    case 'requester_manager':
      return subject.requesterId ? qs.activeManagerOf(q, subject.requesterId) : [];
    case 'cab': {
      const cab = await getCabGroups(q);
      const groupId = cab[changeTypeOf(workflowKey)] ?? cab.normal;
      return groupId ? qs.activeGroupMemberIds(q, groupId) : [];
    }
  }
}

export type ResolveOptions = {
  /** Users who must never approve this run (e.g. whoever created the subject). */
  exclude?: readonly number[];
  /** Refuse rather than fall back to the requester as the only approver (a cost they asked for). */
  strict?: boolean;
};

/**
 * The step's approvers as user ids (active users, each once). The subject's requester never
 * approves their own ticket unless they are the only approver the step resolves to (never, strict).
 */
export async function resolveStepApprovers(
  q: Queryable,
  subject: { requesterId: number | null },
  workflowKey: string | null,
  step: ApprovalStep,
  opts: ResolveOptions = {},
): Promise<number[]> {
  const ids = new Set<number>();
  for (const a of step.approvers) for (const id of await resolveApprover(q, subject, workflowKey, a)) ids.add(Number(id));
  const all = [...ids].filter((id) => !(opts.exclude ?? []).includes(id)).sort((x, y) => x - y);
  const withoutRequester = all.filter((id) => id !== subject.requesterId);
  return withoutRequester.length || opts.strict ? withoutRequester : all;
}

/* --------------------------------- start -------------------------------- */

/** A ticket's approval run, started by its workflow (the `start_approval` effect). */
export async function startApproval(
  tx: Tx,
  args: { ticket: WorkflowTicket; workflowVersionId: number; workflowKey?: string; definition: ApprovalDefinition; actor: Actor | null },
): Promise<{ approvalId: number }> {
  const workflowKey = args.workflowKey ?? (await qs.workflowKeyOfVersion(tx, args.workflowVersionId));
  return startSubjectApproval(tx, {
    subject: { type: 'ticket', id: args.ticket.id, requesterId: args.ticket.requesterId },
    workflowVersionId: args.workflowVersionId,
    workflowKey,
    definition: args.definition,
    actor: args.actor,
  });
}

/**
 * Starts a run on any registered subject inside the caller's transaction (which holds the subject's
 * lock). A pending run of the same key is cancelled first ('restarted'): a new round.
 */
export async function startSubjectApproval(
  tx: Tx,
  args: {
    subject: qs.Subject & { requesterId: number | null };
    workflowVersionId: number | null;
    workflowKey: string | null;
    definition: ApprovalDefinition;
    actor: Actor | null;
    resolve?: ResolveOptions;
  },
): Promise<{ approvalId: number }> {
  const { subject, definition, actor } = args;
  const previous = await qs.lockPendingRun(tx, subject, definition.key);
  if (previous) await cancelRun(tx, previous, actor, 'restarted');
  const round = (await qs.lastRound(tx, subject, definition.key)) + 1;
  const steps: StepSnapshot[] = [];
  for (const step of definition.steps) {
    const approverIds = await resolveStepApprovers(tx, subject, args.workflowKey, step, args.resolve);
    if (!approverIds.length) throw new AppError('APPROVAL_NO_APPROVERS', { step: labelIn(step.label, actor) });
    steps.push({ key: step.key, label: step.label, rule: step.rule, approvers: step.approvers, remindAfterHours: step.remindAfterHours ?? 0, approverIds });
  }
  const run = await qs.insertRun(tx, {
    subjectType: subject.type,
    subjectId: subject.id,
    ticketId: subject.type === 'ticket' ? subject.id : null,
    workflowVersionId: args.workflowVersionId,
    approvalKey: definition.key,
    label: definition.label,
    round,
    state: 'pending',
    currentStep: 0,
    steps,
    requestedBy: actorId(actor),
  });
  await openStep(tx, run, 0, actor);
  await recordAudit(tx, {
    actor,
    action: 'approval.start',
    objectType: subject.type,
    objectId: subject.id,
    result: 'success',
    details: { approvalId: run.id, approvalKey: definition.key, round, approverIds: steps.map((s) => s.approverIds), restarted: previous?.id ?? null },
  });
  return { approvalId: run.id };
}

/** Opens a step: one task per approver, a timeline row, the approvers notified with their links. */
async function openStep(tx: Tx, run: qs.ApprovalRow, stepIndex: number, actor: Actor | null): Promise<void> {
  const step = stepsOf(run)[stepIndex];
  if (!step) throw new Error(`approval ${run.id} has no step ${stepIndex}`);
  if (!step.approverIds.length) throw new Error(`approval ${run.id} step ${stepIndex} has no approvers`);
  const created = await writeTogether<{ id: number; approver_id: number }>(
    tx,
    qs.tasksInsertStatement(
      tx,
      step.approverIds.map((approverId) => ({ ...subjectColumns(run), stepIndex, approverId, state: 'pending' })),
    ),
    approvalSubject(run.subjectType).eventStatement(tx, run.subjectId, {
      actorId: actorId(actor),
      data: { action: 'requested', approvalId: run.id, approvalKey: run.approvalKey, label: runLabel(run), round: run.round, step: stepIndex, stepKey: step.key, stepLabel: step.label, rule: step.rule, approverIds: step.approverIds },
    }),
  );
  const tasks = created.map((r) => ({ id: Number(r.id), approverId: Number(r.approver_id) })).sort((x, y) => x.id - y.id);
  await notifyApprovers(tx, run, step, tasks, 'approval.requested', {});
}

/** A task's copy of its run's subject. */
function subjectColumns(run: Pick<qs.ApprovalRow, 'id' | 'subjectType' | 'subjectId' | 'ticketId'>) {
  return { approvalId: run.id, subjectType: run.subjectType, subjectId: run.subjectId, ticketId: run.ticketId };
}

async function notifyApprovers(
  tx: Tx,
  run: Pick<qs.ApprovalRow, 'subjectType' | 'subjectId' | 'label' | 'approvalKey'>,
  step: StepSnapshot,
  tasks: Pick<qs.TaskRow, 'id' | 'approverId'>[],
  event: 'approval.requested' | 'approval.reminder',
  extra: Record<string, string | number>,
): Promise<void> {
  if (!tasks.length) return;
  const ticket = await subjectBrief(tx, { type: run.subjectType, id: run.subjectId });
  if (!ticket) return;
  const links = await createLinks(tx, tasks.map((t) => t.id));
  const emailParams = new Map<number, Record<string, string | number>>();
  for (const t of tasks) {
    const l = links.get(t.id);
    if (l) emailParams.set(t.approverId, { approveLink: `/approve/${l.approve}`, rejectLink: `/approve/${l.reject}`, linkExpires: l.expiresAt.toISOString() });
  }
  const label = runLabel(run);
  await notify(tx, {
    event,
    userIds: tasks.map((t) => t.approverId),
    params: {
      number: ticket.number,
      title: ticket.title,
      approval: label['en-US'],
      approvalZh: label['zh-CN'],
      step: step.label['en-US'],
      stepZh: step.label['zh-CN'],
      ...(ticket.requesterName ? { requester: ticket.requesterName } : {}),
      ...extra,
    },
    ticketId: run.subjectType === 'ticket' ? ticket.id : null,
    orgId: ticket.orgId,
    link: '/approvals',
    emailParams,
  });
}

/** Two links per task (approve, reject); only their SHA-256 is stored. */
async function createLinks(tx: Tx, taskIds: number[]): Promise<Map<number, { approve: string; reject: string; expiresAt: Date }>> {
  const expiresAt = new Date(Date.now() + LINK_TTL_MS);
  const out = new Map<number, { approve: string; reject: string; expiresAt: Date }>();
  const values: { tokenHash: string; taskId: number; decision: string; expiresAt: Date }[] = [];
  for (const taskId of taskIds) {
    const approve = crypto.randomBytes(32).toString('base64url');
    const reject = crypto.randomBytes(32).toString('base64url');
    out.set(taskId, { approve, reject, expiresAt });
    values.push({ tokenHash: hashToken(approve), taskId, decision: 'approve', expiresAt }, { tokenHash: hashToken(reject), taskId, decision: 'reject', expiresAt });
  }
  await qs.insertLinks(tx, values);
  return out;
}

/* -------------------------------- cancel -------------------------------- */

async function cancelRun(tx: Tx, run: qs.ApprovalRow, actor: Actor | null, reason: string): Promise<void> {
  const now = new Date();
  await qs.updateRun(tx, run.id, { state: 'cancelled', decidedAt: now });
  const closed = await qs.closePendingTasks(tx, run.id, 'cancelled');
  await qs.useLinksOfTasks(tx, closed, now);
  await approvalSubject(run.subjectType).eventStatement(tx, run.subjectId, {
    actorId: actorId(actor),
    data: { action: 'cancelled', approvalId: run.id, approvalKey: run.approvalKey, label: runLabel(run), round: run.round, step: run.currentStep, reason },
  });
  await recordAudit(tx, {
    actor,
    action: 'approval.cancel',
    objectType: run.subjectType,
    objectId: run.subjectId,
    result: 'success',
    details: { approvalId: run.id, approvalKey: run.approvalKey, round: run.round, reason },
  });
}

/** Cancels every pending run on the ticket (the workflow's `cancel_approvals` effect). */
export async function cancelPendingApprovals(tx: Tx, ticketId: number, actor: Actor | null): Promise<void> {
  for (const run of await qs.lockPendingRunsOfTicket(tx, ticketId)) await cancelRun(tx, run, actor, 'cancelled');
}

/** Cancels a subject's pending run of that key, if any (the subject is locked by the caller). */
export async function cancelSubjectApproval(tx: Tx, subject: qs.Subject, approvalKey: string, actor: Actor | null, reason = 'cancelled'): Promise<void> {
  const run = await qs.lockPendingRun(tx, subject, approvalKey);
  if (run) await cancelRun(tx, run, actor, reason);
}

/** True when the latest run of that approval on the ticket ended approved. */
export async function isApprovalGranted(q: Queryable, ticketId: number, approvalKey: string): Promise<boolean> {
  return (await qs.latestRunState(q, ticketId, approvalKey)) === 'approved';
}

/* ------------------------------- decisions ------------------------------ */

/** The step's result under its rule, or null while undecided. */
export function evaluateStep(rule: ApprovalRule, states: readonly TaskState[]): 'approved' | 'rejected' | null {
  const live = states.filter((s) => s === 'pending' || s === 'approved' || s === 'rejected');
  const approved = live.filter((s) => s === 'approved').length;
  const rejected = live.filter((s) => s === 'rejected').length;
  const pending = live.filter((s) => s === 'pending').length;
  switch (rule.type) {
    case 'any':
      if (approved > 0) return 'approved';
      return rejected > 0 ? 'rejected' : null;
    case 'all':
      if (rejected > 0) return 'rejected';
      return pending === 0 && approved > 0 ? 'approved' : null;
    case 'count': {
      const need = Math.min(rule.count, live.length);
      if (approved >= need) return 'approved';
      return approved + pending < need ? 'rejected' : null;
    }
  }
}

/** Locks the subject of a task (a ticket in the same statement that finds it); false when none. */
async function lockSubjectOfTask(tx: Tx, taskId: number): Promise<boolean> {
  const s = await qs.subjectOfTask(tx, taskId);
  if (!s) return false;
  return s.locked || (await approvalSubject(s.type).lock(tx, s.id));
}

/** Locks the subject, then run and the task's step, and checks the actor may decide the task. */
async function lockForDecision(tx: Tx, actor: Actor, taskId: number): Promise<{ run: qs.ApprovalRow; task: qs.TaskRow; stepTasks: qs.TaskRow[] }> {
  if (!(await lockSubjectOfTask(tx, taskId))) throw new AppError('NOT_FOUND', { object: 'approval task' });
  const locked = await qs.lockRunAndStep(tx, taskId);
  const task = locked?.tasks.find((t) => t.id === taskId);
  if (!locked || !task) throw new AppError('NOT_FOUND', { object: 'approval task' });
  const run = locked.run;
  if (task.approverId !== actor.userId) throw new AppError('APPROVAL_NOT_APPROVER');
  if (task.state === 'approved' || task.state === 'rejected' || task.state === 'delegated') throw new AppError('APPROVAL_ALREADY_DECIDED', { state: task.state });
  if (run.state !== 'pending') throw new AppError('APPROVAL_NOT_PENDING', { state: run.state });
  if (task.state !== 'pending') throw new AppError('APPROVAL_NOT_PENDING', { state: task.state });
  return { run, task, stepTasks: locked.tasks };
}

/** Records a decision inside the caller's transaction and moves the run on. */
export async function decideInTx(db: Db, tx: Tx, actor: Actor, taskId: number, decision: ApprovalDecision, comment: string, via: Via): Promise<DecisionResult> {
  const { run, task, stepTasks } = await lockForDecision(tx, actor, taskId);
  const now = new Date();
  const state: TaskState = decision === 'approve' ? 'approved' : 'rejected';
  const text = comment.trim() || null;
  const steps = stepsOf(run);
  const step = steps[task.stepIndex];
  if (!step) throw new Error(`approval ${run.id} has no step ${task.stepIndex}`);
  // The decision, its links used up, the timeline event and the audit row: one round trip.
  await writeTogether(
    tx,
    qs.taskUpdateStatement(tx, task.id, { state, comment: text, decidedAt: now }),
    qs.useLinksStatement(tx, [task.id], now),
    approvalSubject(run.subjectType).eventStatement(tx, run.subjectId, {
      actorId: actor.userId,
      body: text,
      data: { action: 'decided', decision, approvalId: run.id, approvalKey: run.approvalKey, label: runLabel(run), round: run.round, step: task.stepIndex, stepLabel: step.label, approverId: actor.userId, taskId: task.id, via },
    }),
    auditStatement(tx, {
      actor,
      action: 'approval.decide',
      objectType: 'approval_task',
      objectId: task.id,
      result: 'success',
      details: { decision, via, approvalId: run.id, ticketId: run.ticketId, subjectType: run.subjectType, subjectId: run.subjectId, approvalKey: run.approvalKey, round: run.round, step: task.stepIndex },
    }),
  );

  let runState: RunState = 'pending';
  let currentStep = run.currentStep;
  const result = evaluateStep(
    step.rule,
    stepTasks.map((t) => (t.id === task.id ? state : (t.state as TaskState))),
  );
  if (result) {
    const skipped = await qs.closePendingTasks(tx, run.id, 'skipped', task.stepIndex);
    await qs.useLinksOfTasks(tx, skipped, now);
    await approvalSubject(run.subjectType).eventStatement(tx, run.subjectId, {
      actorId: actor.userId,
      data: { action: 'step_completed', outcome: result, approvalId: run.id, approvalKey: run.approvalKey, label: runLabel(run), round: run.round, step: task.stepIndex, stepLabel: step.label },
    });
    const next = task.stepIndex + 1;
    if (result === 'approved' && next < steps.length) {
      currentStep = next;
      await qs.updateRun(tx, run.id, { currentStep: next });
      await openStep(tx, { ...run, currentStep: next }, next, actor);
    } else {
      runState = result;
      await endRun(db, tx, run, result, actor, text);
    }
  }
  return { taskId: task.id, approvalId: run.id, taskState: state, runState, currentStep };
}

async function endRun(db: Db, tx: Tx, run: qs.ApprovalRow, outcome: 'approved' | 'rejected', actor: Actor, comment: string | null): Promise<void> {
  const now = new Date();
  await qs.updateRun(tx, run.id, { state: outcome, decidedAt: now });
  const skipped = await qs.closePendingTasks(tx, run.id, 'skipped');
  await qs.useLinksOfTasks(tx, skipped, now);
  const subject = approvalSubject(run.subjectType);
  await subject.eventStatement(tx, run.subjectId, {
    actorId: actor.userId,
    data: { action: 'completed', outcome, approvalId: run.id, approvalKey: run.approvalKey, label: runLabel(run), round: run.round },
  });
  const ticket = await subjectBrief(tx, { type: run.subjectType, id: run.subjectId });
  if (ticket) {
    const label = runLabel(run);
    const to = [ticket.requesterId, run.requestedBy].filter((id): id is number => typeof id === 'number' && id !== actor.userId);
    await notify(tx, {
      event: 'approval.decided',
      userIds: to.map(Number),
      params: {
        number: ticket.number,
        title: ticket.title,
        approval: label['en-US'],
        approvalZh: label['zh-CN'],
        outcome,
        outcomeZh: outcome === 'approved' ? '通过' : '驳回',
        actor: actor.displayName,
        ...(comment ? { comment } : {}),
      },
      ticketId: run.subjectType === 'ticket' ? ticket.id : null,
      orgId: ticket.orgId,
      link: run.subjectType === 'ticket' ? null : ticket.link,
    });
  }
  await subject.outcome(db, tx, { subjectId: run.subjectId, approvalKey: run.approvalKey, outcome, actor, comment });
}

/** Runs `fn`; a refusal is written to the audit log (outside the rolled-back transaction) and rethrown. */
async function auditRefusal<T>(db: Db, actor: Actor | null, action: string, details: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && !err.audited) {
      await recordAudit(db, { actor, actorName: actor ? undefined : 'approval-link', action, objectType: 'approval_task', objectId: (details.taskId as number | undefined) ?? null, result: 'denied', details: { ...details, code: err.code } });
      err.audited = true;
    }
    throw err;
  }
}

export async function decide(db: Db, actor: Actor, taskId: number, input: z.output<typeof decideRequestSchema>, via: Via = 'app'): Promise<DecisionResult> {
  return auditRefusal(db, actor, 'approval.decide', { taskId, decision: input.decision, via }, () =>
    db.transaction((tx) => decideInTx(db, tx, actor, taskId, input.decision, input.comment, via)),
  );
}

/** Each task in its own transaction: one refusal does not undo the others. */
export async function decideMany(db: Db, actor: Actor, input: z.output<typeof batchDecideRequestSchema>): Promise<BatchDecideResult> {
  const results: BatchDecideResult['results'] = [];
  for (const taskId of [...new Set(input.taskIds)]) {
    try {
      const r = await decide(db, actor, taskId, { decision: input.decision, comment: input.comment }, 'batch');
      results.push({ taskId, ok: true, code: null, message: null, runState: r.runState });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ taskId, ok: false, code: err.code, message: formatError(err.code, actor.locale, err.params), runState: null });
    }
  }
  return { results };
}

/* ------------------------------- delegate ------------------------------- */

export async function delegate(db: Db, actor: Actor, taskId: number, input: z.output<typeof delegateRequestSchema>) {
  return auditRefusal(db, actor, 'approval.delegate', { taskId, to: input.userId }, () =>
    db.transaction(async (tx) => {
      const { run, task } = await lockForDecision(tx, actor, taskId);
      const invalid = (zh: string, en: string) => new AppError('APPROVAL_DELEGATE_INVALID', { reasonZh: zh, reasonEn: en });
      if (input.userId === actor.userId) throw invalid('不能委托给自己', 'you cannot delegate to yourself');
      const target = await qs.findUserBrief(tx, input.userId);
      if (!target || target.status !== 'active') throw invalid('用户不存在或已停用', 'the user does not exist or is disabled');
      const ticket = await subjectBrief(tx, { type: run.subjectType, id: run.subjectId });
      if (ticket?.requesterId === input.userId) throw invalid('不能委托给工单申请人', 'the requester cannot approve their own ticket');
      const live = (await qs.stepTasks(tx, run.id, task.stepIndex)).filter((t) => ['pending', 'approved', 'rejected'].includes(t.state));
      if (live.some((t) => t.approverId === input.userId)) throw invalid('该用户已是本步骤的审批人', 'the user is already an approver of this step');
      const now = new Date();
      const text = input.comment.trim() || null;
      await qs.updateTask(tx, task.id, { state: 'delegated', comment: text, decidedAt: now });
      await qs.useLinksOfTasks(tx, [task.id], now);
      const [created] = await qs.insertTasks(tx, [{ ...subjectColumns(run), stepIndex: task.stepIndex, approverId: input.userId, state: 'pending', delegatedFromTaskId: task.id }]);
      if (!created) throw new Error('insert approval task returned nothing');
      const step = stepsOf(run)[task.stepIndex];
      if (!step) throw new Error(`approval ${run.id} has no step ${task.stepIndex}`);
      await approvalSubject(run.subjectType).eventStatement(tx, run.subjectId, {
        actorId: actor.userId,
        body: text,
        data: { action: 'delegated', approvalId: run.id, approvalKey: run.approvalKey, label: runLabel(run), round: run.round, step: task.stepIndex, stepLabel: step.label, approverId: actor.userId, delegateId: input.userId, delegateName: target.display_name, taskId: task.id, newTaskId: created.id },
      });
      await notifyApprovers(tx, run, step, [created], 'approval.requested', {});
      await recordAudit(tx, {
        actor,
        action: 'approval.delegate',
        objectType: 'approval_task',
        objectId: task.id,
        result: 'success',
        details: { approvalId: run.id, ticketId: run.ticketId, subjectType: run.subjectType, subjectId: run.subjectId, to: input.userId, newTaskId: created.id },
      });
      return { taskId: task.id, newTaskId: created.id, delegateId: input.userId };
    }),
  );
}

/* -------------------------------- links --------------------------------- */

async function checkLink(q: Queryable, token: string, lock: boolean) {
  const link = await qs.findLink(q, hashToken(token), lock);
  if (!link) throw new AppError('APPROVAL_LINK_INVALID');
  if (link.usedAt) throw new AppError('APPROVAL_LINK_USED');
  if (link.expiresAt.getTime() <= Date.now()) throw new AppError('APPROVAL_LINK_EXPIRED');
  const ctx = await qs.linkContext(q, link.taskId);
  if (!ctx) throw new AppError('APPROVAL_LINK_INVALID');
  // The task ended another way (decided in the app, step completed, run cancelled).
  if (ctx.task_state !== 'pending' || ctx.run_state !== 'pending') throw new AppError('APPROVAL_LINK_USED');
  return { link, ctx };
}

/** What the approver needs to confirm a link; never decides (mail scanners prefetch links). */
export async function linkInfo(db: Db, token: string): Promise<ApprovalLinkInfo> {
  const { link, ctx } = await checkLink(db, token, false);
  const step = (ctx.steps as StepSnapshot[])[Number(ctx.step_index)];
  const ticket = await subjectBrief(db, { type: ctx.subject_type, id: Number(ctx.subject_id) });
  return {
    decision: link.decision as ApprovalDecision,
    expiresAt: link.expiresAt.toISOString(),
    approverName: ctx.approver_name,
    approvalLabel: (ctx.label as Label | null) ?? fallbackLabel(ctx.approval_key),
    stepLabel: step?.label ?? fallbackLabel(String(ctx.step_index)),
    round: Number(ctx.round),
    ticket: { number: ticket?.number ?? '', title: ticket?.title ?? '', type: ticket?.type ?? ctx.subject_type, requesterName: ticket?.requesterName ?? null },
  };
}

/** Decides as the link's approver: the link is the credential. It and its sibling are used up. */
export async function decideByLink(db: Db, token: string, comment: string, ip: string | null): Promise<ApprovalLinkDecideResult> {
  return auditRefusal(db, null, 'approval.decide', { via: 'link', ip }, () =>
    db.transaction(async (tx) => {
      const first = await checkLink(tx, token, false);
      await lockSubjectOfTask(tx, first.link.taskId);
      const { link, ctx } = await checkLink(tx, token, true);
      const p = await findPrincipal(tx, Number(ctx.approver_id));
      if (!p || p.status !== 'active') throw new AppError('AUTH_ACCOUNT_DISABLED');
      const actor = actorFromPrincipal(p, { ip });
      const r = await decideInTx(db, tx, actor, link.taskId, link.decision as ApprovalDecision, comment, 'link');
      const ticket = await subjectBrief(tx, { type: ctx.subject_type, id: Number(ctx.subject_id) });
      return { decision: link.decision as ApprovalDecision, runState: r.runState, ticketNumber: ticket?.number ?? '' };
    }),
  );
}

/* ------------------------------- reminders ------------------------------ */

/**
 * The `approvals.remind` sweep: re-notifies approvers of tasks pending longer than their step's
 * remindAfterHours, once per period (reminded_at is the claim), with fresh links.
 */
export async function sweepApprovalReminders(db: Db, now: Date = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await qs.claimDueReminders(tx, now, REMINDER_BATCH);
    const runs = new Map<number, qs.ApprovalRow>();
    for (const d of due) {
      let run = runs.get(Number(d.approval_id));
      if (!run) {
        // Read, not locked: the steps are an immutable snapshot, and a decision locks run before task
        // (this sweep already holds the task), so locking the run here could deadlock with it.
        run = await qs.findRun(tx, Number(d.approval_id));
        if (!run) continue;
        runs.set(run.id, run);
      }
      const step = stepsOf(run)[Number(d.step_index)];
      if (!step) continue;
      const created = d.created_at instanceof Date ? d.created_at : new Date(d.created_at);
      const hours = Math.floor((now.getTime() - created.getTime()) / 3_600_000);
      await notifyApprovers(tx, run, step, [{ id: Number(d.id), approverId: Number(d.approver_id) }], 'approval.reminder', { hours });
    }
    return due.length;
  });
}

/* -------------------------------- reading ------------------------------- */

export async function myApprovals(db: Db, actor: Actor, query: z.output<typeof myApprovalsQuerySchema>): Promise<MyApprovals> {
  const list = await qs.myTasks(db, actor.userId, query.state, query.limit);
  const briefs = await subjectBriefs(
    db,
    list.map((r) => ({ type: r.subject_type, id: Number(r.subject_id) })),
  );
  const now = Date.now();
  const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));
  return {
    pendingCount: await qs.countMyPending(db, actor.userId),
    items: list.map((r) => {
      const created = toDate(r.created_at);
      const decided = r.decided_at === null ? null : toDate(r.decided_at);
      const step = (r.steps as StepSnapshot[])[Number(r.step_index)];
      const b: SubjectBrief | undefined = briefs.get(`${r.subject_type}:${Number(r.subject_id)}`);
      return {
        taskId: Number(r.task_id),
        approvalId: Number(r.approval_id),
        state: r.state as TaskState,
        comment: r.comment,
        createdAt: created.toISOString(),
        decidedAt: decided?.toISOString() ?? null,
        ageMinutes: Math.max(0, Math.floor(((decided?.getTime() ?? now) - created.getTime()) / 60_000)),
        approvalKey: r.approval_key,
        approvalLabel: (r.label as Label | null) ?? fallbackLabel(r.approval_key),
        round: Number(r.round),
        runState: r.run_state as RunState,
        stepIndex: Number(r.step_index),
        stepLabel: step?.label ?? fallbackLabel(String(r.step_index)),
        ticket: {
          id: Number(r.subject_id),
          number: b?.number ?? '',
          title: b?.title ?? '',
          type: b?.type ?? r.subject_type,
          requesterId: b?.requesterId ?? null,
          requesterName: b?.requesterName ?? null,
        },
      };
    }),
  };
}

export async function ticketApprovals(db: Db, actor: Actor, ticketId: number): Promise<{ items: ApprovalRun[] }> {
  await loadVisible(db, actor, ticketId);
  return subjectApprovals(db, { type: 'ticket', id: ticketId });
}

/** A subject's runs (newest first) with steps and tasks; the caller has checked the actor may see the subject. */
export async function subjectApprovals(db: Db, subject: qs.Subject): Promise<{ items: ApprovalRun[] }> {
  const runs = await qs.runsOfSubject(db, subject);
  const tasks = await qs.tasksWithNames(
    db,
    runs.map((r) => r.id),
  );
  return {
    items: runs.map((run) => {
      const steps: ApprovalStepView[] = stepsOf(run).map((s, index) => {
        let state: ApprovalStepView['state'];
        if (index < run.currentStep) state = 'approved';
        else if (index > run.currentStep) state = run.state === 'cancelled' || run.state === 'rejected' ? 'cancelled' : 'waiting';
        else state = run.state === 'pending' ? 'pending' : (run.state as ApprovalStepView['state']);
        return {
          index,
          key: s.key,
          label: s.label,
          rule: s.rule,
          approvers: s.approvers,
          approverIds: s.approverIds,
          remindAfterHours: s.remindAfterHours,
          state,
          tasks: tasks
            .filter((t) => t.approvalId === run.id && t.stepIndex === index)
            .map((t) => ({
              id: t.id,
              stepIndex: t.stepIndex,
              approverId: t.approverId,
              approverName: t.approverName,
              state: t.state as TaskState,
              comment: t.comment,
              delegatedFromTaskId: t.delegatedFromTaskId,
              decidedAt: t.decidedAt?.toISOString() ?? null,
              createdAt: t.createdAt.toISOString(),
            })),
        };
      });
      return {
        id: run.id,
        ticketId: run.subjectId,
        approvalKey: run.approvalKey,
        label: runLabel(run),
        round: run.round,
        state: run.state as RunState,
        currentStep: run.currentStep,
        requestedBy: run.requestedBy,
        requestedByName: run.requestedByName,
        createdAt: run.createdAt.toISOString(),
        decidedAt: run.decidedAt?.toISOString() ?? null,
        steps,
      };
    }),
  };
}

/* ------------------------------ CAB groups ------------------------------ */

export async function setCabGroups(db: Db, actor: Actor, input: CabGroups): Promise<CabGroups> {
  return db.transaction(async (tx) => {
    for (const id of [input.standard, input.normal, input.emergency]) {
      if (typeof id === 'number' && !(await qs.groupExists(tx, id))) throw new AppError('REFERENCE_INVALID', { object: 'group' });
    }
    const before = await getCabGroups(tx);
    await qs.writeSetting(tx, CAB_SETTING_KEY, input);
    await recordAudit(tx, { actor, action: 'settings.cab_groups', objectType: 'settings', objectId: CAB_SETTING_KEY, result: 'success', details: { from: before, to: input } });
    return input;
  });
}
