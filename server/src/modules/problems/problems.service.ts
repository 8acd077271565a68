import type {
  KnownError,
  LinkedTicket,
  Problem,
  ProblemDetails,
  ProblemReport,
  ProblemSummary,
  StateCategory,
  createProblemRequestSchema,
  knownErrorRequestSchema,
  problemListQuerySchema,
  problemReportQuerySchema,
  updateProblemDetailsRequestSchema,
} from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { createTicket, loadVisible, ticketDtoFor } from '../tickets/tickets.service.ts';
import { insertEvents, lockTicket, touchTicket, type TicketRow } from '../tickets/tickets.queries.ts';
import { upsertKnownErrorArticle } from '../knowledge/knowledge.service.ts';
import { workflowOfTicket } from '../workflows/workflows.service.ts';
import { categoryOf } from '../workflows/workflow-engine.ts';
import * as qs from './problems.queries.ts';

type CreateInput = z.output<typeof createProblemRequestSchema>;
type DetailsInput = z.output<typeof updateProblemDetailsRequestSchema>;
type KnownErrorInput = z.output<typeof knownErrorRequestSchema>;

const iso = (d: Date | string | null | undefined) => (d === null || d === undefined ? null : new Date(d).toISOString());
const actorIdOf = (actor: Actor) => (actor.userId > 0 ? actor.userId : null);

/** Problems are internal work: provider staff only (customers read incidents and the knowledge base). */
function requireProvider(actor: Actor) {
  if (actor.orgKind !== 'provider') throw new AppError('FORBIDDEN');
}

/** Loads a problem ticket the actor may see; any other ticket is 404 like an invisible one. */
export async function loadProblem(db: Db, actor: Actor, id: number): Promise<TicketRow> {
  requireProvider(actor);
  const row = await loadVisible(db, actor, id);
  if (row.t.type !== 'problem') throw new AppError('NOT_FOUND', { object: 'problem' });
  return row;
}

const TYPE_NAMES: Record<string, { zh: string; en: string }> = {
  incident: { zh: '事件', en: 'an incident' },
  change: { zh: '变更', en: 'a change' },
};

/**
 * Checks incidents for linking to a problem of `orgId` (null: take the incidents' organisation):
 * each exists and is visible, is an incident, is of the one organisation and is not linked to another
 * problem. Returns the organisation and the ids not yet linked to `problemId`.
 */
async function checkIncidents(db: Db, actor: Actor, incidentIds: number[], orgId: number | null, problemId: number | null) {
  const ids = [...new Set(incidentIds)];
  let org = orgId;
  for (const id of ids) {
    const row = await loadVisible(db, actor, id);
    if (row.t.type !== 'incident') throw new AppError('PROBLEM_LINK_WRONG_TYPE', { number: row.t.number, expectedZh: TYPE_NAMES.incident!.zh, expectedEn: TYPE_NAMES.incident!.en });
    if (org === null) org = row.t.orgId;
    else if (row.t.orgId !== org) throw new AppError('PROBLEM_LINK_CROSS_ORG', { ref: row.t.number });
  }
  const links = await qs.existingIncidentLinks(db, ids);
  for (const link of links) {
    if (link.problemId !== problemId) {
      const inc = (await qs.ticketsByIds(db, [link.incidentId]))[0];
      throw new AppError('PROBLEM_INCIDENT_ALREADY_LINKED', { number: inc?.number ?? String(link.incidentId), problem: link.problemNumber });
    }
  }
  const linkedHere = new Set(links.map((l) => l.incidentId));
  return { orgId: org, fresh: ids.filter((id) => !linkedHere.has(id)) };
}

async function checkCis(q: Queryable, actor: Actor, ciIds: number[], orgId: number): Promise<number[]> {
  const ids = [...new Set(ciIds)];
  const found = await qs.findCis(q, ids);
  const scope = await ticketOrgScope(q, actor);
  for (const id of ids) {
    const c = found.find((f) => f.id === id);
    if (!c || !inScope(scope, c.orgId)) throw new AppError('REFERENCE_INVALID', { object: `CI ${id}` });
    if (c.orgId !== orgId) throw new AppError('PROBLEM_LINK_CROSS_ORG', { ref: c.name });
  }
  return ids;
}

async function checkChanges(db: Db, actor: Actor, changeIds: number[], orgId: number): Promise<number[]> {
  const ids = [...new Set(changeIds)];
  for (const id of ids) {
    const row = await loadVisible(db, actor, id);
    if (row.t.type !== 'change') throw new AppError('PROBLEM_LINK_WRONG_TYPE', { number: row.t.number, expectedZh: TYPE_NAMES.change!.zh, expectedEn: TYPE_NAMES.change!.en });
    if (row.t.orgId !== orgId) throw new AppError('PROBLEM_LINK_CROSS_ORG', { ref: row.t.number });
  }
  return ids;
}

/** Links incidents inside `tx`; a concurrent link to another problem refuses the whole write. */
async function linkIncidentsTx(tx: Tx, problemId: number, incidentIds: number[], actor: Actor) {
  const linked = await qs.insertIncidentLinks(tx, problemId, incidentIds, actorIdOf(actor));
  if (linked.length !== incidentIds.length) {
    const lost = incidentIds.find((id) => !linked.includes(id));
    const other = lost ? await qs.existingIncidentLinks(tx, [lost]) : [];
    const inc = lost ? (await qs.ticketsByIds(tx, [lost]))[0] : undefined;
    if (other[0] && other[0].problemId !== problemId) {
      throw new AppError('PROBLEM_INCIDENT_ALREADY_LINKED', { number: inc?.number ?? String(lost), problem: other[0].problemNumber });
    }
  }
  return linked;
}

export async function createProblem(db: Db, actor: Actor, input: CreateInput, idempotencyKey?: string): Promise<Problem> {
  requireProvider(actor);
  const incidentIds = [...new Set(input.incidentIds ?? [])];
  let orgId = input.orgId ?? null;
  if (incidentIds.length) orgId = (await checkIncidents(db, actor, incidentIds, orgId, null)).orgId;
  if (!orgId) throw new AppError('FIELD_REQUIRED', { fields: 'orgId' }, { fields: ['orgId'] });
  const ciIds = input.ciIds?.length ? await checkCis(db, actor, input.ciIds, orgId) : [];
  const problemOrg = orgId;
  const { row } = await createTicket(
    db,
    actor,
    {
      type: 'problem',
      title: input.title,
      description: input.description,
      orgId: problemOrg,
      impact: input.impact,
      urgency: input.urgency,
      category: input.category ?? null,
      service: input.service ?? null,
      assignmentGroupId: input.assignmentGroupId ?? null,
      assigneeId: input.assigneeId ?? null,
      major: false,
      customFields: {},
    },
    idempotencyKey,
    {
      afterInsert: async (tx: Tx, created: TicketRow) => {
        const id = created.t.id;
        await qs.insertDetails(tx, { ticketId: id, symptom: input.symptom ?? '', updatedBy: actorIdOf(actor) });
        const linked = await linkIncidentsTx(tx, id, incidentIds, actor);
        const cis = await qs.insertCiLinks(tx, id, ciIds, actorIdOf(actor));
        await recordAudit(tx, { actor, action: 'problem.create', objectType: 'ticket', objectId: id, result: 'success', details: { number: created.t.number, orgId: problemOrg, incidentIds: linked, ciIds: cis } });
      },
    },
  );
  return getProblem(db, actor, row.t.id);
}

function detailsDto(row: Awaited<ReturnType<typeof qs.findDetails>>): ProblemDetails {
  if (!row) {
    return { symptom: '', causeCategory: null, rootCause: '', fiveWhys: [], workaround: '', permanentFix: '', rootCauseAt: null, version: 1, updatedAt: new Date(0).toISOString(), updatedByName: null };
  }
  const d = row.d;
  return {
    symptom: d.symptom,
    causeCategory: d.causeCategory,
    rootCause: d.rootCause,
    fiveWhys: Array.isArray(d.fiveWhys) ? (d.fiveWhys as string[]) : [],
    workaround: d.workaround,
    permanentFix: d.permanentFix,
    rootCauseAt: iso(d.rootCauseAt),
    version: d.version,
    updatedAt: d.updatedAt.toISOString(),
    updatedByName: row.updatedByName,
  };
}

function linkedDto(r: Awaited<ReturnType<typeof qs.linkedIncidents>>[number]): LinkedTicket {
  return { id: r.id, number: r.number, title: r.title, state: r.state, priority: r.priority, orgId: r.orgId, createdAt: r.createdAt.toISOString(), linkedAt: r.linkedAt.toISOString() };
}

async function knownErrorDto(q: Queryable, problemId: number): Promise<KnownError | null> {
  const ke = await qs.findKnownError(q, problemId);
  if (!ke) return null;
  return {
    id: ke.k.id,
    problemId,
    title: ke.k.title,
    symptom: ke.k.symptom,
    cause: ke.k.cause,
    workaround: ke.k.workaround,
    articleId: ke.k.articleId,
    articleNumber: ke.articleNumber,
    articleState: ke.articleState,
    shared: ke.articleOrgId === null,
    ciIds: ke.ciIds,
    version: ke.k.version,
    updatedAt: ke.k.updatedAt.toISOString(),
  };
}

export async function getProblem(db: Db, actor: Actor, id: number): Promise<Problem> {
  const row = await loadProblem(db, actor, id);
  const scope = await ticketOrgScope(db, actor);
  const [details, incidents, changes, cis, occ, knownError] = await Promise.all([
    qs.findDetails(db, id),
    qs.linkedIncidents(db, id),
    qs.linkedChanges(db, id),
    qs.linkedCis(db, id),
    qs.occurrence(db, id),
    knownErrorDto(db, id),
  ]);
  return {
    ticket: await ticketDtoFor(db, actor, row),
    details: detailsDto(details),
    incidents: incidents.filter((i) => inScope(scope, i.orgId)).map(linkedDto),
    changes: changes.filter((c) => inScope(scope, c.orgId)).map(linkedDto),
    cis: cis.filter((c) => inScope(scope, c.orgId)).map((c) => ({ id: c.id, name: c.name, status: c.status, importance: c.importance, linkedAt: c.linkedAt.toISOString() })),
    incidentCount: occ.incidentCount,
    firstOccurrenceAt: iso(occ.first),
    lastOccurrenceAt: iso(occ.last),
    knownError,
  };
}

/** State categories of the rows' workflow versions (cached by the workflow service). */
async function categories(db: Db, list: { state: string; workflow_version_id: number | string | null }[]): Promise<StateCategory[]> {
  const out: StateCategory[] = [];
  for (const r of list) {
    const wf = await workflowOfTicket(db, { type: 'problem', workflowVersionId: r.workflow_version_id === null ? null : Number(r.workflow_version_id) });
    out.push(categoryOf(wf.definition, r.state));
  }
  return out;
}

export async function listProblems(db: Db, actor: Actor, query: z.output<typeof problemListQuerySchema>) {
  requireProvider(actor);
  const scope = await ticketOrgScope(db, actor);
  const r = await qs.listProblems(db, {
    scope,
    q: query.q,
    state: query.state,
    orgId: query.orgId,
    causeCategory: query.causeCategory,
    stateCategory: query.stateCategory,
    sort: query.sort,
    page: query.page,
    pageSize: query.pageSize,
  });
  const items: ProblemSummary[] = r.items.map((p) => ({
    id: Number(p.id),
    number: p.number,
    title: p.title,
    state: p.state,
    stateCategory: p.state_category as StateCategory,
    priority: Number(p.priority),
    orgId: Number(p.org_id),
    orgName: p.org_name,
    assigneeName: p.assignee_name,
    assignmentGroupName: p.group_name,
    causeCategory: p.cause_category as ProblemSummary['causeCategory'],
    rootCauseAt: iso(p.root_cause_at),
    knownErrorArticleNumber: p.ke_number,
    createdAt: iso(p.created_at) ?? '',
    updatedAt: iso(p.updated_at) ?? '',
    incidentCount: Number(p.incident_count),
    firstOccurrenceAt: iso(p.first_at),
    lastOccurrenceAt: iso(p.last_at),
  }));
  return { items, total: r.total, page: query.page, pageSize: query.pageSize };
}

const RCA_FIELDS = ['symptom', 'causeCategory', 'rootCause', 'fiveWhys', 'workaround', 'permanentFix'] as const;
const clip = (v: unknown) => (typeof v === 'string' && v.length > 500 ? `${v.slice(0, 500)}…` : v);

export async function updateDetails(db: Db, actor: Actor, id: number, input: DetailsInput): Promise<Problem> {
  await loadProblem(db, actor, id);
  await db.transaction(async (tx) => {
    const cur = await qs.lockDetails(tx, id);
    if (cur.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: cur.version }, { currentVersion: cur.version });
    const patch: Partial<typeof cur> = { updatedBy: actorIdOf(actor) };
    const changes: { field: string; from: unknown; to: unknown }[] = [];
    for (const f of RCA_FIELDS) {
      const to = input[f];
      if (to === undefined) continue;
      const from = cur[f];
      if (JSON.stringify(from) === JSON.stringify(to)) continue;
      (patch as Record<string, unknown>)[f] = to;
      changes.push({ field: `rca.${f}`, from: clip(from ?? null), to: clip(to) });
    }
    if (!changes.length) return;
    const rootCause = input.rootCause ?? cur.rootCause;
    if (!cur.rootCauseAt && rootCause.trim()) patch.rootCauseAt = new Date();
    const ok = await qs.updateDetails(tx, id, input.version, patch);
    if (!ok) throw new AppError('VERSION_CONFLICT', { current: cur.version + 1 });
    await insertEvents(tx, [{ ticketId: id, kind: 'field_change', internal: true, actorId: actorIdOf(actor), data: { changes } }]);
    await touchTicket(tx, id);
    await recordAudit(tx, { actor, action: 'problem.rca.update', objectType: 'ticket', objectId: id, result: 'success', details: { fields: changes.map((c) => c.field), rootCauseRecorded: Boolean(patch.rootCauseAt) } });
  });
  return getProblem(db, actor, id);
}

export async function linkIncidents(db: Db, actor: Actor, id: number, incidentIds: number[]): Promise<Problem> {
  const problem = await loadProblem(db, actor, id);
  const { fresh } = await checkIncidents(db, actor, incidentIds, problem.t.orgId, id);
  if (fresh.length) {
    await db.transaction(async (tx) => {
      await lockTicket(tx, id);
      const linked = await linkIncidentsTx(tx, id, fresh, actor);
      await touchTicket(tx, id);
      await recordAudit(tx, { actor, action: 'problem.incidents.link', objectType: 'ticket', objectId: id, result: 'success', details: { incidentIds: linked } });
    });
  }
  return getProblem(db, actor, id);
}

export async function unlinkIncident(db: Db, actor: Actor, id: number, incidentId: number): Promise<Problem> {
  await loadProblem(db, actor, id);
  await db.transaction(async (tx) => {
    if (!(await qs.deleteIncidentLink(tx, id, incidentId))) throw new AppError('NOT_FOUND', { object: 'link' });
    await touchTicket(tx, id);
    await recordAudit(tx, { actor, action: 'problem.incidents.unlink', objectType: 'ticket', objectId: id, result: 'success', details: { incidentId } });
  });
  return getProblem(db, actor, id);
}

export async function linkCis(db: Db, actor: Actor, id: number, ciIds: number[]): Promise<Problem> {
  const problem = await loadProblem(db, actor, id);
  const ids = await checkCis(db, actor, ciIds, problem.t.orgId);
  await db.transaction(async (tx) => {
    const linked = await qs.insertCiLinks(tx, id, ids, actorIdOf(actor));
    if (linked.length) {
      await touchTicket(tx, id);
      await recordAudit(tx, { actor, action: 'problem.cis.link', objectType: 'ticket', objectId: id, result: 'success', details: { ciIds: linked } });
    }
  });
  return getProblem(db, actor, id);
}

export async function unlinkCi(db: Db, actor: Actor, id: number, ciId: number): Promise<Problem> {
  await loadProblem(db, actor, id);
  await db.transaction(async (tx) => {
    if (!(await qs.deleteCiLink(tx, id, ciId))) throw new AppError('NOT_FOUND', { object: 'link' });
    await touchTicket(tx, id);
    await recordAudit(tx, { actor, action: 'problem.cis.unlink', objectType: 'ticket', objectId: id, result: 'success', details: { ciId } });
  });
  return getProblem(db, actor, id);
}

export async function linkChanges(db: Db, actor: Actor, id: number, changeIds: number[]): Promise<Problem> {
  const problem = await loadProblem(db, actor, id);
  const ids = await checkChanges(db, actor, changeIds, problem.t.orgId);
  await db.transaction(async (tx) => {
    const linked = await qs.insertChangeLinks(tx, id, ids, actorIdOf(actor));
    if (linked.length) {
      await touchTicket(tx, id);
      await recordAudit(tx, { actor, action: 'problem.changes.link', objectType: 'ticket', objectId: id, result: 'success', details: { changeIds: linked } });
    }
  });
  return getProblem(db, actor, id);
}

export async function unlinkChange(db: Db, actor: Actor, id: number, changeId: number): Promise<Problem> {
  await loadProblem(db, actor, id);
  await db.transaction(async (tx) => {
    if (!(await qs.deleteChangeLink(tx, id, changeId))) throw new AppError('NOT_FOUND', { object: 'link' });
    await touchTicket(tx, id);
    await recordAudit(tx, { actor, action: 'problem.changes.unlink', objectType: 'ticket', objectId: id, result: 'success', details: { changeId } });
  });
  return getProblem(db, actor, id);
}

/** The article text of a known error: symptom, cause and workaround as markdown sections. */
export function knownErrorBody(v: { symptom: string; cause: string; workaround: string; problemNumber: string }): string {
  return [`## 症状 Symptom`, '', v.symptom, '', `## 原因 Cause`, '', v.cause, '', `## 临时解决方案 Workaround`, '', v.workaround, ''].join('\n');
}

/** Creates or updates the problem's known error and publishes it to the knowledge base. */
export async function upsertKnownError(db: Db, actor: Actor, id: number, input: KnownErrorInput): Promise<Problem> {
  const problem = await loadProblem(db, actor, id);
  const orgId = problem.t.orgId;
  const ciIds = input.ciIds !== undefined ? await checkCis(db, actor, input.ciIds, orgId) : (await qs.linkedCis(db, id)).map((c) => c.id);
  const title = input.title ?? problem.t.title;
  await db.transaction(async (tx) => {
    await lockTicket(tx, id);
    const cur = await qs.lockKnownError(tx, id);
    if (cur && input.version === undefined) throw new AppError('FIELD_REQUIRED', { fields: 'version' }, { fields: ['version'] });
    if (cur && cur.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: cur.version }, { currentVersion: cur.version });
    const body = knownErrorBody({ symptom: input.symptom, cause: input.cause, workaround: input.workaround, problemNumber: problem.t.number });
    const article = await upsertKnownErrorArticle(tx, actor, { articleId: cur?.articleId ?? null, title, body, orgId: input.shared ? null : orgId, ciIds, problemId: id });
    const fields = { title, symptom: input.symptom, cause: input.cause, workaround: input.workaround, updatedBy: actorIdOf(actor) };
    if (cur) await qs.updateKnownError(tx, cur.id, fields);
    else await qs.insertKnownError(tx, { problemId: id, articleId: article.id, createdBy: actorIdOf(actor), ...fields });
    await touchTicket(tx, id);
    await recordAudit(tx, { actor, action: cur ? 'problem.known_error.update' : 'problem.known_error.create', objectType: 'ticket', objectId: id, result: 'success', details: { articleId: article.id, articleNumber: article.number, shared: input.shared, ciIds } });
  });
  return getProblem(db, actor, id);
}

/** The problem an incident is linked to (null when none or not visible). */
export async function problemOfIncident(db: Db, actor: Actor, incidentId: number) {
  requireProvider(actor);
  await loadVisible(db, actor, incidentId);
  const p = await qs.problemOfIncident(db, incidentId);
  const scope = await ticketOrgScope(db, actor);
  return { problem: p && inScope(scope, p.orgId) ? { id: p.id, number: p.number, title: p.title, state: p.state } : null };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function report(db: Db, actor: Actor, query: z.output<typeof problemReportQuerySchema>): Promise<ProblemReport> {
  requireProvider(actor);
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (!(from < to)) throw new AppError('VALIDATION_FAILED', { summary: 'from < to' });
  const scope = await ticketOrgScope(db, actor);
  const list = await qs.reportRows(db, { from, to, scope, orgId: query.orgId });
  const cats = await categories(db, list);
  let resolved = 0;
  let cancelled = 0;
  let rcaCount = 0;
  let rcaHours = 0;
  const byCause = new Map<string | null, number>();
  list.forEach((r, i) => {
    const cat = cats[i];
    if (cat === 'resolved' || cat === 'closed') resolved++;
    if (cat === 'cancelled') cancelled++;
    if (r.root_cause_at) {
      rcaCount++;
      rcaHours += (new Date(r.root_cause_at).getTime() - new Date(r.created_at).getTime()) / 3_600_000;
    }
    byCause.set(r.cause_category, (byCause.get(r.cause_category) ?? 0) + 1);
  });
  const counted = list.length - cancelled;
  const totalIncidents = list.reduce((s, r) => s + Number(r.incident_count), 0);
  const repeat = list
    .filter((r) => Number(r.incident_count) > 0)
    .sort((a, b) => Number(b.incident_count) - Number(a.incident_count) || Number(b.id) - Number(a.id))
    .slice(0, 20)
    .map((r) => ({
      problemId: Number(r.id),
      number: r.number,
      title: r.title,
      state: r.state,
      incidentCount: Number(r.incident_count),
      firstOccurrenceAt: iso(r.first_at),
      lastOccurrenceAt: iso(r.last_at),
    }));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    created: list.length,
    resolved,
    cancelled,
    resolutionRate: counted > 0 ? round(resolved / counted, 4) : null,
    withRootCause: rcaCount,
    avgHoursToRootCause: rcaCount ? round(rcaHours / rcaCount) : null,
    byCause: [...byCause.entries()].sort((a, b) => b[1] - a[1]).map(([causeCategory, count]) => ({ causeCategory: causeCategory as ProblemReport['byCause'][number]['causeCategory'], count })),
    repeatIncidents: repeat,
    avgIncidentsPerProblem: list.length ? round(totalIncidents / list.length) : null,
  };
}
