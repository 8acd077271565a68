import type { z } from 'zod';
import type {
  createSparePartMovementRequestSchema,
  createSparePartRequestSchema,
  createSparePartTestRequestSchema,
  Role,
  SparePart,
  SparePartDetail,
  SparePartMovement,
  SparePartMovementResult,
  sparePartListQuerySchema,
  SparePartTest,
  updateSparePartRequestSchema,
} from '@tianshu/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { ROLE_PERMISSIONS } from '../../platform/auth/rbac.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { localDate } from './assets.service.ts';
import * as qs from './spare-parts.queries.ts';

const isCustomer = (actor: Actor) => actor.orgKind === 'customer' || actor.roles.includes('customer');

/** Staff see the provider's shared stock and the parts of the organisations they serve; customers their own organisation's parts. */
async function partScope(q: Queryable, actor: Actor): Promise<qs.PartScope> {
  return { orgIds: await ticketOrgScope(q, actor), shared: !isCustomer(actor) };
}
const partVisible = (s: qs.PartScope, orgId: number | null) => (orgId === null ? s.shared : inScope(s.orgIds, orgId));

const ROLES = Object.keys(ROLE_PERMISSIONS) as Role[];
/** Roles that manage stock, and those of them that see every organisation (as in ticketOrgScope). */
const MANAGE_ROLES = ROLES.filter((r) => r !== 'customer' && ROLE_PERMISSIONS[r].includes('asset.manage'));
const WIDE_ROLES = MANAGE_ROLES.filter((r) => r === 'agent' || r === 'manager' || r === 'system_admin');

function dto(p: qs.PartRow, orgName: string | null, today: string): SparePart {
  return {
    id: p.id,
    partNumber: p.partNumber,
    name: p.name,
    category: p.category,
    model: p.model,
    unit: p.unit,
    minStock: p.minStock,
    orgId: p.orgId,
    orgName,
    notes: p.notes,
    totalQuantity: p.totalQuantity,
    belowMinimum: p.totalQuantity < p.minStock,
    nextTestDue: p.nextTestDue,
    testOverdue: p.nextTestDue !== null && p.nextTestDue < today,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

async function detail(q: Queryable, id: number): Promise<SparePartDetail> {
  const r = await qs.findPart(q, id);
  if (!r) throw new AppError('NOT_FOUND', { object: 'spare part' });
  const stock = await qs.stockOf(q, id);
  return {
    ...dto(r.p, r.orgName, localDate(new Date())),
    stock: stock.map((s) => ({ location: s.location, quantity: s.quantity, updatedAt: s.updatedAt.toISOString() })),
  };
}

async function loadVisible(q: Queryable, actor: Actor, id: number): Promise<qs.PartRow> {
  const r = await qs.findPart(q, id);
  if (!r || !partVisible(await partScope(q, actor), r.p.orgId)) {
    if (r) await recordAudit(q, { actor, action: 'access.denied', objectType: 'spare_part', objectId: id, result: 'denied', details: { reason: 'out of tenant scope' } });
    throw new AppError('NOT_FOUND', { object: 'spare part' });
  }
  return r.p;
}

const isUniqueViolation = (err: unknown): boolean => {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code === '23505') return true;
  return false;
};

/**
 * The low-stock rule, run in the transaction that changed the stock or the minimum (the part row is
 * locked): one notification when the total drops below the minimum, none while it stays below, and
 * the flag clears when stock recovers so the next dip notifies again.
 */
async function applyLowStock(tx: Queryable, p: qs.PartRow): Promise<void> {
  const below = p.totalQuantity < p.minStock;
  if (below && !p.lowStockNotified) {
    await notify(tx, {
      event: 'spare_part.low_stock',
      userIds: await qs.stockKeeperIds(tx, p.orgId, MANAGE_ROLES, WIDE_ROLES),
      params: { name: p.name, partNumber: p.partNumber, total: p.totalQuantity, min: p.minStock, unit: p.unit },
      orgId: p.orgId,
      link: `/spare-parts/${p.id}`,
    });
    await qs.updatePart(tx, p.id, { lowStockNotified: true });
  } else if (!below && p.lowStockNotified) {
    await qs.updatePart(tx, p.id, { lowStockNotified: false });
  }
}

export async function createPart(db: Db, actor: Actor, input: z.output<typeof createSparePartRequestSchema>): Promise<SparePartDetail> {
  try {
    return await db.transaction(async (tx) => {
      if (input.orgId !== null && (!(await qs.orgExists(tx, input.orgId)) || !inScope(await ticketOrgScope(tx, actor), input.orgId))) {
        throw new AppError('REFERENCE_INVALID', { object: 'organisation' });
      }
      if (await qs.partNumberTaken(tx, input.partNumber, null)) throw new AppError('SPARE_PART_NUMBER_TAKEN', { partNumber: input.partNumber });
      const p = await qs.insertPart(tx, input);
      await recordAudit(tx, {
        actor,
        action: 'spare_part.create',
        objectType: 'spare_part',
        objectId: p.id,
        result: 'success',
        details: { partNumber: p.partNumber, name: p.name, orgId: p.orgId, minStock: p.minStock },
      });
      // A new part with a minimum and no stock yet is below it from the start.
      await applyLowStock(tx, p);
      return detail(tx, p.id);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('SPARE_PART_NUMBER_TAKEN', { partNumber: input.partNumber });
    throw err;
  }
}

export async function updatePart(db: Db, actor: Actor, id: number, input: z.output<typeof updateSparePartRequestSchema>): Promise<SparePartDetail> {
  await loadVisible(db, actor, id);
  try {
    return await db.transaction(async (tx) => {
      const p = await qs.lockPart(tx, id);
      if (!p) throw new AppError('NOT_FOUND', { object: 'spare part' });
      if (p.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: p.version }, { currentVersion: p.version });
      const { version: _v, ...rest } = input;
      const patch = Object.fromEntries(Object.entries(rest).filter(([k, v]) => v !== undefined && v !== p[k as keyof qs.PartRow])) as Partial<qs.PartInsert>;
      if (!Object.keys(patch).length) return detail(tx, id);
      if (patch.partNumber !== undefined && (await qs.partNumberTaken(tx, patch.partNumber, id))) {
        throw new AppError('SPARE_PART_NUMBER_TAKEN', { partNumber: patch.partNumber });
      }
      const next = await qs.updatePart(tx, id, { ...patch, version: p.version + 1 });
      await recordAudit(tx, {
        actor,
        action: 'spare_part.update',
        objectType: 'spare_part',
        objectId: id,
        result: 'success',
        details: { version: next.version, changes: Object.keys(patch).map((k) => ({ field: k, from: p[k as keyof qs.PartRow], to: next[k as keyof qs.PartRow] })) },
      });
      await applyLowStock(tx, next);
      return detail(tx, id);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('SPARE_PART_NUMBER_TAKEN', { partNumber: input.partNumber ?? '' });
    throw err;
  }
}

const invalid = (reasonZh: string, reasonEn: string) => new AppError('SPARE_PART_MOVEMENT_INVALID', { reasonZh, reasonEn });

/** Which locations a movement takes from and puts to, and how the part's total changes. */
export function planMovement(m: { kind: 'in' | 'out' | 'transfer' | 'adjust'; quantity: number; fromLocation: string | null; toLocation: string | null; reason: string }): {
  from: string | null;
  to: string | null;
  delta: number;
} {
  const { kind, fromLocation: from, toLocation: to, quantity: n } = m;
  switch (kind) {
    case 'in':
      if (!to || from) throw invalid('入库需填写目标库位（且不填来源库位）', 'a stock-in needs a destination location only');
      return { from: null, to, delta: n };
    case 'out':
      if (!from || to) throw invalid('出库需填写来源库位（且不填目标库位）', 'a stock-out needs a source location only');
      return { from, to: null, delta: -n };
    case 'transfer':
      if (!from || !to) throw invalid('调拨需填写来源库位和目标库位', 'a transfer needs a source and a destination location');
      if (from === to) throw invalid('调拨的来源与目标库位不能相同', 'a transfer needs two different locations');
      return { from, to, delta: 0 };
    case 'adjust':
      if (!m.reason.trim()) throw invalid('盘点调整需填写原因', 'an adjustment needs a reason');
      if ((from === null) === (to === null)) throw invalid('盘点调整填写目标库位（盘盈）或来源库位（盘亏）之一', 'an adjustment names either a destination (gain) or a source (loss) location');
      return { from, to, delta: to ? n : -n };
  }
}

export async function recordMovement(db: Db, actor: Actor, id: number, input: z.output<typeof createSparePartMovementRequestSchema>): Promise<SparePartMovementResult> {
  await loadVisible(db, actor, id);
  const plan = planMovement(input);
  return db.transaction(async (tx) => {
    // The part row lock orders movements of one part, so the total and the low-stock crossing are exact.
    const p = await qs.lockPart(tx, id);
    if (!p) throw new AppError('NOT_FOUND', { object: 'spare part' });
    if (input.ticketId !== null) {
      const org = await qs.ticketOrg(tx, input.ticketId);
      if (org === undefined || !inScope(await ticketOrgScope(tx, actor), org)) throw new AppError('REFERENCE_INVALID', { object: 'ticket' });
    }
    if (plan.from !== null && !(await qs.takeStock(tx, id, plan.from, input.quantity))) {
      throw new AppError('SPARE_PART_STOCK_INSUFFICIENT', { location: plan.from, available: await qs.quantityAt(tx, id, plan.from), requested: input.quantity });
    }
    if (plan.to !== null) await qs.putStock(tx, id, plan.to, input.quantity);
    const next = plan.delta === 0 ? p : await qs.updatePart(tx, id, { totalQuantity: p.totalQuantity + plan.delta });
    const m = await qs.insertMovement(tx, {
      partId: id,
      kind: input.kind,
      quantity: input.quantity,
      fromLocation: plan.from,
      toLocation: plan.to,
      reason: input.reason,
      ticketId: input.ticketId,
      actorId: actor.userId > 0 ? actor.userId : null,
    });
    await recordAudit(tx, {
      actor,
      action: 'spare_part.movement',
      objectType: 'spare_part',
      objectId: id,
      result: 'success',
      details: { movementId: m.id, kind: m.kind, quantity: m.quantity, from: m.fromLocation, to: m.toLocation, ticketId: m.ticketId, total: next.totalQuantity },
    });
    await applyLowStock(tx, next);
    return {
      movement: { ...m, at: m.at.toISOString(), actorName: actor.displayName },
      part: await detail(tx, id),
    };
  });
}

export async function recordTest(db: Db, actor: Actor, id: number, input: z.output<typeof createSparePartTestRequestSchema>): Promise<SparePartTest> {
  await loadVisible(db, actor, id);
  if (input.testedAt > localDate(new Date())) throw new AppError('VALIDATION_FAILED', { summary: 'testedAt: 测试日期不能晚于今天 / cannot be in the future' });
  if (input.nextDue !== null && input.nextDue <= input.testedAt) throw new AppError('TIME_RANGE_INVALID');
  return db.transaction(async (tx) => {
    const p = await qs.lockPart(tx, id);
    if (!p) throw new AppError('NOT_FOUND', { object: 'spare part' });
    const t = await qs.insertTest(tx, { partId: id, testedAt: input.testedAt, result: input.result, note: input.note, nextDue: input.nextDue, testedBy: actor.userId > 0 ? actor.userId : null });
    await qs.updatePart(tx, id, { nextTestDue: await qs.latestNextDue(tx, id) });
    await recordAudit(tx, {
      actor,
      action: 'spare_part.test',
      objectType: 'spare_part',
      objectId: id,
      result: 'success',
      details: { testId: t.id, testedAt: t.testedAt, result: t.result, nextDue: t.nextDue },
    });
    return { ...t, testedByName: actor.userId > 0 ? actor.displayName : null, createdAt: t.createdAt.toISOString() };
  });
}

export async function getPart(db: Db, actor: Actor, id: number): Promise<SparePartDetail> {
  await loadVisible(db, actor, id);
  return detail(db, id);
}

export async function listParts(db: Db, actor: Actor, query: z.output<typeof sparePartListQuerySchema>, now: Date = new Date()) {
  const today = localDate(now);
  const r = await qs.listParts(db, {
    scope: await partScope(db, actor),
    ...(query.orgId !== undefined ? { org: query.orgId } : {}),
    ...(query.category ? { category: query.category } : {}),
    ...(query.q ? { text: query.q } : {}),
    ...(query.belowMinimum ? { belowMinimum: true } : {}),
    ...(query.testOverdue ? { testOverdueBefore: today } : {}),
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: r.items.map((x) => dto(x.p, x.orgName, today)), total: r.total, page: query.page, pageSize: query.pageSize };
}

export async function listMovements(db: Db, actor: Actor, id: number): Promise<SparePartMovement[]> {
  await loadVisible(db, actor, id);
  return (await qs.movementsOf(db, id, 200)).map(({ m, actorName }) => ({ ...m, at: m.at.toISOString(), actorName }));
}

export async function listTests(db: Db, actor: Actor, id: number): Promise<SparePartTest[]> {
  await loadVisible(db, actor, id);
  return (await qs.testsOf(db, id)).map(({ t, testedByName }) => ({ ...t, testedByName, createdAt: t.createdAt.toISOString() }));
}

export async function listLocations(db: Db, actor: Actor): Promise<string[]> {
  const s = await partScope(db, actor);
  if (s.orgIds === null && s.shared) return qs.distinctLocations(db, null);
  const visible = await qs.listParts(db, { scope: s, limit: 10_000, offset: 0 });
  return qs.distinctLocations(db, visible.items.map((x) => x.p.id));
}
