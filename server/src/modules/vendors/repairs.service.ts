import type {
  addRepairDocumentRequestSchema,
  createRepairOrderRequestSchema,
  RepairAction,
  RepairDocument,
  RepairOrder,
  RepairOrderDetail,
  repairListQuerySchema,
  RepairTransitionRequest,
} from '@tianshu/contracts';
import type { Multipart } from '@fastify/multipart';
import { uploadRepairDocumentFieldsSchema } from '@tianshu/contracts';
import type { z } from 'zod';
import { can, type Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { storeUploadWithFields } from '../../platform/storage/upload.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { cancelSubjectApproval, decideInTx, startSubjectApproval, subjectApprovals } from '../approvals/approvals.service.ts';
import { REPAIR_COST_APPROVAL, REPAIR_SUBJECT } from './repairs.approval.ts';
import { actionsFrom, checkTransition, isOverdue, missingFields, shanghaiDate, turnaroundHours } from './repair-flow.ts';
import * as qs from './repairs.queries.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const actorRef = (actor: Actor) => (actor.userId > 0 ? actor.userId : null);

function orderDto(j: qs.OrderJoined, now: Date): RepairOrder {
  const r = j.r;
  return {
    id: r.id,
    number: r.number,
    assetId: r.assetId,
    assetTag: j.assetTag,
    assetName: j.assetName,
    orgId: r.orgId,
    orgName: j.orgName,
    ticketId: r.ticketId,
    ticketNumber: j.ticketNumber,
    vendorId: r.vendorId,
    vendorName: j.vendorName,
    contractId: r.contractId,
    contractNumber: j.contractNumber,
    resolutionHours: j.resolutionHours === null ? null : Number(j.resolutionHours),
    fault: r.fault,
    inWarranty: r.inWarranty,
    warrantyBasis: r.warrantyBasis,
    status: r.status,
    rmaNumber: r.rmaNumber,
    sentAt: iso(r.sentAt),
    returnedAt: iso(r.returnedAt),
    estimatedCost: r.estimatedCost,
    requestedBy: r.requestedBy,
    requestedByName: j.requestedByName,
    approvedBy: r.approvedBy,
    approvedAt: iso(r.approvedAt),
    rejectedBy: r.rejectedBy,
    rejectedAt: iso(r.rejectedAt),
    decisionComment: r.decisionComment,
    outcome: r.outcome,
    actualCost: r.actualCost,
    closedAt: iso(r.closedAt),
    turnaroundHours: turnaroundHours(r, now),
    overdue: isOverdue(r, j.resolutionHours === null ? null : Number(j.resolutionHours), now),
    createdBy: r.createdBy,
    createdByName: j.createdByName,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    version: r.version,
  };
}

/** A repair order of an organisation in the actor's scope, else 404 (audited when it exists). */
async function loadVisibleOrder(db: Db, actor: Actor, id: number) {
  const row = await qs.findOrderOrg(db, id);
  const scope = await ticketOrgScope(db, actor);
  if (!row || !inScope(scope, row.orgId)) {
    if (row) await recordAudit(db, { actor, action: 'access.denied', objectType: 'repair_order', objectId: id, result: 'denied', details: { reason: 'out of tenant scope' } });
    throw new AppError('NOT_FOUND', { object: 'repair order' });
  }
  return row;
}

const isRequester = (actor: Actor, r: { requestedBy: number | null; createdBy: number | null }) => actor.userId === r.requestedBy || actor.userId === r.createdBy;

/**
 * Who may take an action (state aside). A cost decision belongs to the approvers of the order's
 * approval run (managers other than whoever created the order or asked for the cost): `costTask` is
 * the actor's pending task in it.
 */
function permitted(actor: Actor, costTask: number | null, action: RepairAction): boolean {
  if (action === 'approve' || action === 'reject') return costTask !== null && can(actor, 'repair.approve');
  return can(actor, 'asset.manage');
}

export async function createRepair(db: Db, actor: Actor, input: z.output<typeof createRepairOrderRequestSchema>, now: Date = new Date()): Promise<RepairOrderDetail> {
  const id = await db.transaction(async (tx) => {
    const scope = await ticketOrgScope(tx, actor);
    const asset = await qs.lockAsset(tx, input.assetId);
    if (!asset || !inScope(scope, asset.orgId)) throw new AppError('REFERENCE_INVALID', { object: 'asset' });
    if (asset.status === 'retired' || asset.status === 'disposed') throw new AppError('REPAIR_ASSET_UNAVAILABLE', { status: asset.status });
    if (input.ticketId !== null) {
      const t = await qs.findTicket(tx, input.ticketId);
      if (!t || !inScope(scope, t.orgId)) throw new AppError('REFERENCE_INVALID', { object: 'ticket' });
      if (t.type !== 'incident' || t.orgId !== asset.orgId) throw new AppError('REPAIR_TICKET_INVALID');
    }
    const contractId = input.contractId ?? asset.contractId;
    const contract = contractId === null ? undefined : await qs.findContractBrief(tx, contractId);
    if (contractId !== null && (!contract || (contract.orgId !== null && contract.orgId !== asset.orgId))) throw new AppError('REFERENCE_INVALID', { object: 'contract' });
    const vendorId = input.vendorId ?? contract?.vendorId ?? asset.vendorId;
    if (vendorId !== null && !(await qs.vendorExists(tx, vendorId))) throw new AppError('REFERENCE_INVALID', { object: 'vendor' });
    if (contract && vendorId !== contract.vendorId) throw new AppError('REFERENCE_INVALID', { object: 'contract (of another vendor)' });
    // Decided once, at creation, on the China calendar day: the asset's own warranty, else an active maintenance contract.
    const today = shanghaiDate(now);
    const basis =
      asset.warrantyEnd !== null && asset.warrantyEnd >= today
        ? 'warranty'
        : contract && contract.kind === 'maintenance' && contract.startDate <= today && contract.endDate >= today
          ? 'contract'
          : 'none';
    const seq = await qs.nextRepairSeq(tx);
    const number = `WX-${today.slice(0, 4)}-${String(seq).padStart(6, '0')}`;
    const o = await qs.insertOrder(tx, {
      number,
      assetId: asset.id,
      orgId: asset.orgId,
      ticketId: input.ticketId,
      vendorId,
      contractId,
      fault: input.fault,
      inWarranty: basis !== 'none',
      warrantyBasis: basis,
      status: 'open',
      createdBy: actorRef(actor),
      createdAt: now,
      updatedAt: now,
    });
    await qs.insertEvent(tx, { repairOrderId: o.id, kind: 'created', fromStatus: null, toStatus: 'open', actorId: actorRef(actor), note: input.fault, at: now });
    await recordAudit(tx, {
      actor,
      action: 'repair.create',
      objectType: 'repair_order',
      objectId: o.id,
      result: 'success',
      details: { number, assetId: asset.id, inWarranty: o.inWarranty, warrantyBasis: basis, vendorId, contractId },
    });
    return o.id;
  });
  return getRepair(db, actor, id, now);
}

/** Puts the asset under repair for this order, remembering its status to give back. */
async function holdAsset(tx: Queryable, actor: Actor, o: qs.RepairRow): Promise<string> {
  const asset = await qs.lockAsset(tx, o.assetId);
  if (!asset) throw new AppError('REFERENCE_INVALID', { object: 'asset' });
  if (asset.status !== 'in_use' && asset.status !== 'in_stock') throw new AppError('REPAIR_ASSET_UNAVAILABLE', { status: asset.status });
  await qs.moveAssetForRepair(tx, { assetId: o.assetId, from: asset.status, to: 'under_repair', actorId: actorRef(actor), ticketId: o.ticketId, note: `维修单 ${o.number}` });
  return asset.status;
}

/** Gives the asset its prior status back, unless someone moved it meanwhile (then it is left alone). */
async function releaseAsset(tx: Queryable, actor: Actor, o: qs.RepairRow): Promise<void> {
  if (!o.assetPriorStatus) return;
  const asset = await qs.lockAsset(tx, o.assetId);
  if (!asset || asset.status !== 'under_repair') return;
  await qs.moveAssetForRepair(tx, { assetId: o.assetId, from: 'under_repair', to: o.assetPriorStatus, actorId: actorRef(actor), ticketId: o.ticketId, note: `维修单 ${o.number}` });
}

export async function transitionRepair(db: Db, actor: Actor, id: number, input: RepairTransitionRequest, now: Date = new Date()): Promise<RepairOrderDetail> {
  await loadVisibleOrder(db, actor, id);
  await db.transaction(async (tx) => {
    const o = await qs.lockOrder(tx, id);
    if (!o) throw new AppError('NOT_FOUND', { object: 'repair order' });
    if (o.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: o.version }, { currentVersion: o.version });
    const { action } = input;
    const check = checkTransition(o, action);
    if (!check.ok) {
      if (check.reason === 'approval_required') throw new AppError('REPAIR_APPROVAL_REQUIRED');
      throw new AppError('TRANSITION_NOT_ALLOWED', { state: o.status, action });
    }
    const deciding = action === 'approve' || action === 'reject';
    const costTask = deciding ? await qs.pendingCostTaskOf(tx, id, actor.userId) : null;
    if (deciding && costTask === null && can(actor, 'repair.approve')) {
      throw new AppError(isRequester(actor, o) ? 'REPAIR_APPROVER_IS_REQUESTER' : 'APPROVAL_NOT_APPROVER');
    }
    if (!permitted(actor, costTask, action)) throw new AppError('FORBIDDEN');
    const missing = missingFields(o, action, input);
    if (missing.length) throw new AppError('FIELD_REQUIRED', { fields: missing.join(', ') });
    if (deciding && costTask !== null) {
      // The decision goes through the generic approval; its outcome moves the order (repairs.approval.ts).
      await decideInTx(db, tx, actor, costTask, action === 'approve' ? 'approve' : 'reject', input.comment ?? '', 'app');
      return;
    }

    const me = actorRef(actor);
    const patch: Partial<qs.RepairRow> = { status: check.to, version: o.version + 1 };
    let note = input.comment ?? '';
    switch (action) {
      case 'send':
        patch.rmaNumber = input.rmaNumber ?? null;
        patch.sentAt = now;
        patch.assetPriorStatus = await holdAsset(tx, actor, o);
        note = `RMA ${input.rmaNumber ?? ''}${note ? `: ${note}` : ''}`;
        break;
      case 'estimate':
        patch.estimatedCost = input.estimatedCost ?? null;
        patch.requestedBy = me;
        patch.requestedAt = now;
        patch.approvedBy = null;
        patch.approvedAt = null;
        patch.rejectedBy = null;
        patch.rejectedAt = null;
        patch.decisionComment = null;
        note = `¥${input.estimatedCost ?? ''}${note ? `: ${note}` : ''}`;
        break;
      case 'approve':
      case 'reject':
        throw new Error('cost decisions go through the approval run');
      case 'start':
        patch.assetPriorStatus = await holdAsset(tx, actor, o);
        break;
      case 'return':
        patch.returnedAt = now;
        await releaseAsset(tx, actor, o);
        patch.assetPriorStatus = null;
        break;
      case 'close':
        patch.outcome = input.outcome ?? null;
        patch.actualCost = input.actualCost ?? null;
        patch.closedAt = now;
        if (input.outcome) note = `${input.outcome}${note ? `: ${note}` : ''}`;
        break;
      case 'cancel':
        await cancelSubjectApproval(tx, { type: REPAIR_SUBJECT, id }, REPAIR_COST_APPROVAL.key, actor);
        await releaseAsset(tx, actor, o);
        patch.assetPriorStatus = null;
        patch.closedAt = now;
        break;
    }
    await qs.updateOrder(tx, id, { ...patch, updatedAt: now });
    await qs.insertEvent(tx, { repairOrderId: id, kind: action, fromStatus: o.status, toStatus: check.to, actorId: me, note, at: now });
    await recordAudit(tx, {
      actor,
      action: `repair.${action}`,
      objectType: 'repair_order',
      objectId: id,
      result: 'success',
      details: { number: o.number, from: o.status, to: check.to, rmaNumber: input.rmaNumber, estimatedCost: input.estimatedCost, outcome: input.outcome, actualCost: input.actualCost },
    });
    if (action === 'estimate') {
      // A new round of the cost approval (a pending one is cancelled as restarted): the approvers get
      // their tasks and e-mail links, the requester hears the outcome (approval.requested / .decided).
      await startSubjectApproval(tx, {
        subject: { type: REPAIR_SUBJECT, id, requesterId: me },
        workflowVersionId: null,
        workflowKey: null,
        definition: REPAIR_COST_APPROVAL,
        actor,
        resolve: { exclude: o.createdBy === null ? [] : [o.createdBy], strict: true },
      });
    }
  });
  return getRepair(db, actor, id, now);
}

export async function addDocument(db: Db, actor: Actor, id: number, input: z.output<typeof addRepairDocumentRequestSchema>): Promise<RepairDocument> {
  await loadVisibleOrder(db, actor, id);
  const docId = await db.transaction(async (tx) => {
    const o = await qs.lockOrder(tx, id);
    if (!o) throw new AppError('NOT_FOUND', { object: 'repair order' });
    const d = await qs.insertDocument(tx, { repairOrderId: id, name: input.name, url: input.url, description: input.description, addedBy: actorRef(actor) });
    await qs.insertEvent(tx, { repairOrderId: id, kind: 'document', fromStatus: null, toStatus: null, actorId: actorRef(actor), note: input.name });
    await recordAudit(tx, { actor, action: 'repair.document.add', objectType: 'repair_order', objectId: id, result: 'success', details: { documentId: d.id, name: input.name } });
    return d.id;
  });
  const doc = (await qs.documentsOf(db, id)).find((x) => x.d.id === docId);
  if (!doc) throw new Error('document vanished');
  return documentDto(doc);
}

/**
 * A document that is an uploaded file (quote, invoice, RMA form, photo), checked like a ticket
 * attachment. The order's scope is checked before the body is read; the row, its timeline event and
 * the audit row are written in one transaction, and the stored file is removed if anything fails.
 */
export async function uploadDocument(deps: Pick<AppDeps, 'db' | 'storage' | 'config'>, actor: Actor, id: number, parts: AsyncIterable<Multipart>): Promise<RepairDocument> {
  const { db, storage } = deps;
  await loadVisibleOrder(db, actor, id);
  const { upload, fields } = await storeUploadWithFields(deps, parts);
  const { stored, contentType, filename } = upload;
  let docId: number;
  try {
    const parsed = uploadRepairDocumentFieldsSchema.safeParse(fields);
    if (!parsed.success) throw new AppError('VALIDATION_FAILED', { summary: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    const { description } = parsed.data;
    docId = await db.transaction(async (tx) => {
      const o = await qs.lockOrder(tx, id);
      if (!o) throw new AppError('NOT_FOUND', { object: 'repair order' });
      const d = await qs.insertDocument(tx, {
        repairOrderId: id,
        name: filename,
        url: '',
        description,
        contentType,
        size: stored.size,
        sha256: stored.sha256,
        storageKey: stored.key,
        addedBy: actorRef(actor),
      });
      await qs.insertEvent(tx, { repairOrderId: id, kind: 'document', fromStatus: null, toStatus: null, actorId: actorRef(actor), note: filename });
      await recordAudit(tx, {
        actor,
        action: 'repair.document.upload',
        objectType: 'repair_order',
        objectId: id,
        result: 'success',
        details: { documentId: d.id, filename, contentType, size: stored.size, sha256: stored.sha256 },
      });
      return d.id;
    });
  } catch (err) {
    // Nothing half-written: no row, no orphan file.
    await storage.remove(stored.key);
    throw err;
  }
  const doc = (await qs.documentsOf(db, id)).find((x) => x.d.id === docId);
  if (!doc) throw new Error('document vanished');
  return documentDto(doc);
}

/** The file of an uploaded document, for an order in the actor's scope (404, audited, otherwise). */
export async function downloadDocument(deps: Pick<AppDeps, 'db' | 'storage'>, actor: Actor, docId: number) {
  const { db, storage } = deps;
  const found = await qs.findDocument(db, docId);
  const scope = await ticketOrgScope(db, actor);
  if (!found || !inScope(scope, found.orgId)) {
    if (found) await recordAudit(db, { actor, action: 'access.denied', objectType: 'repair_document', objectId: docId, result: 'denied', details: { reason: 'out of tenant scope' } });
    throw new AppError('NOT_FOUND', { object: 'repair document' });
  }
  const { d } = found;
  // A link record has no file to serve.
  if (d.storageKey === null || d.size === null) throw new AppError('NOT_FOUND', { object: 'repair document file' });
  await recordAudit(db, {
    actor,
    action: 'repair.document.download',
    objectType: 'repair_document',
    objectId: docId,
    result: 'success',
    details: { repairOrderId: d.repairOrderId, filename: d.name },
  });
  return { filename: d.name, contentType: d.contentType ?? 'application/octet-stream', size: d.size, stream: storage.get(d.storageKey) };
}

function documentDto(x: Awaited<ReturnType<typeof qs.documentsOf>>[number]): RepairDocument {
  const d = x.d;
  const file = d.storageKey !== null && d.contentType !== null && d.size !== null ? { contentType: d.contentType, size: d.size } : null;
  return {
    id: d.id,
    name: d.name,
    url: d.url,
    description: d.description,
    file,
    downloadUrl: file ? `/api/repair-documents/${d.id}/download` : null,
    addedBy: d.addedBy,
    addedByName: x.addedByName,
    addedAt: d.addedAt.toISOString(),
  };
}

export async function getRepair(db: Db, actor: Actor, id: number, now: Date = new Date()): Promise<RepairOrderDetail> {
  await loadVisibleOrder(db, actor, id);
  const j = await qs.findOrder(db, id);
  if (!j) throw new AppError('NOT_FOUND', { object: 'repair order' });
  const costTask = j.r.status === 'cost_pending' ? await qs.pendingCostTaskOf(db, id, actor.userId) : null;
  return {
    ...orderDto(j, now),
    events: (await qs.eventsOf(db, id)).map((x) => ({
      id: x.e.id,
      kind: x.e.kind,
      fromStatus: x.e.fromStatus,
      toStatus: x.e.toStatus,
      actorId: x.e.actorId,
      actorName: x.actorName,
      note: x.e.note,
      at: x.e.at.toISOString(),
    })),
    documents: (await qs.documentsOf(db, id)).map(documentDto),
    allowedActions: actionsFrom(j.r).filter((a) => permitted(actor, costTask, a)),
  };
}

/** The order's cost approval runs (rounds), as a ticket's approvals card shows them. */
export async function repairApprovals(db: Db, actor: Actor, id: number) {
  await loadVisibleOrder(db, actor, id);
  return subjectApprovals(db, { type: REPAIR_SUBJECT, id });
}

export async function listRepairs(db: Db, actor: Actor, query: z.output<typeof repairListQuerySchema>, now: Date = new Date()) {
  const scope = await ticketOrgScope(db, actor);
  const r = await qs.listOrders(db, {
    orgIds: scope,
    ...(query.status ? { status: query.status } : {}),
    ...(query.state ? { final: query.state === 'final' } : {}),
    ...(query.inWarranty === undefined ? {} : { inWarranty: query.inWarranty }),
    ...(query.overdue ? { overdueAt: now } : {}),
    ...(query.pendingMyApproval ? { pendingFor: actor.userId } : {}),
    ...(query.assetId === undefined ? {} : { assetId: query.assetId }),
    ...(query.vendorId === undefined ? {} : { vendorId: query.vendorId }),
    ...(query.q ? { text: query.q } : {}),
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: r.items.map((x) => orderDto(x, now)), total: r.total, page: query.page, pageSize: query.pageSize };
}
