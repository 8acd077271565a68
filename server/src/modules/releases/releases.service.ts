import type {
  Release,
  ReleaseChange,
  ReleaseCmdbCheck,
  ReleaseCmdbCi,
  ReleaseDeployment,
  ReleaseRecord,
  ReleaseReport,
  ReleaseSummary,
  createReleaseDeploymentRequestSchema,
  createReleaseRecordRequestSchema,
  createReleaseRequestSchema,
  releaseCmdbConfirmationRequestSchema,
  releaseListQuerySchema,
  releaseReportQuerySchema,
  updateReleaseDeploymentRequestSchema,
  updateReleaseDetailsRequestSchema,
} from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { createTicket, listTickets, loadVisible, ticketDtoFor } from '../tickets/tickets.service.ts';
import { insertEvents, touchTicket } from '../tickets/tickets.queries.ts';
import { workflowOfTicket } from '../workflows/workflows.service.ts';
import * as qs from './releases.queries.ts';

type Out<T extends z.ZodType> = z.output<T>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const actorRef = (actor: Actor) => (actor.userId > 0 ? actor.userId : null);
const FINAL_CATEGORIES = ['closed', 'cancelled'];

/**
 * Runs a write; a refusal (AppError) is written to the audit log with its code before it reaches the
 * client, outside the rolled-back transaction, so refused attempts leave a trace and nothing else.
 */
async function audited<T>(db: Db, actor: Actor, action: string, objectId: number | null, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && !err.audited && err.code !== 'NOT_FOUND') {
      err.audited = true;
      await recordAudit(db, {
        actor,
        action,
        objectType: 'release',
        objectId,
        result: err.code === 'FORBIDDEN' ? 'denied' : 'failed',
        details: { code: err.code, params: err.params },
      });
    }
    throw err;
  }
}

/** A release ticket the actor may see, else 404 (audited by loadVisible when it exists but is out of scope). */
async function loadRelease(db: Db, actor: Actor, id: number) {
  const row = await loadVisible(db, actor, id);
  if (row.t.type !== 'release') throw new AppError('NOT_FOUND', { object: 'release' });
  return row;
}

/** Locks the release ticket (serialises writes to one release) and refuses writes once it has ended. */
async function lockOpenRelease(tx: Tx, id: number) {
  const t = await qs.lockTicketBrief(tx, id);
  if (!t) throw new AppError('NOT_FOUND', { object: 'release' });
  if (FINAL_CATEGORIES.includes(t.stateCategory)) throw new AppError('RELEASE_CLOSED', { state: t.state });
  return t;
}

async function event(tx: Tx, actor: Actor, releaseId: number, data: Record<string, unknown>, body: string | null = null) {
  await insertEvents(tx, [{ ticketId: releaseId, kind: 'field_change', actorId: actorRef(actor), body, data }]);
  await touchTicket(tx, releaseId);
}

// ---------- reads ----------

function recordDto(r: Awaited<ReturnType<typeof qs.listRecords>>[number]): ReleaseRecord {
  return {
    id: r.r.id,
    kind: r.r.kind,
    name: r.r.name,
    result: r.r.result,
    link: r.r.link,
    notes: r.r.notes,
    recordedBy: r.r.recordedBy,
    recordedByName: r.recordedByName,
    recordedAt: r.r.recordedAt.toISOString(),
  };
}

function deploymentDto(r: Awaited<ReturnType<typeof qs.listDeployments>>[number]): ReleaseDeployment {
  const d = r.d;
  return {
    id: d.id,
    environment: d.environment,
    plannedAt: iso(d.plannedAt),
    startedAt: iso(d.startedAt),
    finishedAt: iso(d.finishedAt),
    result: d.result,
    notes: d.notes,
    createdBy: d.createdBy,
    createdByName: r.createdByName,
    updatedBy: d.updatedBy,
    updatedByName: r.updatedByName,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    version: d.version,
  };
}

/** Every CI of every linked change, and whether a CI version names that change. */
export async function cmdbCheck(q: Queryable, releaseId: number): Promise<ReleaseCmdbCheck> {
  const found = await qs.cmdbCheckRows(q, releaseId);
  const cis: ReleaseCmdbCi[] = found.map((r) => ({
    changeId: Number(r.changeId),
    changeNumber: r.changeNumber,
    ciId: Number(r.ciId),
    ciName: r.ciName,
    bumped: r.ciVersion !== null,
    ciVersion: r.ciVersion === null ? null : Number(r.ciVersion),
    versionAt: r.versionAt === null ? null : new Date(r.versionAt).toISOString(),
  }));
  const withCis = new Set(cis.map((c) => c.changeId));
  const changes = await qs.listChanges(q, releaseId);
  return {
    cis,
    unbumped: cis.filter((c) => !c.bumped),
    changesWithoutCis: changes.filter((c) => !withCis.has(c.changeId)).map((c) => ({ changeId: c.changeId, changeNumber: c.number })),
  };
}

async function changeDto(db: Db, c: Awaited<ReturnType<typeof qs.listChanges>>[number]): Promise<ReleaseChange> {
  const wf = await workflowOfTicket(db, c);
  const st = wf.definition.states.find((s) => s.key === c.state);
  return {
    changeId: c.changeId,
    number: c.number,
    title: c.title,
    state: c.state,
    stateLabel: st?.label ?? { 'zh-CN': c.state, 'en-US': c.state },
    stateCategory: c.stateCategory as ReleaseChange['stateCategory'],
    orgId: c.orgId,
    linkedAt: c.linkedAt.toISOString(),
    linkedByName: c.linkedByName,
  };
}

export async function getRelease(db: Db, actor: Actor, id: number): Promise<Release> {
  const row = await loadRelease(db, actor, id);
  const d = await qs.findDetails(db, id);
  if (!d) throw new AppError('NOT_FOUND', { object: 'release' });
  const [changes, records, deployments, check] = [await qs.listChanges(db, id), await qs.listRecords(db, id), await qs.listDeployments(db, id), await cmdbCheck(db, id)];
  return {
    ticket: await ticketDtoFor(db, actor, row),
    details: {
      versionLabel: d.d.versionLabel,
      releasePlan: d.d.releasePlan,
      plannedReleaseAt: iso(d.d.plannedReleaseAt),
      rollbackPlan: d.d.rollbackPlan,
      rollbackOutcome: d.d.rollbackOutcome,
      cmdbConfirmed: d.d.cmdbConfirmed,
      cmdbConfirmedBy: d.d.cmdbConfirmedBy,
      cmdbConfirmedByName: d.confirmedByName,
      cmdbConfirmedAt: iso(d.d.cmdbConfirmedAt),
      cmdbNote: d.d.cmdbNote,
      cmdbUnbumpedAtConfirmation: (d.d.cmdbUnbumped ?? []) as ReleaseCmdbCi[],
      version: d.d.version,
      updatedAt: d.d.updatedAt.toISOString(),
    },
    changes: await Promise.all(changes.map((c) => changeDto(db, c))),
    records: records.map(recordDto),
    deployments: deployments.map(deploymentDto),
    cmdbCheck: check,
  };
}

export async function listReleases(db: Db, actor: Actor, query: Out<typeof releaseListQuerySchema>) {
  const r = await listTickets(db, actor, {
    type: 'release',
    page: query.page,
    pageSize: query.pageSize,
    q: query.q,
    state: query.state,
    orgId: query.orgId,
    sort: '-createdAt',
  });
  const extra = new Map((await qs.summaries(db, r.items.map((t) => t.id))).map((s) => [s.ticketId, s]));
  const items: ReleaseSummary[] = r.items.map((t) => {
    const s = extra.get(t.id);
    return {
      ...t,
      versionLabel: s?.versionLabel ?? '',
      plannedReleaseAt: iso(s?.plannedReleaseAt ?? null),
      cmdbConfirmed: s?.cmdbConfirmed ?? false,
      changeCount: s?.changeCount ?? 0,
    };
  });
  return { items, total: r.total, totalCapped: r.totalCapped, page: query.page, pageSize: query.pageSize };
}

// ---------- writes ----------

/** Links changes to a release inside `tx` (the release is locked by the caller). Returns the ids newly linked. */
async function linkInTx(tx: Tx, actor: Actor, release: { id: number; orgId: number; number: string }, changeIds: number[]): Promise<number[]> {
  const scope = await ticketOrgScope(tx, actor);
  const added: number[] = [];
  // Ascending order: two releases linking overlapping sets lock the change rows in the same order.
  for (const changeId of [...new Set(changeIds)].sort((a, b) => a - b)) {
    // The change's row lock serialises "is it in another open release?" against a concurrent link.
    const c = await qs.lockTicketBrief(tx, changeId);
    if (!c || !inScope(scope, c.orgId)) throw new AppError('REFERENCE_INVALID', { object: 'change' });
    if (c.type !== 'change') throw new AppError('RELEASE_CHANGE_NOT_CHANGE', { number: c.number });
    if (c.orgId !== release.orgId) throw new AppError('REFERENCE_INVALID', { object: 'change (of another organisation)' });
    const [other] = await qs.openReleasesHolding(tx, changeId, release.id);
    if (other) throw new AppError('RELEASE_CHANGE_IN_OTHER_RELEASE', { number: c.number, release: other.number }, { changeId, releaseId: other.id });
    if (await qs.insertChangeLink(tx, { releaseId: release.id, changeId, linkedBy: actorRef(actor) })) added.push(changeId);
  }
  return added;
}

export async function createRelease(db: Db, actor: Actor, input: Out<typeof createReleaseRequestSchema>, idempotencyKey?: string) {
  return audited(db, actor, 'release.create', null, async () => {
    if (!input.rollbackPlan.trim()) throw new AppError('RELEASE_ROLLBACK_PLAN_REQUIRED');
    const r = await createTicket(
      db,
      actor,
      {
        type: 'release',
        title: input.title,
        description: input.description,
        orgId: input.orgId,
        impact: input.impact,
        urgency: input.urgency,
        assignmentGroupId: input.assignmentGroupId,
        assigneeId: input.assigneeId,
        major: false,
        customFields: {},
      },
      idempotencyKey,
      {
        afterInsert: async (tx, row) => {
          const t = row.t;
          await qs.insertDetails(tx, {
            ticketId: t.id,
            versionLabel: input.versionLabel,
            releasePlan: input.releasePlan,
            plannedReleaseAt: input.plannedReleaseAt ? new Date(input.plannedReleaseAt) : null,
            rollbackPlan: input.rollbackPlan,
          });
          const linked = await linkInTx(tx, actor, { id: t.id, orgId: t.orgId, number: t.number }, input.changeIds);
          await recordAudit(tx, {
            actor,
            action: 'release.create',
            objectType: 'release',
            objectId: t.id,
            result: 'success',
            details: { number: t.number, versionLabel: input.versionLabel, changeIds: linked },
          });
        },
      },
    );
    // The ticket service compares only the ticket fields of a retried request: compare the release's too.
    if (r.replay) {
      const d = await qs.findDetails(db, r.row.t.id);
      const linked = new Set((await qs.listChanges(db, r.row.t.id)).map((c) => c.changeId));
      const same =
        d &&
        d.d.versionLabel === input.versionLabel &&
        d.d.releasePlan === input.releasePlan &&
        d.d.rollbackPlan === input.rollbackPlan &&
        iso(d.d.plannedReleaseAt) === iso(input.plannedReleaseAt ? new Date(input.plannedReleaseAt) : null) &&
        input.changeIds.every((c) => linked.has(c));
      if (!same) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    }
    return { id: r.row.t.id, replay: r.replay };
  });
}

export async function updateDetails(db: Db, actor: Actor, id: number, input: Out<typeof updateReleaseDetailsRequestSchema>) {
  await loadRelease(db, actor, id);
  await audited(db, actor, 'release.update', id, () =>
    db.transaction(async (tx) => {
      await lockOpenRelease(tx, id);
      const d = await qs.lockDetails(tx, id);
      if (!d) throw new AppError('NOT_FOUND', { object: 'release' });
      if (d.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: d.version }, { currentVersion: d.version });
      if (input.rollbackPlan !== undefined && !input.rollbackPlan.trim()) throw new AppError('RELEASE_ROLLBACK_PLAN_REQUIRED');
      const patch: Partial<qs.DetailsRow> = {};
      const changed: { field: string; from: unknown; to: unknown }[] = [];
      const set = <K extends 'versionLabel' | 'releasePlan' | 'rollbackPlan' | 'rollbackOutcome'>(k: K, v: qs.DetailsRow[K] | undefined) => {
        if (v === undefined || v === d[k]) return;
        (patch as Record<string, unknown>)[k] = v;
        // Plans are long: the timeline says they changed, the ticket shows the text.
        changed.push(k === 'versionLabel' ? { field: `release.${k}`, from: d[k], to: v } : { field: `release.${k}`, from: null, to: null });
      };
      set('versionLabel', input.versionLabel);
      set('releasePlan', input.releasePlan);
      set('rollbackPlan', input.rollbackPlan);
      set('rollbackOutcome', input.rollbackOutcome === undefined ? undefined : input.rollbackOutcome || null);
      if (input.plannedReleaseAt !== undefined) {
        const next = input.plannedReleaseAt ? new Date(input.plannedReleaseAt) : null;
        if (iso(next) !== iso(d.plannedReleaseAt)) {
          patch.plannedReleaseAt = next;
          changed.push({ field: 'release.plannedReleaseAt', from: iso(d.plannedReleaseAt), to: iso(next) });
        }
      }
      if (!changed.length) return;
      if (!(await qs.updateDetailsVersioned(tx, id, input.version, patch))) throw new AppError('VERSION_CONFLICT', { current: d.version + 1 });
      await event(tx, actor, id, { changes: changed });
      await recordAudit(tx, { actor, action: 'release.update', objectType: 'release', objectId: id, result: 'success', details: { fields: changed.map((c) => c.field) } });
    }),
  );
  return getRelease(db, actor, id);
}

/** A confirmation describes the linked changes at that time: a different set needs a new one. */
async function clearConfirmation(tx: Tx, id: number): Promise<boolean> {
  const d = await qs.lockDetails(tx, id);
  if (!d?.cmdbConfirmed) return false;
  await qs.updateDetails(tx, id, { cmdbConfirmed: false, cmdbConfirmedBy: null, cmdbConfirmedAt: null, cmdbNote: null, cmdbUnbumped: [] });
  return true;
}

export async function linkChanges(db: Db, actor: Actor, id: number, changeIds: number[]) {
  await loadRelease(db, actor, id);
  await audited(db, actor, 'release.link_changes', id, () =>
    db.transaction(async (tx) => {
      const rel = await lockOpenRelease(tx, id);
      const added = await linkInTx(tx, actor, rel, changeIds);
      if (!added.length) return;
      const cleared = await clearConfirmation(tx, id);
      await event(tx, actor, id, { releaseChanges: { added }, cmdbConfirmationCleared: cleared });
      await recordAudit(tx, { actor, action: 'release.link_changes', objectType: 'release', objectId: id, result: 'success', details: { added, cmdbConfirmationCleared: cleared } });
    }),
  );
  return getRelease(db, actor, id);
}

export async function unlinkChange(db: Db, actor: Actor, id: number, changeId: number) {
  await loadRelease(db, actor, id);
  await audited(db, actor, 'release.unlink_change', id, () =>
    db.transaction(async (tx) => {
      await lockOpenRelease(tx, id);
      if (!(await qs.deleteChangeLink(tx, id, changeId))) throw new AppError('NOT_FOUND', { object: 'change link' });
      const cleared = await clearConfirmation(tx, id);
      await event(tx, actor, id, { releaseChanges: { removed: [changeId] }, cmdbConfirmationCleared: cleared });
      await recordAudit(tx, { actor, action: 'release.unlink_change', objectType: 'release', objectId: id, result: 'success', details: { changeId, cmdbConfirmationCleared: cleared } });
    }),
  );
  return getRelease(db, actor, id);
}

export async function addRecord(db: Db, actor: Actor, id: number, input: Out<typeof createReleaseRecordRequestSchema>): Promise<ReleaseRecord> {
  await loadRelease(db, actor, id);
  const recId = await audited(db, actor, 'release.record', id, () =>
    db.transaction(async (tx) => {
      await lockOpenRelease(tx, id);
      const r = await qs.insertRecord(tx, { releaseId: id, kind: input.kind, name: input.name, result: input.result, link: input.link, notes: input.notes, recordedBy: actorRef(actor) });
      await event(tx, actor, id, { releaseRecord: { id: r.id, kind: r.kind, name: r.name, result: r.result } }, input.notes || null);
      await recordAudit(tx, { actor, action: 'release.record', objectType: 'release', objectId: id, result: 'success', details: { recordId: r.id, kind: r.kind, name: r.name, result: r.result } });
      return r.id;
    }),
  );
  const found = (await qs.listRecords(db, id)).find((r) => r.r.id === recId);
  if (!found) throw new Error('release record vanished');
  return recordDto(found);
}

type DeploymentTimes = { startedAt: Date | null; finishedAt: Date | null; result: string | null };

/** A result or a finish needs a start; a finish cannot be before the start. */
function checkDeploymentTimes(d: DeploymentTimes) {
  if ((d.result !== null || d.finishedAt !== null) && d.startedAt === null) throw new AppError('RELEASE_DEPLOYMENT_NOT_STARTED');
  if (d.startedAt && d.finishedAt && d.finishedAt < d.startedAt) throw new AppError('RELEASE_DEPLOYMENT_TIMES_INVALID');
}

const toDate = (v: string | null) => (v ? new Date(v) : null);

export async function addDeployment(db: Db, actor: Actor, id: number, input: Out<typeof createReleaseDeploymentRequestSchema>, now = new Date()): Promise<ReleaseDeployment> {
  await loadRelease(db, actor, id);
  const depId = await audited(db, actor, 'release.deployment.create', id, () =>
    db.transaction(async (tx) => {
      await lockOpenRelease(tx, id);
      const v = { startedAt: toDate(input.startedAt), finishedAt: toDate(input.finishedAt), result: input.result };
      checkDeploymentTimes(v);
      // A result without a finish time: it finished now.
      if (v.result !== null && v.finishedAt === null) v.finishedAt = v.startedAt && v.startedAt > now ? v.startedAt : now;
      const by = actorRef(actor);
      const d = await qs.insertDeployment(tx, { releaseId: id, environment: input.environment, plannedAt: toDate(input.plannedAt), ...v, notes: input.notes, createdBy: by, updatedBy: by });
      await event(tx, actor, id, { releaseDeployment: { id: d.id, environment: d.environment, result: d.result } }, input.notes || null);
      await recordAudit(tx, { actor, action: 'release.deployment.create', objectType: 'release', objectId: id, result: 'success', details: { deploymentId: d.id, environment: d.environment, result: d.result } });
      return d.id;
    }),
  );
  const [row] = await qs.listDeployments(db, id, depId);
  if (!row) throw new Error('deployment vanished');
  return deploymentDto(row);
}

export async function updateDeployment(
  db: Db,
  actor: Actor,
  id: number,
  deploymentId: number,
  input: Out<typeof updateReleaseDeploymentRequestSchema>,
  now = new Date(),
): Promise<ReleaseDeployment> {
  await loadRelease(db, actor, id);
  await audited(db, actor, 'release.deployment.update', id, () =>
    db.transaction(async (tx) => {
      await lockOpenRelease(tx, id);
      const d = await qs.lockDeployment(tx, id, deploymentId);
      if (!d) throw new AppError('NOT_FOUND', { object: 'deployment' });
      if (d.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: d.version }, { currentVersion: d.version });
      const next = {
        environment: input.environment ?? d.environment,
        plannedAt: input.plannedAt === undefined ? d.plannedAt : toDate(input.plannedAt),
        startedAt: input.startedAt === undefined ? d.startedAt : toDate(input.startedAt),
        finishedAt: input.finishedAt === undefined ? d.finishedAt : toDate(input.finishedAt),
        result: input.result === undefined ? d.result : input.result,
        notes: input.notes ?? d.notes,
      };
      checkDeploymentTimes(next);
      if (next.result !== null && next.finishedAt === null) next.finishedAt = next.startedAt && next.startedAt > now ? next.startedAt : now;
      const fields = (Object.keys(next) as (keyof typeof next)[]).filter((k) => {
        const a = next[k];
        const b = d[k];
        return (a instanceof Date ? a.toISOString() : a) !== (b instanceof Date ? b.toISOString() : b);
      });
      if (!fields.length) return;
      if (!(await qs.updateDeploymentVersioned(tx, deploymentId, input.version, { ...next, updatedBy: actorRef(actor) }))) throw new AppError('VERSION_CONFLICT', { current: d.version + 1 });
      await event(tx, actor, id, { releaseDeployment: { id: deploymentId, environment: next.environment, result: next.result, fields } });
      await recordAudit(tx, {
        actor,
        action: 'release.deployment.update',
        objectType: 'release',
        objectId: id,
        result: 'success',
        details: { deploymentId, fields, result: next.result },
      });
    }),
  );
  const [row] = await qs.listDeployments(db, id, deploymentId);
  if (!row) throw new Error('deployment vanished');
  return deploymentDto(row);
}

/**
 * Records that the CMDB was updated: every CI of every linked change has a CI version naming that
 * change. CIs not bumped refuse the confirmation (RELEASE_CMDB_CIS_NOT_BUMPED, details.unbumped)
 * unless an override note says why; the note and the unbumped CIs are kept with the confirmation.
 */
export async function confirmCmdb(db: Db, actor: Actor, id: number, input: Out<typeof releaseCmdbConfirmationRequestSchema>, now = new Date()) {
  await loadRelease(db, actor, id);
  await audited(db, actor, 'release.cmdb_confirm', id, () =>
    db.transaction(async (tx) => {
      await lockOpenRelease(tx, id);
      const d = await qs.lockDetails(tx, id);
      if (!d) throw new AppError('NOT_FOUND', { object: 'release' });
      const changes = await qs.listChanges(tx, id);
      if (!changes.length) throw new AppError('RELEASE_NO_CHANGES');
      const check = await cmdbCheck(tx, id);
      const override = input.overrideNote?.trim() ?? '';
      if (check.unbumped.length && !override) {
        throw new AppError('RELEASE_CMDB_CIS_NOT_BUMPED', { count: check.unbumped.length }, { unbumped: check.unbumped });
      }
      const note = [input.note?.trim(), check.unbumped.length ? override : ''].filter((s) => s).join('\n') || null;
      await qs.updateDetails(tx, id, {
        cmdbConfirmed: true,
        cmdbConfirmedBy: actorRef(actor),
        cmdbConfirmedAt: now,
        cmdbNote: note,
        cmdbUnbumped: check.unbumped,
      });
      const summary = { checkedCis: check.cis.length, unbumped: check.unbumped.map((c) => ({ changeId: c.changeId, ciId: c.ciId })), override: check.unbumped.length > 0 };
      await event(tx, actor, id, { cmdbConfirmation: summary }, note);
      await recordAudit(tx, { actor, action: 'release.cmdb_confirm', objectType: 'release', objectId: id, result: 'success', details: { ...summary, note } });
    }),
  );
  return getRelease(db, actor, id);
}

export async function report(db: Db, actor: Actor, query: Out<typeof releaseReportQuerySchema>): Promise<ReleaseReport> {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (!(to > from)) throw new AppError('VALIDATION_FAILED', { summary: 'to must be after from' });
  const scope = await ticketOrgScope(db, actor);
  const found = await qs.reportRows(db, { from, to, scope, orgId: query.orgId });
  const completed = found.filter((r) => r.outcome === 'completed').length;
  const rolledBack = found.filter((r) => r.outcome === 'rolled_back').length;
  const planned = found.filter((r) => r.planned !== null);
  const onTime = planned.filter((r) => r.first_prod !== null && new Date(r.first_prod) <= new Date(r.planned as Date | string)).length;
  const dep = await qs.deploymentResults(db, found.map((r) => Number(r.id)));
  const count = (k: string) => dep.find((x) => x.result === k)?.n ?? 0;
  const depTotal = dep.reduce((s, x) => s + x.n, 0);
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    finished: found.length,
    completed,
    rolledBack,
    successRate: ratio(completed, found.length),
    rollbackRate: ratio(rolledBack, found.length),
    withPlannedDate: planned.length,
    onTime,
    onTimeRate: ratio(onTime, planned.length),
    deployments: {
      total: depTotal,
      success: count('success'),
      failed: count('failed'),
      rolledBack: count('rolled_back'),
      successRate: ratio(count('success'), depTotal),
    },
  };
}
