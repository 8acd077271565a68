import { and, eq, inArray } from 'drizzle-orm';
import {
  assessRisk,
  changeTemplateDefaultsSchema,
  changeWindowRecurrenceSchema,
  riskAnswersSchema,
  type CalendarWindow,
  type ChangeCalendar,
  type ChangeConflict,
  type ChangeConflicts,
  type ChangeDetail,
  type ChangeFields,
  type ChangeReport,
  type ChangeSummary,
  type ChangeTemplate,
  type ChangeTemplateDefaults,
  type ChangeType,
  type ChangeWindow,
  type CiNode,
  type CutoverStep,
  type RiskAnswers,
  type RiskLevel,
  type changeListQuerySchema,
  type createChangeRequestSchema,
  type createChangeTemplateRequestSchema,
  type createChangeWindowRequestSchema,
  type executeCutoverStepRequestSchema,
  type setCutoverRequestSchema,
  type updateChangeRequestSchema,
  type updateChangeTemplateRequestSchema,
  type updateChangeWindowRequestSchema,
} from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { users } from '../directory/directory.tables.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { createTicket, loadVisible, ticketDtoFor } from '../tickets/tickets.service.ts';
import { insertEvent, lockTicket } from '../tickets/tickets.queries.ts';
import { affectedServices, BUSINESS_SERVICE_CLASS } from '../cmdb/cmdb-relations.service.ts';
import { loadTree, subtreeIds } from '../cmdb/ci-classes.service.ts';
import { ciItems } from '../cmdb/cmdb.tables.ts';
import { fitsInSome, occurrences } from './change-windows.ts';
import * as qs from './changes.queries.ts';
import { changeDetails, changeTemplates, changeWindows } from './changes.tables.ts';

type CreateInput = z.output<typeof createChangeRequestSchema>;
type UpdateInput = z.output<typeof updateChangeRequestSchema>;

/** Fields and plans may be edited while the change is prepared. */
export const EDITABLE_STATES: readonly string[] = ['draft', 'assessment'];
/** States in which a change holds its planned window: conflicts are checked against changes in these. */
export const ACTIVE_STATES: readonly string[] = ['assessment', 'cab_approval', 'ecab_approval', 'approved', 'scheduled', 'implementing', 'verifying'];
/** Implementation started: implementing or any later state of the built-in change workflows. */
export const IMPLEMENTED_STATES: readonly string[] = ['implementing', 'verifying', 'completed_successful', 'completed_with_issues', 'rolled_back', 'failed', 'review', 'closed'];
/** States shown on the calendar. */
export const CALENDAR_STATES: readonly string[] = [...ACTIVE_STATES, 'completed_successful', 'completed_with_issues', 'rolled_back', 'failed', 'review', 'closed'];
/** The approval each change type needs before implementing (standard changes are pre-approved). */
export const REQUIRED_APPROVAL: Record<string, string> = { normal: 'cab', emergency: 'ecab' };
const CALENDAR_LIMIT = 1000;
const MAX_CALENDAR_DAYS = 62;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const toDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));
const actorId = (actor: Actor) => (actor.userId > 0 ? actor.userId : null);

/* ---------------------------------- helpers ---------------------------------- */

function riskOf(answers: RiskAnswers | null): { level: RiskLevel; score: number } {
  return answers ? assessRisk(answers) : { level: 'low', score: 0 };
}

function checkWindow(start: Date | null, end: Date | null): void {
  if ((start === null) !== (end === null)) throw new AppError('CHANGE_PLANNED_WINDOW_INVALID');
  if (start && end && end.getTime() <= start.getTime()) throw new AppError('CHANGE_PLANNED_WINDOW_INVALID');
}

async function checkOwners(q: Queryable, ids: (number | null)[]): Promise<void> {
  const wanted = [...new Set(ids.filter((x): x is number => x !== null))];
  if (!wanted.length) return;
  const found = await q.select({ id: users.id, status: users.status }).from(users).where(inArray(users.id, wanted));
  for (const id of wanted) if (!found.some((u) => u.id === id && u.status === 'active')) throw new AppError('REFERENCE_INVALID', { object: `user ${id}` });
}

/** Checks the CIs belong to the change's organisation and computes the business services they impact. */
async function cisAndServices(db: Db, actor: Actor, orgId: number, ciIds: number[]): Promise<{ ciIds: number[]; serviceIds: number[] }> {
  const wanted = [...new Set(ciIds)];
  const found = await qs.findCis(db, wanted);
  for (const id of wanted) {
    const c = found.find((f) => f.id === id);
    if (!c || c.orgId !== orgId) throw new AppError('REFERENCE_INVALID', { object: `CI ${id}` });
  }
  const services = new Set<number>();
  for (const id of wanted) for (const s of await affectedServices(db, actor, id)) services.add(s.id);
  return { ciIds: wanted, serviceIds: [...services].sort((a, b) => a - b) };
}

function ciNode(r: qs.CiBriefRow): CiNode {
  return {
    id: Number(r.id),
    name: r.name,
    classId: Number(r.class_id),
    classKey: r.class_key,
    className: r.class_name,
    orgId: Number(r.org_id),
    importance: r.importance,
    status: r.status,
  };
}

function fieldsDto(d: qs.DetailsRow & { templateName: string | null }): ChangeFields {
  const answers = riskAnswersSchema.safeParse(d.riskAnswers);
  return {
    changeType: d.changeType as ChangeType,
    templateId: d.templateId,
    templateName: d.templateName,
    reason: d.reason,
    scope: d.scope,
    riskAnswers: answers.success ? answers.data : null,
    riskLevel: d.riskLevel as RiskLevel,
    riskScore: d.riskScore,
    implementationPlan: d.implementationPlan,
    testPlan: d.testPlan,
    rollbackPlan: d.rollbackPlan,
    plannedStart: iso(d.plannedStart),
    plannedEnd: iso(d.plannedEnd),
    outageExpected: d.outageExpected,
    outageMinutes: d.outageMinutes,
    actualStart: iso(d.actualStart),
    actualEnd: iso(d.actualEnd),
    outcome: d.outcome,
    version: d.version,
    updatedAt: d.updatedAt.toISOString(),
  };
}

function stepDto(s: qs.StepView): CutoverStep {
  return {
    id: s.id,
    position: s.position,
    title: s.title,
    ownerId: s.ownerId,
    ownerName: s.ownerName,
    offsetMinutes: s.offsetMinutes,
    durationMinutes: s.durationMinutes,
    state: s.state as CutoverStep['state'],
    result: s.result,
    startedAt: iso(s.startedAt),
    finishedAt: iso(s.finishedAt),
    executedBy: s.executedBy,
    executedByName: s.executedByName,
  };
}

async function loadChange(db: Db, actor: Actor, id: number) {
  const row = await loadVisible(db, actor, id);
  if (row.t.type !== 'change') throw new AppError('NOT_FOUND', { object: 'change' });
  const details = await qs.findDetails(db, id);
  if (!details) throw new AppError('NOT_FOUND', { object: 'change' });
  return { row, details };
}

/* ---------------------------------- conflicts ---------------------------------- */

type ConflictSubject = { id: number; state: string; start: Date | null; end: Date | null; ciIds: number[]; serviceIds: number[] };

/**
 * Conflicts of changes' planned windows: active changes on the same CIs or impacted services in an
 * overlapping window, blackouts the window overlaps, and impacted services with maintenance windows none of
 * which contains it. One statement whatever the number of changes checked or scheduled (conflictRows).
 */
export async function conflictsOfMany(q: Queryable, scope: number[] | null, subjects: ConflictSubject[]): Promise<Map<number, ChangeConflict[]>> {
  const out = new Map<number, ChangeConflict[]>();
  const live = subjects.filter((c): c is ConflictSubject & { start: Date; end: Date } => !!c.start && !!c.end && (c.state === 'draft' || ACTIVE_STATES.includes(c.state)));
  for (const c of subjects) out.set(c.id, []);
  if (!live.length) return out;
  const found = await qs.conflictRows(q, live, ACTIVE_STATES);
  const windows = found.filter((r) => r.k === 'w');
  const bySubject = new Map<number, qs.ConflictRow[]>();
  for (const r of found) if (r.subject !== null) bySubject.set(Number(r.subject), [...(bySubject.get(Number(r.subject)) ?? []), r]);
  for (const c of live) {
    const mine = bySubject.get(c.id) ?? [];
    const list: ChangeConflict[] = [];
    const group = (k: 'c' | 's') => {
      const by = new Map<number, { r: qs.ConflictRow; refs: { id: number; name: string }[] }>();
      for (const r of mine) {
        if (r.k !== k) continue;
        const id = Number(r.other_id);
        const g = by.get(id) ?? { r, refs: [] };
        g.refs.push({ id: Number(r.ref_id), name: r.ref_name ?? '' });
        by.set(id, g);
      }
      return [...by.values()].map(({ r, refs }) => ({
        other: {
          changeId: Number(r.other_id),
          number: r.number,
          title: inScope(scope, Number(r.org_id)) ? r.title : null,
          state: r.state,
          plannedStart: toDate(r.planned_start).toISOString(),
          plannedEnd: toDate(r.planned_end ?? r.planned_start).toISOString(),
        },
        refs: refs.sort((a, b) => a.id - b.id),
      }));
    };
    for (const g of group('c')) list.push({ kind: 'ci_overlap', ...g.other, cis: g.refs });
    const viaCi = new Set(list.map((x) => (x.kind === 'ci_overlap' ? x.changeId : 0)));
    // A change already reported for a shared CI is not reported again for the services that CI impacts.
    for (const g of group('s')) if (!viaCi.has(g.other.changeId)) list.push({ kind: 'service_overlap', ...g.other, services: g.refs });
    const s0 = c.start.getTime();
    const e0 = c.end.getTime();
    for (const w of windows) {
      if (w.state !== 'blackout') continue;
      const ws = toDate(w.planned_start).getTime();
      const we = w.planned_end ? toDate(w.planned_end).getTime() : Number.POSITIVE_INFINITY;
      if (!(ws < e0 && we > s0)) continue;
      if (w.ref_id !== null && !c.serviceIds.includes(Number(w.ref_id))) continue;
      list.push({
        kind: 'blackout',
        windowId: Number(w.other_id),
        name: w.title,
        startsAt: new Date(ws).toISOString(),
        endsAt: new Date(Number.isFinite(we) ? we : ws).toISOString(),
        serviceId: w.ref_id === null ? null : Number(w.ref_id),
        serviceName: w.ref_name,
      });
    }
    for (const sid of c.serviceIds) {
      const own = windows.filter((w) => w.state === 'maintenance' && Number(w.ref_id) === Number(sid));
      if (!own.length) continue;
      const shaped = own.map((w) => ({ startsAt: toDate(w.planned_start).getTime(), endsAt: w.planned_end ? toDate(w.planned_end).getTime() : null, recurrence: recurrenceOf(w.recurrence) }));
      if (!fitsInSome(shaped, s0, e0)) list.push({ kind: 'outside_maintenance', serviceId: Number(sid), serviceName: own[0]?.ref_name ?? String(sid) });
    }
    out.set(c.id, list);
  }
  return out;
}

export async function conflictsOf(q: Queryable, scope: number[] | null, c: ConflictSubject): Promise<ChangeConflict[]> {
  return (await conflictsOfMany(q, scope, [c])).get(c.id) ?? [];
}

function recurrenceOf(v: unknown) {
  if (v === null || v === undefined) return null;
  const p = changeWindowRecurrenceSchema.safeParse(v);
  return p.success ? p.data : null;
}

export async function getConflicts(db: Db, actor: Actor, id: number): Promise<ChangeConflicts> {
  const row = await loadVisible(db, actor, id);
  const subject = row.t.type === 'change' ? await qs.subjectOf(db, id) : undefined;
  if (!subject) throw new AppError('NOT_FOUND', { object: 'change' });
  const scope = await ticketOrgScope(db, actor);
  return { changeId: id, checkedAt: new Date().toISOString(), conflicts: await conflictsOf(db, scope, { id, state: row.t.state, ...subject }) };
}

/* ---------------------------------- changes ---------------------------------- */

export async function getChange(db: Db, actor: Actor, id: number): Promise<ChangeDetail> {
  const { row, details } = await loadChange(db, actor, id);
  const scope = await ticketOrgScope(db, actor);
  const [cis, services, steps] = await Promise.all([qs.cisOf(db, id), qs.servicesOf(db, id), qs.stepsOf(db, id)]);
  const conflicts = await conflictsOf(db, scope, {
    id,
    state: row.t.state,
    start: details.plannedStart,
    end: details.plannedEnd,
    ciIds: cis.map((c) => Number(c.id)),
    serviceIds: services.map((s) => Number(s.id)),
  });
  return {
    ticket: await ticketDtoFor(db, actor, row),
    change: fieldsDto(details),
    cis: cis.map(ciNode),
    services: services.map((s) => ({ ...ciNode(s), depth: null })),
    cutover: steps.map(stepDto),
    conflicts,
  };
}

async function activeTemplate(q: Queryable, id: number): Promise<{ row: qs.TemplateRow; defaults: ChangeTemplateDefaults }> {
  const [row] = await q.select().from(changeTemplates).where(eq(changeTemplates.id, id));
  if (!row || !row.active) throw new AppError('CHANGE_TEMPLATE_REQUIRED');
  return { row, defaults: changeTemplateDefaultsSchema.parse(row.defaults) };
}

export async function createChange(db: Db, actor: Actor, input: CreateInput, idempotencyKey?: string): Promise<{ change: ChangeDetail; replay: boolean }> {
  let template: { row: qs.TemplateRow; defaults: ChangeTemplateDefaults } | null = null;
  if (input.changeType === 'standard') {
    if (!input.templateId) throw new AppError('CHANGE_TEMPLATE_REQUIRED');
    template = await activeTemplate(db, input.templateId);
  } else if (input.templateId) {
    template = await activeTemplate(db, input.templateId);
  }
  const t = template?.defaults;
  const rollbackPlan = (input.rollbackPlan ?? t?.rollbackPlan ?? '').trim();
  if (!rollbackPlan) throw new AppError('CHANGE_ROLLBACK_PLAN_REQUIRED');
  const answers = input.riskAnswers ?? t?.riskAnswers ?? null;
  if (!answers && input.changeType !== 'standard') throw new AppError('FIELD_REQUIRED', { fields: 'riskAnswers' }, { fields: ['riskAnswers'] });
  const risk = riskOf(answers);
  const plannedStart = input.plannedStart ? new Date(input.plannedStart) : null;
  const plannedEnd = input.plannedEnd ? new Date(input.plannedEnd) : null;
  checkWindow(plannedStart, plannedEnd);
  const orgId = actor.orgKind === 'customer' ? actor.orgId : input.orgId;
  if (!orgId) throw new AppError('FIELD_REQUIRED', { fields: 'orgId' }, { fields: ['orgId'] });
  const scope = await ticketOrgScope(db, actor);
  if (!inScope(scope, orgId)) throw new AppError('REFERENCE_INVALID', { object: 'organization' });
  const { ciIds, serviceIds } = await cisAndServices(db, actor, orgId, input.ciIds);
  const steps = (input.cutoverSteps ?? t?.cutoverSteps ?? []).map((s) => ({
    title: s.title,
    ownerId: s.ownerId ?? null,
    offsetMinutes: s.offsetMinutes ?? 0,
    durationMinutes: s.durationMinutes ?? 0,
  }));
  await checkOwners(db, steps.map((s) => s.ownerId));
  const outageExpected = input.outageExpected ?? t?.outageExpected ?? false;
  const { row, replay } = await createTicket(
    db,
    actor,
    {
      type: 'change',
      title: input.title,
      description: input.description,
      orgId,
      impact: input.impact,
      urgency: input.urgency,
      category: input.category ?? null,
      service: null,
      assignmentGroupId: input.assignmentGroupId ?? null,
      assigneeId: input.assigneeId ?? null,
      major: false,
      customFields: {},
    },
    idempotencyKey,
    {
      workflowKey: `change.${input.changeType}`,
      afterInsert: async (tx: Tx, created) => {
        const ticketId = created.t.id;
        await tx.insert(changeDetails).values({
          ticketId,
          changeType: input.changeType,
          templateId: template?.row.id ?? null,
          reason: input.reason ?? t?.reason ?? '',
          scope: input.scope ?? t?.scope ?? '',
          riskAnswers: answers ?? {},
          riskLevel: risk.level,
          riskScore: risk.score,
          implementationPlan: input.implementationPlan ?? t?.implementationPlan ?? '',
          testPlan: input.testPlan ?? t?.testPlan ?? '',
          rollbackPlan,
          plannedStart,
          plannedEnd,
          outageExpected,
          outageMinutes: outageExpected ? (input.outageMinutes ?? t?.outageMinutes ?? null) : null,
        });
        await qs.replaceCis(tx, ticketId, ciIds);
        await qs.replaceServices(tx, ticketId, serviceIds);
        await qs.replaceCutover(tx, ticketId, steps);
        await recordAudit(tx, {
          actor,
          action: 'change.create',
          objectType: 'ticket',
          objectId: ticketId,
          result: 'success',
          details: { changeType: input.changeType, templateId: template?.row.id ?? null, riskLevel: risk.level, ciIds, serviceIds, steps: steps.length },
        });
      },
    },
  );
  return { change: await getChange(db, actor, row.t.id), replay };
}

export async function updateChange(db: Db, actor: Actor, id: number, input: UpdateInput): Promise<ChangeDetail> {
  const { row } = await loadChange(db, actor, id);
  const cisPlan = input.ciIds ? await cisAndServices(db, actor, row.t.orgId, input.ciIds) : null;
  await db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, id);
    const d = await qs.lockDetails(tx, id);
    if (!ticket || !d) throw new AppError('NOT_FOUND', { object: 'change' });
    if (d.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: d.version }, { currentVersion: d.version });
    if (!EDITABLE_STATES.includes(ticket.state)) throw new AppError('CHANGE_NOT_EDITABLE', { state: ticket.state });
    const patch: Partial<typeof changeDetails.$inferInsert> = {};
    const plain = ['reason', 'scope', 'implementationPlan', 'testPlan', 'outageExpected', 'outageMinutes'] as const;
    for (const k of plain) if (input[k] !== undefined) (patch as Record<string, unknown>)[k] = input[k];
    if (input.rollbackPlan !== undefined) {
      if (!input.rollbackPlan.trim()) throw new AppError('CHANGE_ROLLBACK_PLAN_REQUIRED');
      patch.rollbackPlan = input.rollbackPlan.trim();
    }
    if (input.riskAnswers) {
      const risk = assessRisk(input.riskAnswers);
      Object.assign(patch, { riskAnswers: input.riskAnswers, riskLevel: risk.level, riskScore: risk.score });
    }
    if (input.plannedStart !== undefined) patch.plannedStart = input.plannedStart ? new Date(input.plannedStart) : null;
    if (input.plannedEnd !== undefined) patch.plannedEnd = input.plannedEnd ? new Date(input.plannedEnd) : null;
    const start = patch.plannedStart !== undefined ? patch.plannedStart : d.plannedStart;
    const end = patch.plannedEnd !== undefined ? patch.plannedEnd : d.plannedEnd;
    checkWindow(start ?? null, end ?? null);
    if ((patch.outageExpected ?? d.outageExpected) === false) patch.outageMinutes = null;
    const changed = Object.entries(patch)
      .filter(([k, v]) => JSON.stringify(v) !== JSON.stringify((d as Record<string, unknown>)[k]))
      .map(([k]) => k);
    const before = cisPlan ? (await qs.idsOfCisAndServices(tx, [id])).cis.get(id) ?? [] : [];
    const ciChanged = cisPlan !== null && JSON.stringify([...before].sort((a, b) => a - b)) !== JSON.stringify([...cisPlan.ciIds].sort((a, b) => a - b));
    if (!changed.length && !ciChanged) return;
    await tx
      .update(changeDetails)
      .set({ ...patch, version: d.version + 1, updatedAt: new Date() })
      .where(eq(changeDetails.ticketId, id));
    if (cisPlan && ciChanged) {
      await qs.replaceCis(tx, id, cisPlan.ciIds);
      await qs.replaceServices(tx, id, cisPlan.serviceIds);
    }
    const fields = [...changed, ...(ciChanged ? ['ciIds'] : [])];
    await insertEvent(tx, {
      ticketId: id,
      kind: 'field_change',
      actorId: actorId(actor),
      data: { changes: fields.map((f) => ({ field: `change.${f}`, from: null, to: f === 'ciIds' ? cisPlan?.ciIds : ((patch as Record<string, unknown>)[f] ?? null) })) },
    });
    await recordAudit(tx, { actor, action: 'change.update', objectType: 'ticket', objectId: id, result: 'success', details: { fields, version: d.version + 1 } });
  });
  return getChange(db, actor, id);
}

export async function listChanges(db: Db, actor: Actor, query: z.output<typeof changeListQuerySchema>) {
  const scope = await ticketOrgScope(db, actor);
  const r = await qs.listChanges(db, { ...query, scope });
  const items: ChangeSummary[] = r.items.map((x) => ({
    id: Number(x.id),
    number: x.number,
    title: x.title,
    state: x.state,
    orgId: Number(x.org_id),
    orgName: x.org_name,
    changeType: x.change_type as ChangeType,
    riskLevel: x.risk_level as RiskLevel,
    plannedStart: x.planned_start ? toDate(x.planned_start).toISOString() : null,
    plannedEnd: x.planned_end ? toDate(x.planned_end).toISOString() : null,
    assigneeName: x.assignee_name,
    ciCount: Number(x.ci_count),
    createdAt: toDate(x.created_at).toISOString(),
  }));
  return { items, total: r.total, page: query.page, pageSize: query.pageSize };
}

/* ---------------------------------- cutover ---------------------------------- */

export async function setCutover(db: Db, actor: Actor, id: number, input: z.output<typeof setCutoverRequestSchema>): Promise<CutoverStep[]> {
  await loadChange(db, actor, id);
  const steps = input.steps.map((s) => ({ title: s.title, ownerId: s.ownerId ?? null, offsetMinutes: s.offsetMinutes, durationMinutes: s.durationMinutes }));
  await checkOwners(db, steps.map((s) => s.ownerId));
  await db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, id);
    if (!ticket) throw new AppError('NOT_FOUND', { object: 'change' });
    if (IMPLEMENTED_STATES.includes(ticket.state) || ticket.state === 'cancelled') throw new AppError('CHANGE_NOT_EDITABLE', { state: ticket.state });
    await qs.replaceCutover(tx, id, steps);
    await recordAudit(tx, { actor, action: 'change.cutover.plan', objectType: 'ticket', objectId: id, result: 'success', details: { steps: steps.length } });
  });
  return (await qs.stepsOf(db, id)).map(stepDto);
}

const STEP_LABEL = { start: ['开始', 'started'], done: ['完成', 'done'], fail: ['失败', 'failed'], skip: ['跳过', 'skipped'] } as const;

/**
 * Executes one cutover step: only while the change is implementing, in order (every earlier step done or
 * skipped, none running), the result recorded on the step, the timeline and the audit log.
 */
export async function executeStep(db: Db, actor: Actor, id: number, stepId: number, input: z.output<typeof executeCutoverStepRequestSchema>): Promise<CutoverStep[]> {
  await loadChange(db, actor, id);
  await db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, id);
    if (!ticket) throw new AppError('NOT_FOUND', { object: 'change' });
    if (ticket.state !== 'implementing') throw new AppError('CHANGE_NOT_IMPLEMENTING', { state: ticket.state });
    const steps = await qs.lockSteps(tx, id);
    const step = steps.find((s) => s.id === stepId);
    if (!step) throw new AppError('NOT_FOUND', { object: 'cutover step' });
    const now = new Date();
    const result = input.result?.trim() || null;
    const refuse = () => new AppError('CHANGE_CUTOVER_STEP_STATE', { state: step.state, action: input.action });
    let patch: Partial<qs.StepRow>;
    if (input.action === 'start' || input.action === 'skip') {
      if (step.state !== 'pending') throw refuse();
      const blocker = steps.find((s) => s.position < step.position && s.state !== 'done' && s.state !== 'skipped');
      if (blocker) throw new AppError('CHANGE_CUTOVER_OUT_OF_ORDER', { position: blocker.position });
      if (input.action === 'skip' && !result) throw new AppError('CHANGE_CUTOVER_RESULT_REQUIRED');
      patch =
        input.action === 'start'
          ? { state: 'running', startedAt: now, executedBy: actorId(actor) }
          : { state: 'skipped', result, startedAt: null, finishedAt: now, executedBy: actorId(actor) };
    } else {
      if (step.state !== 'running') throw refuse();
      if (!result) throw new AppError('CHANGE_CUTOVER_RESULT_REQUIRED');
      patch = { state: input.action === 'done' ? 'done' : 'failed', result, finishedAt: now, executedBy: actorId(actor) };
    }
    await qs.updateStep(tx, step.id, patch);
    const [zh, en] = STEP_LABEL[input.action];
    await insertEvent(tx, {
      ticketId: id,
      kind: 'work_note',
      internal: true,
      actorId: actorId(actor),
      body: `割接步骤 ${step.position}「${step.title}」${zh}${result ? `：${result}` : ''}`,
      data: { cutover: { stepId: step.id, position: step.position, action: input.action, state: patch.state, result, en: `Cutover step ${step.position} ${en}` } },
    });
    await recordAudit(tx, {
      actor,
      action: `change.cutover.${input.action}`,
      objectType: 'ticket',
      objectId: id,
      result: 'success',
      details: { stepId: step.id, position: step.position, from: step.state, to: patch.state, result },
    });
  });
  return (await qs.stepsOf(db, id)).map(stepDto);
}

/* ---------------------------------- calendar ---------------------------------- */

function checkRange(from: Date, to: Date, maxDays: number): void {
  if (to.getTime() <= from.getTime()) throw new AppError('TIME_RANGE_INVALID');
  if (to.getTime() - from.getTime() > maxDays * 86_400_000) throw new AppError('VALIDATION_FAILED', { summary: `at most ${maxDays} days` });
}

export async function calendar(db: Db, actor: Actor, fromIso: string, toIso: string): Promise<ChangeCalendar> {
  const from = new Date(fromIso);
  const to = new Date(toIso);
  checkRange(from, to, MAX_CALENDAR_DAYS);
  const scope = await ticketOrgScope(db, actor);
  const list = await qs.calendarChanges(db, { from, to, scope, states: CALENDAR_STATES, limit: CALENDAR_LIMIT });
  const ids = list.map((r) => Number(r.id));
  const links = await qs.idsOfCisAndServices(db, ids);
  const subjects = list.map((r) => {
    const id = Number(r.id);
    return { id, state: r.state, start: toDate(r.planned_start), end: toDate(r.planned_end), ciIds: links.cis.get(id) ?? [], serviceIds: links.services.get(id) ?? [] };
  });
  const conflicts = await conflictsOfMany(db, scope, subjects);
  const changes = list.map((r) => ({
    id: Number(r.id),
    number: r.number,
    title: r.title,
    state: r.state,
    changeType: r.change_type as ChangeType,
    riskLevel: r.risk_level as RiskLevel,
    plannedStart: toDate(r.planned_start).toISOString(),
    plannedEnd: toDate(r.planned_end).toISOString(),
    ciCount: Number(r.ci_count),
    conflicts: conflicts.get(Number(r.id)) ?? [],
  }));
  const windows: CalendarWindow[] = [];
  for (const w of await qs.windowsIn(db, from, to)) {
    const shaped = { startsAt: w.startsAt.getTime(), endsAt: w.endsAt ? w.endsAt.getTime() : null, recurrence: recurrenceOf(w.recurrence) };
    for (const o of occurrences(shaped, from.getTime(), to.getTime())) {
      windows.push({
        windowId: w.id,
        kind: w.kind,
        name: w.name,
        serviceId: w.serviceCiId,
        serviceName: w.serviceName,
        startsAt: new Date(o.start).toISOString(),
        endsAt: new Date(Number.isFinite(o.end) ? o.end : to.getTime()).toISOString(),
      });
    }
  }
  windows.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return { from: from.toISOString(), to: to.toISOString(), changes, windows };
}

/* ---------------------------------- windows ---------------------------------- */

function windowDto(w: qs.WindowWithService): ChangeWindow {
  return {
    id: w.id,
    kind: w.kind,
    name: w.name,
    serviceId: w.serviceCiId,
    serviceName: w.serviceName,
    startsAt: w.startsAt.toISOString(),
    endsAt: iso(w.endsAt),
    recurrence: recurrenceOf(w.recurrence),
    note: w.note,
    version: w.version,
    updatedAt: w.updatedAt.toISOString(),
  };
}

type WindowShape = { kind: 'blackout' | 'maintenance'; serviceId: number | null; startsAt: Date; endsAt: Date | null; recurrence: z.output<typeof changeWindowRecurrenceSchema> | null };

async function checkWindowShape(q: Queryable, w: WindowShape): Promise<void> {
  const bad = (reason: string) => new AppError('CHANGE_WINDOW_INVALID', { reason });
  if (w.kind === 'blackout' && w.recurrence) throw bad('blackout windows do not repeat / 封网窗口不能设置周期');
  if (w.kind === 'maintenance' && !w.serviceId) throw bad('a maintenance window belongs to a business service / 维护窗口必须指定业务服务');
  if (!w.recurrence && !w.endsAt) throw bad('an end is required / 必须填写结束时间');
  if (w.endsAt && w.endsAt.getTime() <= w.startsAt.getTime()) throw new AppError('TIME_RANGE_INVALID');
  if (w.recurrence) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: w.recurrence.timeZone });
    } catch {
      throw new AppError('CALENDAR_TIMEZONE_INVALID', { timeZone: w.recurrence.timeZone });
    }
    if (w.recurrence.start === w.recurrence.end) throw bad('start and end time are equal / 起止时刻相同');
  }
  if (w.serviceId) {
    const [ci] = await q.select({ id: ciItems.id, classId: ciItems.classId }).from(ciItems).where(eq(ciItems.id, w.serviceId));
    const tree = await loadTree(q);
    const bs = tree.byKey.get(BUSINESS_SERVICE_CLASS);
    if (!ci || !bs || !subtreeIds(tree, bs.id).includes(ci.classId)) throw new AppError('REFERENCE_INVALID', { object: 'business service' });
  }
}

export async function listWindows(db: Db, kind?: 'blackout' | 'maintenance', from?: string, to?: string): Promise<ChangeWindow[]> {
  const list = from && to ? await qs.windowsIn(db, new Date(from), new Date(to), kind) : await qs.allWindows(db, kind);
  return list.map(windowDto);
}

async function windowById(q: Queryable, id: number): Promise<ChangeWindow> {
  const [w] = (await qs.allWindows(q)).filter((x) => x.id === id);
  if (!w) throw new AppError('NOT_FOUND', { object: 'change window' });
  return windowDto(w);
}

export async function createWindow(db: Db, actor: Actor, input: z.output<typeof createChangeWindowRequestSchema>): Promise<ChangeWindow> {
  const shape: WindowShape = {
    kind: input.kind,
    serviceId: input.serviceId,
    startsAt: new Date(input.startsAt),
    endsAt: input.endsAt ? new Date(input.endsAt) : null,
    recurrence: input.recurrence,
  };
  await checkWindowShape(db, shape);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(changeWindows)
      .values({ kind: input.kind, name: input.name, serviceCiId: input.serviceId, startsAt: shape.startsAt, endsAt: shape.endsAt, recurrence: input.recurrence, note: input.note, createdBy: actorId(actor) })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await recordAudit(tx, { actor, action: 'change.window.create', objectType: 'change_window', objectId: row.id, result: 'success', details: { kind: row.kind, name: row.name, serviceId: row.serviceCiId } });
    return windowById(tx, row.id);
  });
}

export async function updateWindow(db: Db, actor: Actor, id: number, input: z.output<typeof updateChangeWindowRequestSchema>): Promise<ChangeWindow> {
  return db.transaction(async (tx) => {
    const [w] = await tx.select().from(changeWindows).where(eq(changeWindows.id, id)).for('update');
    if (!w) throw new AppError('NOT_FOUND', { object: 'change window' });
    if (w.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: w.version }, { currentVersion: w.version });
    const shape: WindowShape = {
      kind: w.kind,
      serviceId: input.serviceId !== undefined ? input.serviceId : w.serviceCiId,
      startsAt: input.startsAt ? new Date(input.startsAt) : w.startsAt,
      endsAt: input.endsAt !== undefined ? (input.endsAt ? new Date(input.endsAt) : null) : w.endsAt,
      recurrence: input.recurrence !== undefined ? input.recurrence : recurrenceOf(w.recurrence),
    };
    await checkWindowShape(tx, shape);
    await tx
      .update(changeWindows)
      .set({
        name: input.name ?? w.name,
        note: input.note ?? w.note,
        serviceCiId: shape.serviceId,
        startsAt: shape.startsAt,
        endsAt: shape.endsAt,
        recurrence: shape.recurrence,
        version: w.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(changeWindows.id, id));
    const fields = Object.keys(input).filter((k) => k !== 'version');
    await recordAudit(tx, { actor, action: 'change.window.update', objectType: 'change_window', objectId: id, result: 'success', details: { fields } });
    return windowById(tx, id);
  });
}

export async function deleteWindow(db: Db, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [w] = await tx.delete(changeWindows).where(eq(changeWindows.id, id)).returning();
    if (!w) throw new AppError('NOT_FOUND', { object: 'change window' });
    await recordAudit(tx, { actor, action: 'change.window.delete', objectType: 'change_window', objectId: id, result: 'success', details: { kind: w.kind, name: w.name } });
  });
}

/* ---------------------------------- templates ---------------------------------- */

function templateDto(r: qs.TemplateRow): ChangeTemplate {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    defaults: changeTemplateDefaultsSchema.parse(r.defaults),
    active: r.active,
    version: r.version,
    updatedAt: r.updatedAt.toISOString(),
  };
}

const uniqueViolation = (err: unknown): boolean => {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code === '23505') return true;
  return false;
};

export async function listTemplates(db: Db, activeOnly: boolean): Promise<ChangeTemplate[]> {
  const list = await db
    .select()
    .from(changeTemplates)
    .where(activeOnly ? eq(changeTemplates.active, true) : undefined)
    .orderBy(changeTemplates.name);
  return list.map(templateDto);
}

export async function createTemplate(db: Db, actor: Actor, input: z.output<typeof createChangeTemplateRequestSchema>): Promise<ChangeTemplate> {
  await checkOwners(db, input.defaults.cutoverSteps.map((s) => s.ownerId));
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(changeTemplates).values({ ...input, createdBy: actorId(actor) }).returning();
      if (!row) throw new Error('insert returned nothing');
      await recordAudit(tx, { actor, action: 'change.template.create', objectType: 'change_template', objectId: row.id, result: 'success', details: { name: row.name } });
      return templateDto(row);
    });
  } catch (err) {
    if (uniqueViolation(err)) throw new AppError('CHANGE_TEMPLATE_NAME_TAKEN');
    throw err;
  }
}

export async function updateTemplate(db: Db, actor: Actor, id: number, input: z.output<typeof updateChangeTemplateRequestSchema>): Promise<ChangeTemplate> {
  if (input.defaults) await checkOwners(db, input.defaults.cutoverSteps.map((s) => s.ownerId));
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.select().from(changeTemplates).where(eq(changeTemplates.id, id)).for('update');
      if (!row) throw new AppError('NOT_FOUND', { object: 'change template' });
      if (row.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: row.version }, { currentVersion: row.version });
      const { version: _v, ...patch } = input;
      const [updated] = await tx
        .update(changeTemplates)
        .set({ ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), version: row.version + 1, updatedAt: new Date() })
        .where(and(eq(changeTemplates.id, id)))
        .returning();
      if (!updated) throw new Error('update returned nothing');
      await recordAudit(tx, {
        actor,
        action: 'change.template.update',
        objectType: 'change_template',
        objectId: id,
        result: 'success',
        details: { fields: Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined) },
      });
      return templateDto(updated);
    });
  } catch (err) {
    if (uniqueViolation(err)) throw new AppError('CHANGE_TEMPLATE_NAME_TAKEN');
    throw err;
  }
}

/* ---------------------------------- reports ---------------------------------- */

export async function report(db: Db, actor: Actor, fromIso: string, toIso: string, orgId?: number): Promise<ChangeReport> {
  const from = new Date(fromIso);
  const to = new Date(toIso);
  checkRange(from, to, 3660);
  const visible = await ticketOrgScope(db, actor);
  const scope = orgId === undefined ? visible : inScope(visible, orgId) ? [orgId] : [];
  const [created, outcomes, unapproved] = await Promise.all([
    qs.createdCounts(db, from, to, scope),
    qs.outcomeCounts(db, from, to, scope),
    qs.unapprovedChanges(db, { from, to, scope, laterStates: IMPLEMENTED_STATES, required: REQUIRED_APPROVAL }),
  ]);
  const n = (k: string) => outcomes.get(k) ?? 0;
  const finished = {
    completedSuccessful: n('completed_successful'),
    completedWithIssues: n('completed_with_issues'),
    rolledBack: n('rolled_back'),
    failed: n('failed'),
  };
  const finishedTotal = finished.completedSuccessful + finished.completedWithIssues + finished.rolledBack + finished.failed;
  const round = (x: number) => Math.round(x * 10000) / 10000;
  const total = Number(created.total);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    created: { total, standard: Number(created.standard), normal: Number(created.normal), emergency: Number(created.emergency) },
    emergencyRatio: total ? round(Number(created.emergency) / total) : null,
    finished: { total: finishedTotal, ...finished },
    successRate: finishedTotal ? round(finished.completedSuccessful / finishedTotal) : null,
    implementedWithoutApproval: unapproved.length,
    unapproved: unapproved.map((u) => ({
      id: Number(u.id),
      number: u.number,
      title: u.title,
      changeType: u.change_type as ChangeType,
      state: u.state,
      reason: u.approved_at ? ('approved_after' as const) : ('no_approval' as const),
      implementingAt: u.implementing_at ? toDate(u.implementing_at).toISOString() : null,
      approvedAt: u.approved_at ? toDate(u.approved_at).toISOString() : null,
    })),
    averageCisPerChange: total ? round(Number(created.cis) / total) : null,
  };
}
