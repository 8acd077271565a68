import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import {
  priorityMatrixSchema,
  type PriorityMatrix,
  type Ticket,
  type TicketSummary,
  type TransitionRequest,
  type UpdateTicketRequest,
  type createTicketRequestSchema,
  type commentRequestSchema,
  type ticketListQuerySchema,
} from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import { writeTogether, type Db, type Queryable, type Tx } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { auditStatement, recordAudit } from '../../platform/audit/audit.service.ts';
import { searchDocument } from '../../platform/search/zh-tokenizer.ts';
import { groups, users, organizations } from '../directory/directory.tables.ts';
import { groupIdsOf, groupMemberIds, isGroupMember } from '../directory/directory.queries.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { settings } from '../settings/settings.tables.ts';
import type { WorkflowDefinition, WorkflowTransition, Guard } from '@tianshu/contracts';
import { FINAL_CATEGORIES } from '@tianshu/contracts';
import { allowedActions, categoryOf, mayTake, missingInputs, transitionsNamed, workflowView } from '../workflows/workflow-engine.ts';
import { currentWorkflow, workflowOfTicket, type ResolvedWorkflow } from '../workflows/workflows.service.ts';
import { setApprovalOutcomeHandler, workflowCheck, workflowHook, type CheckFailure, type WorkflowTicket } from '../workflows/workflow-registry.ts';
import { DEFAULT_WORKFLOW_KEY } from '../workflows/default-workflows.ts';
import { cancelPendingApprovals, isApprovalGranted, startApproval } from '../approvals/approvals.service.ts';
import { plannedClocks, slaBadges, syncTicketClocks } from '../sla/sla-clocks.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import { kick } from '../../platform/jobs/queue.ts';
import { DEFAULT_PRIORITY_MATRIX, priorityOf } from './priority.ts';
import * as qs from './tickets.queries.ts';
import type { tickets } from './tickets.tables.ts';

type CreateInput = z.output<typeof createTicketRequestSchema>;
type TicketPatch = Partial<typeof tickets.$inferInsert>;

export async function getPriorityMatrix(q: Queryable): Promise<PriorityMatrix> {
  const [row] = await q.select().from(settings).where(eq(settings.key, 'priority_matrix'));
  const parsed = priorityMatrixSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_PRIORITY_MATRIX;
}

// Read on every create, changed almost never: cached per database handle for a few seconds
// (another instance's change shows within MATRIX_TTL_MS; this instance's change at once).
const MATRIX_TTL_MS = 5000;
const matrixCache = new WeakMap<object, { at: number; matrix: PriorityMatrix }>();

export async function cachedPriorityMatrix(db: Db): Promise<PriorityMatrix> {
  const hit = matrixCache.get(db);
  if (hit && Date.now() - hit.at < MATRIX_TTL_MS) return hit.matrix;
  const matrix = await getPriorityMatrix(db);
  matrixCache.set(db, { at: Date.now(), matrix });
  return matrix;
}

export function forgetPriorityMatrix(db: Db): void {
  matrixCache.delete(db);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function ticketSummaryDto(row: qs.TicketRow): TicketSummary {
  const t = row.t;
  return {
    id: t.id,
    type: t.type as Ticket['type'],
    number: t.number,
    orgId: t.orgId,
    orgName: row.orgName,
    title: t.title,
    state: t.state,
    stateCategory: t.stateCategory as Ticket['stateCategory'],
    impact: t.impact,
    urgency: t.urgency,
    priority: t.priority,
    category: t.category,
    service: t.service,
    requesterId: t.requesterId,
    requesterName: row.requesterName,
    callerName: t.callerName,
    callerPhone: t.callerPhone,
    assignmentGroupId: t.assignmentGroupId,
    assignmentGroupName: row.groupName,
    assigneeId: t.assigneeId,
    assigneeName: row.assigneeName,
    channel: t.channel as Ticket['channel'],
    major: t.major,
    pendingReason: t.pendingReason as Ticket['pendingReason'],
    resolutionCode: t.resolutionCode as Ticket['resolutionCode'],
    version: t.version,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
  };
}

/** The full ticket, with the actions this actor may take now under the ticket's workflow version. */
export function ticketDto(row: qs.TicketRow, actor: Actor, wf: ResolvedWorkflow): Ticket {
  const t = row.t;
  return {
    ...ticketSummaryDto(row),
    description: t.description,
    resolutionNotes: t.resolutionNotes,
    customFields: (t.customFields ?? {}) as Record<string, unknown>,
    allowedActions: allowedActions(wf.definition, actor, t),
    workflow: workflowView(wf, actor, t),
  };
}

/** ticketDto with the ticket's workflow looked up (cached). */
export async function ticketDtoFor(db: Db, actor: Actor, row: qs.TicketRow): Promise<Ticket> {
  return ticketDto(row, actor, await workflowOfTicket(db, row.t));
}

/** Where a ticket of a type is shown in the web app (links in notifications). */
export function ticketLink(type: string, id: number): string {
  const base: Record<string, string> = { incident: '/incidents', request: '/requests', problem: '/problems', change: '/changes', release: '/releases' };
  return `${base[type] ?? '/incidents'}/${id}`;
}

/** Loads a ticket the actor may see; anything else is 404 (existence must not leak) and audited. */
export async function loadVisible(db: Db, actor: Actor, id: number): Promise<qs.TicketRow> {
  const row = await qs.findTicket(db, id);
  if (!row || !(await visibleTo(db, actor, row.t))) {
    if (row) {
      await recordAudit(db, { actor, action: 'access.denied', objectType: 'ticket', objectId: id, result: 'denied', details: { reason: 'out of tenant scope' } });
    }
    throw new AppError('NOT_FOUND', { object: 'ticket' });
  }
  return row;
}

/** Whoever asked for a ticket may follow it, whatever their tenant scope (staff filing requests for themselves). */
async function visibleTo(q: Queryable, actor: Actor, t: { orgId: number; requesterId: number | null }): Promise<boolean> {
  return t.requesterId === actor.userId || inScope(await ticketOrgScope(q, actor), t.orgId);
}

async function checkAssignment(q: Queryable, groupId: number | null | undefined, assigneeId: number | null | undefined) {
  if (groupId) {
    const [g] = await q.select({ id: groups.id }).from(groups).where(eq(groups.id, groupId));
    if (!g) throw new AppError('REFERENCE_INVALID', { object: 'group' });
  }
  if (assigneeId) {
    const [u] = await q
      .select({ id: users.id, status: users.status, roles: users.roles, kind: organizations.kind })
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.orgId))
      .where(eq(users.id, assigneeId));
    const worker = u?.roles.some((r) => r === 'engineer' || r === 'agent' || r === 'manager');
    if (!u || u.status !== 'active' || u.kind !== 'provider' || !worker) throw new AppError('REFERENCE_INVALID', { object: 'assignee' });
    if (groupId && !(await isGroupMember(q, groupId, assigneeId))) throw new AppError('REFERENCE_INVALID', { object: 'assignee' });
  }
}

function requestHash(input: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

export type CreateTicketOptions = {
  /** The workflow to run on (default: the type's built-in one); must be for the ticket's type. */
  workflowKey?: string;
  /** Writes the caller's own rows with the ticket, in one transaction (throw to write nothing). */
  afterInsert?: (tx: Tx, row: qs.TicketRow) => Promise<void>;
};

/** The state a new ticket starts in: the initial one, or where its assign transition leads when created assigned. */
function initialState(def: WorkflowDefinition, assigned: boolean): string {
  if (!assigned) return def.initial;
  const tr = def.transitions.find((x) => x.key === 'assign' && !x.system && x.from.includes(def.initial) && x.to !== null);
  return tr?.to ?? def.initial;
}

export async function createTicket(
  db: Db,
  actor: Actor,
  input: CreateInput,
  idempotencyKey?: string,
  opts: CreateTicketOptions = {},
): Promise<{ row: qs.TicketRow; replay: boolean }> {
  const hash = requestHash(input);
  if (idempotencyKey) {
    const prior = await qs.findIdempotency(db, actor.userId, idempotencyKey);
    if (prior) return replay(db, prior, hash);
  }
  const scope = await ticketOrgScope(db, actor);
  const isCustomer = actor.orgKind === 'customer';
  const orgId = isCustomer ? actor.orgId : input.orgId;
  if (!orgId) throw new AppError('FIELD_REQUIRED', { fields: 'orgId' });
  const requesterId = isCustomer ? actor.userId : (input.requesterId ?? null);
  // Staff outside the provider's scope may still file a ticket in their own organisation for themselves.
  const forSelf = orgId === actor.orgId && requesterId === actor.userId;
  if (!inScope(scope, orgId) && !forSelf) throw new AppError('REFERENCE_INVALID', { object: 'organization' });
  const channel = isCustomer ? (actor.via === 'token' ? 'api' : 'web') : (input.channel ?? (actor.via === 'token' ? 'api' : 'web'));
  const groupId = isCustomer ? null : (input.assignmentGroupId ?? null);
  const assigneeId = isCustomer ? null : (input.assigneeId ?? null);
  const wf = await currentWorkflow(db, opts.workflowKey ?? DEFAULT_WORKFLOW_KEY[input.type]);
  if (wf.ticketType !== input.type) throw new AppError('WORKFLOW_TYPE_MISMATCH', { key: wf.key });
  const def = wf.definition;
  try {
    if (groupId || assigneeId) await checkAssignment(db, groupId, assigneeId);
    const matrix = await cachedPriorityMatrix(db);
    const priority = priorityOf(matrix, input.impact, input.urgency);
    const createdAt = new Date();
    const state = initialState(def, Boolean(groupId || assigneeId));
    const clocks = await plannedClocks(
      db,
      { type: input.type, orgId, priority, service: input.service ?? null, category: input.category ?? null, assignmentGroupId: groupId, assigneeId, state },
      createdAt,
    );
    const values: qs.NewTicket = {
      type: input.type,
      orgId,
      title: input.title,
      description: input.description,
      state,
      stateCategory: categoryOf(def, state),
      workflowVersionId: wf.versionId,
      impact: input.impact,
      urgency: input.urgency,
      priority,
      category: input.category ?? null,
      service: input.service ?? null,
      requesterId,
      callerName: isCustomer ? null : (input.callerName ?? null),
      callerPhone: isCustomer ? null : (input.callerPhone ?? null),
      assignmentGroupId: groupId,
      assigneeId,
      channel,
      major: isCustomer ? false : input.major,
      customFields: input.customFields,
      createdBy: actor.userId > 0 ? actor.userId : null,
      createdAt,
    };
    const doc = searchDocument(input.title, input.description, input.category, input.service);
    const audit = { actorId: actor.userId > 0 ? actor.userId : null, actorName: actor.username, actorIp: actor.ip };
    const idem = idempotencyKey ? { key: idempotencyKey, requestHash: hash, userId: actor.userId } : null;
    let row: qs.TicketRow | undefined;
    let after = { next: null as Date | null, notified: false };
    if (!opts.afterInsert && !def.onCreate) {
      // The common path (incidents): one statement, no transaction held across round trips.
      row = await qs.insertTicketWithEvents(db, values, doc, audit, idem, clocks);
    } else {
      const r = await db.transaction(async (tx) => {
        const inserted = await qs.insertTicketWithEvents(tx, values, doc, audit, idem, clocks);
        if (!inserted) return { row: undefined, after };
        await opts.afterInsert?.(tx, inserted);
        const ran = def.onCreate ? await applyTransition(db, tx, inserted.t.id, { actor, key: def.onCreate, system: true, input: {} }) : after;
        return { row: await qs.findTicket(tx, inserted.t.id), after: ran };
      });
      row = r.row;
      after = r.after;
    }
    if (!row) {
      // Nothing was written; say which reference failed.
      const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId));
      throw new AppError('REFERENCE_INVALID', { object: org ? 'requester' : 'organization' });
    }
    const firstCheck = clocks.map((c) => c.next_check_at).filter((x): x is string => x !== null).sort()[0];
    if (firstCheck) kick(db, 'sla.sweep', new Date(firstCheck));
    afterCommit(db, after.next, after.notified);
    await afterCreate(db, actor, row);
    return { row, replay: false };
  } catch (err) {
    // A concurrent retry with the same key won the race: answer with its ticket.
    if (idempotencyKey && isUniqueViolation(err)) {
      const prior = await qs.findIdempotency(db, actor.userId, idempotencyKey);
      if (prior) return replay(db, prior, hash);
    }
    throw err;
  }
}

/** Tells an assignee set at creation (by someone else) that the ticket is theirs. Never fails the create. */
async function afterCreate(db: Db, actor: Actor, row: qs.TicketRow): Promise<void> {
  const t = row.t;
  if (!t.assigneeId || t.assigneeId === actor.userId) return;
  try {
    await db.transaction((tx) => notifyAssignee(tx, actor, { ...t, assigneeId: null }, t.assigneeId));
    kick(db, 'notifications.deliver');
  } catch {
    // The ticket exists; a lost "assigned to you" notice is not worth refusing it.
  }
}

/** After a write in `tx`: recompute the ticket's clocks; returns when the sweep should next look. */
async function resyncClocks(db: Db, tx: Tx, id: number): Promise<Date | null> {
  const t = await qs.lockTicket(tx, id);
  if (!t) return null;
  return (await syncTicketClocks(db, tx, t)).nextCheckAt;
}

function afterCommit(db: Db, nextCheck: Date | null, notified: boolean) {
  if (nextCheck) kick(db, 'sla.sweep', nextCheck);
  if (notified) kick(db, 'notifications.deliver');
}

async function replay(db: Db, prior: { requestHash: string; ticketId: number }, hash: string) {
  if (prior.requestHash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
  const row = await qs.findTicket(db, prior.ticketId);
  if (!row) throw new Error('idempotent ticket vanished');
  return { row, replay: true };
}

export async function listTickets(db: Db, actor: Actor, query: z.output<typeof ticketListQuerySchema>) {
  const scope = await ticketOrgScope(db, actor);
  const myGroups = query.view === 'unassigned' ? await groupIdsOf(db, actor.userId) : [];
  const seesSla = actor.permissions.has('sla.read');
  // SLA state is internal: without sla.read the filter is ignored rather than leaking it.
  const r = await qs.listTickets(db, { ...query, ...(seesSla ? {} : { sla: undefined }), scope, me: actor.userId, myGroups });
  const items: TicketSummary[] = r.items.map(ticketSummaryDto);
  if (seesSla && items.length) {
    const badges = await slaBadges(db, items.map((t) => t.id));
    for (const t of items) t.sla = badges.get(t.id) ?? null;
  }
  return { items, total: r.total, totalCapped: r.totalCapped };
}

type Change = { field: string; from: unknown; to: unknown };

function diff(current: Record<string, unknown>, patch: Record<string, unknown>): Change[] {
  const out: Change[] = [];
  for (const [field, to] of Object.entries(patch)) {
    if (to === undefined) continue;
    const from = current[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) out.push({ field, from: from ?? null, to });
  }
  return out;
}

/** Adds display names to assignee/group changes so the history reads without extra lookups. */
async function withNames(q: Queryable, changes: Change[]): Promise<(Change & { fromName?: string | null; toName?: string | null })[]> {
  const out = [];
  for (const c of changes) {
    const name = async (v: unknown) => {
      if (typeof v !== 'number') return null;
      if (c.field === 'assigneeId') {
        const [u] = await q.select({ n: users.displayName }).from(users).where(eq(users.id, v));
        return u?.n ?? null;
      }
      const [g] = await q.select({ n: groups.name }).from(groups).where(eq(groups.id, v));
      return g?.n ?? null;
    };
    out.push(c.field === 'assigneeId' || c.field === 'assignmentGroupId' ? { ...c, fromName: await name(c.from), toName: await name(c.to) } : c);
  }
  return out;
}

async function afterWrite(db: Db, actor: Actor, id: number): Promise<Ticket> {
  const row = await qs.findTicket(db, id);
  if (!row) throw new Error('ticket vanished');
  return ticketDtoFor(db, actor, row);
}

async function lockForUpdate(tx: Tx, id: number, version: number) {
  const t = await qs.lockTicket(tx, id);
  if (!t) throw new AppError('NOT_FOUND', { object: 'ticket' });
  if (t.version !== version) throw new AppError('VERSION_CONFLICT', { current: t.version }, { currentVersion: t.version });
  return t;
}

export async function updateTicket(db: Db, actor: Actor, id: number, input: UpdateTicketRequest): Promise<Ticket> {
  await loadVisible(db, actor, id);
  const { version, ...fields } = input;
  const assigning = fields.assignmentGroupId !== undefined || fields.assigneeId !== undefined;
  if (assigning && !actor.permissions.has('ticket.assign')) throw new AppError('FORBIDDEN');
  const after = await db.transaction(async (tx) => {
    const t = await lockForUpdate(tx, id, version);
    const matrix = await getPriorityMatrix(tx);
    const patch: TicketPatch = {};
    const plain = ['title', 'description', 'category', 'service', 'major', 'customFields', 'impact', 'urgency'] as const;
    for (const k of plain) if (fields[k] !== undefined) (patch as Record<string, unknown>)[k] = fields[k];
    const impact = fields.impact ?? t.impact;
    const urgency = fields.urgency ?? t.urgency;
    patch.priority = priorityOf(matrix, impact, urgency);
    const fieldChanges = diff(t as unknown as Record<string, unknown>, patch as Record<string, unknown>);
    const assignPatch: TicketPatch = {};
    if (fields.assignmentGroupId !== undefined) assignPatch.assignmentGroupId = fields.assignmentGroupId;
    if (fields.assigneeId !== undefined) assignPatch.assigneeId = fields.assigneeId;
    const assignChanges = diff(t as unknown as Record<string, unknown>, assignPatch as Record<string, unknown>);
    if (assignChanges.length) {
      await checkAssignment(tx, assignPatch.assignmentGroupId ?? t.assignmentGroupId, assignPatch.assigneeId ?? (fields.assignmentGroupId !== undefined ? undefined : t.assigneeId));
      // Assigning a ticket still in its initial state moves it where the workflow's assign leads (新建 -> 已分派).
      const def = (await workflowOfTicket(db, t)).definition;
      if (t.state === def.initial && (assignPatch.assignmentGroupId || assignPatch.assigneeId)) {
        assignPatch.state = initialState(def, true);
        assignPatch.stateCategory = categoryOf(def, assignPatch.state);
      }
    }
    if (!fieldChanges.length && !assignChanges.length) return { next: null, notified: false };
    const doc = searchDocument(t.number, patch.title ?? t.title, patch.description ?? t.description, patch.category ?? t.category, patch.service ?? t.service);
    const ok = await qs.updateTicketVersioned(tx, id, version, { ...patch, ...assignPatch }, doc);
    if (!ok) throw new AppError('VERSION_CONFLICT', { current: t.version + 1 });
    const actorId = actor.userId > 0 ? actor.userId : null;
    const events = [];
    if (fieldChanges.length) events.push({ ticketId: id, kind: 'field_change', actorId, data: { changes: fieldChanges } });
    if (assignChanges.length) events.push({ ticketId: id, kind: 'assignment', actorId, data: { changes: await withNames(tx, assignChanges) } });
    await qs.insertEvents(tx, events);
    await recordAudit(tx, { actor, action: 'ticket.update', objectType: 'ticket', objectId: id, result: 'success', details: { changes: [...fieldChanges, ...assignChanges] } });
    const notified = await notifyAssignee(tx, actor, t, assignPatch.assigneeId);
    return { next: await resyncClocks(db, tx, id), notified };
  });
  afterCommit(db, after.next, after.notified);
  return afterWrite(db, actor, id);
}

type RunArgs = {
  /** Who acts; for a system transition, whoever caused it (the approver) or null. */
  actor: Actor | null;
  key: string;
  /** A system transition: taken by the engine (approval outcome, onCreate), not offered to users. */
  system: boolean;
  input: Partial<TransitionRequest>;
  /** The version the client saw (user transitions: optimistic concurrency). */
  expectVersion?: number;
  /** The ticket, already locked in `tx` and its version checked by the caller. */
  locked?: WorkflowTicket;
};

type Applied = {
  next: Date | null;
  notified: boolean;
  /** The ticket row as this transition wrote it. */
  after: WorkflowTicket;
  /** Something besides the row update may have changed the ticket or its names: read it again for a reply. */
  reread: boolean;
};

type Failure = CheckFailure & { details?: Record<string, unknown> };

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

async function guardFailure(tx: Tx, guards: readonly Guard[], t: WorkflowTicket): Promise<Failure | null> {
  for (const g of guards) {
    if (g.type === 'field_set') {
      const v = g.field.startsWith('custom.')
        ? ((t.customFields ?? {}) as Record<string, unknown>)[g.field.slice('custom.'.length)]
        : (t as unknown as Record<string, unknown>)[g.field];
      if (isEmpty(v)) return { code: 'FIELD_REQUIRED', params: { fields: g.field }, details: { fields: [g.field] } };
    } else if (g.type === 'approval_granted') {
      if (!(await isApprovalGranted(tx, t.id, g.approval))) return { code: 'APPROVAL_REQUIRED', params: { approval: g.approval } };
    } else {
      const check = workflowCheck(g.name);
      // Saving refuses unknown names; a module that stopped registering one fails closed.
      if (!check) return { code: 'TRANSITION_NOT_ALLOWED', params: { state: t.state, action: g.name } };
      const f = await check(tx, t);
      if (f) return f;
    }
  }
  return null;
}

/**
 * Takes a transition inside `tx`: picks the first transition of that key from the current state
 * whose guards pass, writes the state, its timeline event and audit row, then runs the effects.
 * Everything or nothing: any refusal throws and the caller's transaction rolls back.
 */
async function applyTransition(db: Db, tx: Tx, id: number, a: RunArgs): Promise<Applied> {
  const t = a.locked ?? (a.expectVersion !== undefined ? await lockForUpdate(tx, id, a.expectVersion) : await qs.lockTicket(tx, id));
  if (!t) throw new AppError('NOT_FOUND', { object: 'ticket' });
  const wf = await workflowOfTicket(db, t);
  const def = wf.definition;
  const here = transitionsNamed(def, a.key, a.system).filter((tr) => tr.from.includes(t.state) && (a.system || (a.actor !== null && mayTake(tr, a.actor, t))));
  if (!here.length) throw new AppError('TRANSITION_NOT_ALLOWED', { state: t.state, action: a.key });
  let chosen: WorkflowTransition | undefined;
  let failure: Failure | null = null;
  for (const tr of here) {
    const f = await guardFailure(tx, tr.guards, t);
    if (!f) {
      chosen = tr;
      break;
    }
    failure ??= f;
  }
  if (!chosen) {
    const f = failure ?? { code: 'TRANSITION_NOT_ALLOWED' as const, params: { state: t.state, action: a.key } };
    throw new AppError(f.code, f.params ?? {}, f.details);
  }
  const missing = missingInputs(chosen, a.input);
  if (missing.length) throw new AppError('FIELD_REQUIRED', { fields: missing.join(',') }, { fields: missing });

  const now = new Date();
  const to = chosen.to ?? t.state;
  const fromCat = categoryOf(def, t.state);
  const toCat = categoryOf(def, to);
  const patch: TicketPatch = { state: to, stateCategory: toCat };
  const input = a.input;
  if (chosen.inputs.includes('assignment')) {
    const groupId = input.assignmentGroupId !== undefined ? input.assignmentGroupId : t.assignmentGroupId;
    const assigneeId = input.assigneeId !== undefined ? input.assigneeId : input.assignmentGroupId !== undefined ? null : t.assigneeId;
    await checkAssignment(tx, groupId, assigneeId);
    patch.assignmentGroupId = groupId;
    patch.assigneeId = assigneeId;
  }
  if (a.actor && chosen.effects.some((e) => e.type === 'take')) {
    patch.assigneeId = a.actor.userId;
    // Taking a ticket of another group (or of none) moves it to the taker's first group.
    if (!t.assignmentGroupId || !(await isGroupMember(tx, t.assignmentGroupId, a.actor.userId))) {
      const mine = await groupIdsOf(tx, a.actor.userId);
      patch.assignmentGroupId = mine[0] ?? null;
    }
  }
  if (toCat === 'pending') patch.pendingReason = input.pendingReason ?? t.pendingReason;
  else if (t.pendingReason) patch.pendingReason = null;
  if (chosen.inputs.includes('resolutionCode')) patch.resolutionCode = input.resolutionCode ?? null;
  if (chosen.inputs.includes('resolutionNotes')) patch.resolutionNotes = input.resolutionNotes ?? null;
  if (toCat === 'resolved' && fromCat !== 'resolved') patch.resolvedAt = now;
  if (FINAL_CATEGORIES.includes(toCat) && !FINAL_CATEGORIES.includes(fromCat)) patch.closedAt = now;
  if ((toCat === 'open' || toCat === 'pending') && fromCat === 'resolved') {
    patch.resolvedAt = null;
    patch.resolutionCode = null;
    patch.resolutionNotes = null;
  }
  for (const e of chosen.effects) {
    if (e.type !== 'set_field') continue;
    if (e.field === 'major') patch.major = Boolean(e.value);
    else patch.customFields = { ...((patch.customFields ?? t.customFields ?? {}) as Record<string, unknown>), [e.field.slice('custom.'.length)]: e.value };
  }
  const actor = a.actor;
  const actorId = actor && actor.userId > 0 ? actor.userId : null;
  const assignChanges = diff(t as unknown as Record<string, unknown>, { assignmentGroupId: patch.assignmentGroupId, assigneeId: patch.assigneeId });
  const data: Record<string, unknown> = { action: a.key, from: t.state, to, label: chosen.label };
  if (a.system) data.system = true;
  if (patch.pendingReason) data.pendingReason = patch.pendingReason;
  if (chosen.inputs.includes('resolutionCode')) data.resolutionCode = patch.resolutionCode;
  const body = chosen.inputs.includes('resolutionNotes') && input.resolutionNotes ? input.resolutionNotes : (input.comment ?? null);
  const events: { ticketId: number; kind: string; actorId: number | null; body?: string | null; data: Record<string, unknown> }[] = [
    { ticketId: id, kind: 'transition', actorId, body, data },
  ];
  if (assignChanges.length) events.push({ ticketId: id, kind: 'assignment', actorId, data: { changes: await withNames(tx, assignChanges) } });
  // The state, its timeline events and the audit row in one round trip (the hot path of every move).
  const updated = await writeTogether(
    tx,
    qs.ticketUpdateStatement(tx, id, t.version, patch, undefined, now),
    qs.eventsInsertStatement(tx, events),
    auditStatement(tx, {
      actor,
      ...(actor ? {} : { actorName: 'system' }),
      action: `ticket.${a.key}`,
      objectType: 'ticket',
      objectId: id,
      result: 'success',
      details: { from: t.state, to, workflow: wf.key, workflowVersion: wf.version, ...(a.system ? { system: true } : {}) },
    }),
  );
  if (!updated.length) throw new AppError('VERSION_CONFLICT', { current: t.version + 1 });

  const after: WorkflowTicket = { ...t, ...patch, version: t.version + 1, updatedAt: now };
  let notified = actor ? await notifyAssignee(tx, actor, t, patch.assigneeId) : false;
  for (const e of chosen.effects) {
    switch (e.type) {
      case 'notify':
        notified = (await notifyTransition(tx, actor, after, chosen, e, input)) || notified;
        break;
      case 'start_approval': {
        const approval = def.approvals.find((x) => x.key === e.approval);
        if (!approval) throw new Error(`workflow ${wf.key} v${wf.version}: no approval ${e.approval}`);
        await startApproval(tx, { ticket: after, workflowVersionId: wf.versionId, workflowKey: wf.key, definition: approval, actor });
        notified = true;
        break;
      }
      case 'cancel_approvals':
        await cancelPendingApprovals(tx, id, actor);
        break;
      case 'hook': {
        const hook = workflowHook(e.name);
        if (!hook) throw new Error(`workflow hook ${e.name} is not registered`);
        await hook(tx, { ticket: after, actor, transition: { key: a.key, from: t.state, to }, now });
        break;
      }
      default:
    }
  }
  // SLA clocks follow incidents only (see sla.contract types): other types skip the recomputation.
  const next = t.type === 'incident' ? await resyncClocks(db, tx, id) : null;
  // Clocks write the row, hooks and approvals may move the ticket again, an assignment changes names.
  const reread = t.type === 'incident' || assignChanges.length > 0 || chosen.effects.some((e) => e.type === 'hook' || e.type === 'start_approval');
  return { next, notified, after, reread };
}

async function notifyTransition(
  tx: Tx,
  actor: Actor | null,
  t: WorkflowTicket,
  tr: WorkflowTransition,
  e: { recipients: 'requester' | 'assignee' | 'group'; event: 'ticket.transition' | 'ticket.resolved' },
  input: Partial<TransitionRequest>,
): Promise<boolean> {
  let userIds: number[] = [];
  if (e.recipients === 'requester' && t.requesterId) userIds = [t.requesterId];
  if (e.recipients === 'assignee' && t.assigneeId) userIds = [t.assigneeId];
  if (e.recipients === 'group' && t.assignmentGroupId) userIds = await groupMemberIds(tx, t.assignmentGroupId);
  userIds = userIds.filter((u) => u !== actor?.userId);
  if (!userIds.length) return false;
  await notify(tx, {
    event: e.event,
    userIds,
    params:
      e.event === 'ticket.resolved'
        ? { number: t.number, title: t.title, resolution: input.resolutionNotes ?? '' }
        : { number: t.number, title: t.title, action: tr.label['en-US'], actionZh: tr.label['zh-CN'], actor: actor?.displayName ?? 'system', ...(input.comment ? { comment: input.comment } : {}) },
    ticketId: t.id,
    orgId: t.orgId,
    link: ticketLink(t.type, t.id),
  });
  return true;
}

/**
 * A user transition. One read locks the ticket with its names and serves the visibility check, the
 * permission check and, for a plain move, the reply; the write is one round trip (applyTransition).
 */
export async function transition(db: Db, actor: Actor, id: number, input: TransitionRequest): Promise<Ticket> {
  // What the refusal audit needs from inside the (rolled-back) transaction.
  const seen: { state?: string; denied?: Record<string, unknown> } = {};
  let done: Applied & { reply: qs.TicketRow; wf: ResolvedWorkflow };
  try {
    done = await db.transaction(async (tx) => {
      const row = await qs.lockTicketJoined(tx, id);
      if (!row) throw new AppError('NOT_FOUND', { object: 'ticket' });
      if (!(await visibleTo(tx, actor, row.t))) {
        seen.denied = { reason: 'out of tenant scope' };
        throw new AppError('NOT_FOUND', { object: 'ticket' });
      }
      seen.state = row.t.state;
      const wf = await workflowOfTicket(db, row.t);
      const named = transitionsNamed(wf.definition, input.action);
      if (named.length && !named.some((tr) => mayTake(tr, actor, row.t))) {
        seen.denied = { transition: input.action };
        throw new AppError('FORBIDDEN');
      }
      if (row.t.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: row.t.version }, { currentVersion: row.t.version });
      const r = await applyTransition(db, tx, id, { actor, key: input.action, system: false, input, locked: row.t });
      const reply = r.reread ? await qs.findTicket(tx, id) : { ...row, t: r.after };
      if (!reply) throw new Error('ticket vanished');
      return { ...r, reply, wf };
    });
  } catch (err) {
    // Refusals are recorded outside the rolled-back transaction (等保: refused operations are audited too).
    if (err instanceof AppError && !err.audited) {
      if (seen.denied) {
        await recordAudit(db, { actor, action: 'access.denied', objectType: 'ticket', objectId: id, result: 'denied', details: seen.denied });
        err.audited = true;
      } else if (seen.state !== undefined && err.code !== 'VERSION_CONFLICT') {
        await recordAudit(db, { actor, action: `ticket.${input.action}`, objectType: 'ticket', objectId: id, result: 'denied', details: { code: err.code, state: seen.state } });
        err.audited = true;
      }
    }
    throw err;
  }
  afterCommit(db, done.next, done.notified);
  return ticketDto(done.reply, actor, done.wf);
}

/**
 * A system transition inside the caller's transaction (e.g. a module's automation). Refusals throw
 * like user transitions do.
 */
export async function systemTransition(db: Db, tx: Tx, id: number, key: string, actor: Actor | null, comment?: string): Promise<void> {
  await applyTransition(db, tx, id, { actor, key, system: true, input: comment ? { comment } : {} });
}

// An approval run ended: take the workflow's onApproved / onRejected transition in the same transaction.
setApprovalOutcomeHandler(async (db, tx, o) => {
  const t = await qs.lockTicket(tx, o.ticketId);
  if (!t) return;
  const wf = await workflowOfTicket(db, t);
  const approval = wf.definition.approvals.find((x) => x.key === o.approvalKey);
  const key = o.outcome === 'approved' ? approval?.onApproved : approval?.onRejected;
  if (!key) return;
  await applyTransition(db, tx, o.ticketId, { actor: o.actor, key, system: true, input: o.comment ? { comment: o.comment } : {}, locked: t });
});

export async function addComment(db: Db, actor: Actor, id: number, input: z.output<typeof commentRequestSchema>) {
  await loadVisible(db, actor, id);
  const internal = input.internal === true;
  if (internal && !actor.permissions.has('ticket.internal')) throw new AppError('FORBIDDEN');
  const after = await db.transaction(async (tx) => {
    const ev = await qs.insertEvent(tx, {
      ticketId: id,
      kind: internal ? 'work_note' : 'comment',
      internal,
      actorId: actor.userId > 0 ? actor.userId : null,
      body: input.body,
      data: {},
    });
    await qs.touchTicket(tx, id);
    await recordAudit(tx, { actor, action: internal ? 'ticket.work_note' : 'ticket.comment', objectType: 'ticket', objectId: id, result: 'success', details: { eventId: ev.id } });
    let notified = false;
    if (!internal && actor.orgKind === 'customer') {
      const t = await qs.lockTicket(tx, id);
      if (t?.assigneeId) {
        await notify(tx, {
          event: 'ticket.customer_replied',
          userIds: [t.assigneeId],
          params: { number: t.number, title: t.title, actor: actor.displayName, excerpt: input.body.slice(0, 200) },
          ticketId: id,
          orgId: t.orgId,
          link: ticketLink(t.type, id),
        });
        notified = true;
      }
    }
    // A public reply by the provider stops the response clock and restarts the update clock.
    const next = internal ? null : await resyncClocks(db, tx, id);
    return { ev, next, notified };
  });
  afterCommit(db, after.next, after.notified);
  return after.ev;
}

/** Tells a newly set assignee (not the one who set it) that the ticket is theirs. */
async function notifyAssignee(tx: Tx, actor: Actor, t: { id: number; type: string; number: string; title: string; priority: number; orgId: number; assigneeId: number | null }, newAssignee: number | null | undefined): Promise<boolean> {
  if (!newAssignee || newAssignee === t.assigneeId || newAssignee === actor.userId) return false;
  await notify(tx, {
    event: 'ticket.assigned',
    userIds: [newAssignee],
    params: { number: t.number, title: t.title, priority: `P${t.priority}`, actor: actor.displayName },
    ticketId: t.id,
    orgId: t.orgId,
    link: ticketLink(t.type, t.id),
  });
  return true;
}

export async function listEvents(db: Db, actor: Actor, id: number) {
  await loadVisible(db, actor, id);
  return qs.listEvents(db, id, actor.permissions.has('ticket.internal'));
}

/** Closes incidents resolved longer ago than the configured days (runs from the job loop). */
export async function autoClose(db: Db, actor: Actor, days: number, batch = 200): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await qs.dueForAutoClose(tx, days, batch);
    for (const t of due) {
      await qs.updateTicketVersioned(tx, Number(t.id), Number(t.version), { state: 'closed', stateCategory: 'closed', closedAt: new Date() });
    }
    await qs.insertEvents(
      tx,
      due.map((t) => ({ ticketId: Number(t.id), kind: 'transition', actorId: null, data: { action: 'close', from: 'resolved', to: 'closed', auto: true, afterDays: days } })),
    );
    for (const t of due) {
      await recordAudit(tx, { actor, action: 'ticket.auto_close', objectType: 'ticket', objectId: Number(t.id), result: 'success', details: { afterDays: days } });
    }
    return due.length;
  });
}

