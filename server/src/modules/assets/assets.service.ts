import type { z } from 'zod';
import type {
  Asset,
  AssetEvent,
  AssetStatus,
  assetListQuerySchema,
  assetTransitionRequestSchema,
  createAssetRequestSchema,
  updateAssetRequestSchema,
} from '@tianshu/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { checkTransition, formatAssetTag, STATUS_ZH } from './asset-lifecycle.ts';
import * as qs from './assets.queries.ts';

/** The editable fields of an asset: what a write compares, checks and records. */
const FIELDS = [
  'assetTag',
  'name',
  'kind',
  'orgId',
  'ciId',
  'category',
  'model',
  'manufacturer',
  'serialNumber',
  'department',
  'userId',
  'location',
  'importance',
  'purchaseDate',
  'purchasePrice',
  'warrantyEnd',
  'vendorId',
  'contractId',
  'notes',
] as const;
type Field = (typeof FIELDS)[number];
type Snapshot = Pick<qs.AssetRow, Field>;

const snapshotOf = (r: qs.AssetRow): Snapshot => Object.fromEntries(FIELDS.map((k) => [k, r[k]])) as Snapshot;

/** Dates shown and compared in the provider's time zone (China has one). */
const ZONE = 'Asia/Shanghai';
export function localDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** numeric(14,2) comes back as "12999.00" from both drivers; normalise anyway so the API always shows 2 decimals. */
export function money(v: string | null): string | null {
  if (v === null) return null;
  const [int = '0', frac = ''] = v.split('.');
  return `${int.replace(/^0+(?=\d)/, '')}.${(frac + '00').slice(0, 2)}`;
}

export function dto(v: qs.AssetView): Asset {
  const a = v.a;
  return {
    id: a.id,
    assetTag: a.assetTag,
    name: a.name,
    kind: a.kind,
    orgId: a.orgId,
    orgName: v.orgName,
    ciId: a.ciId,
    ciName: v.ciName,
    status: a.status,
    category: a.category,
    model: a.model,
    manufacturer: a.manufacturer,
    serialNumber: a.serialNumber,
    department: a.department,
    userId: a.userId,
    userName: v.userName,
    location: a.location,
    importance: a.importance,
    purchaseDate: a.purchaseDate,
    purchasePrice: money(a.purchasePrice),
    warrantyEnd: a.warrantyEnd,
    vendorId: a.vendorId,
    vendorName: v.vendorName,
    contractId: a.contractId,
    contractNumber: v.contractNumber,
    notes: a.notes,
    wipeConfirmedBy: a.wipeConfirmedBy,
    wipeConfirmedByName: v.wipeConfirmedByName,
    wipeConfirmedAt: a.wipeConfirmedAt ? a.wipeConfirmedAt.toISOString() : null,
    wipeMethod: a.wipeMethod,
    wipeCertificate: a.wipeCertificate,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

async function view(q: Queryable, id: number): Promise<Asset> {
  const v = await qs.findAssetView(q, id);
  if (!v) throw new AppError('NOT_FOUND', { object: 'asset' });
  return dto(v);
}

const constraintOf = (err: unknown): string | null => {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return String((e as { constraint?: unknown }).constraint ?? '');
  }
  return null;
};

/** A unique index lost to a concurrent writer gives the same answer as the check before the write. */
function mapUniqueViolation(err: unknown, s: Partial<Snapshot>): never {
  const c = constraintOf(err);
  if (c === 'assets_asset_tag_uq') throw new AppError('ASSET_TAG_TAKEN', { tag: s.assetTag ?? '' });
  if (c === 'assets_serial_number_uq') throw new AppError('ASSET_SERIAL_TAKEN', { serial: s.serialNumber ?? '' });
  if (c === 'assets_ci_uq') throw new AppError('ASSET_CI_TAKEN', { tag: '' });
  throw err;
}

/** An asset the actor may see, else 404 (with an audit row when it exists but is out of scope). */
async function loadVisible(db: Queryable, actor: Actor, id: number): Promise<qs.AssetRow> {
  const row = await qs.findAsset(db, id);
  const scope = await ticketOrgScope(db, actor);
  if (!row || !inScope(scope, row.orgId)) {
    if (row) await recordAudit(db, { actor, action: 'access.denied', objectType: 'asset', objectId: id, result: 'denied', details: { reason: 'out of tenant scope' } });
    throw new AppError('NOT_FOUND', { object: 'asset' });
  }
  return row;
}

/** References and uniqueness, checked inside the write's transaction so nothing is saved when one fails. */
async function checkAsset(tx: Queryable, actor: Actor, s: Snapshot, before: Snapshot | null, exceptId: number | null): Promise<void> {
  const scope = await ticketOrgScope(tx, actor);
  const changed = <K extends Field>(k: K) => before === null || before[k] !== s[k];
  if (changed('orgId') && (!(await qs.orgExists(tx, s.orgId)) || !inScope(scope, s.orgId))) {
    throw new AppError('REFERENCE_INVALID', { object: 'organisation' });
  }
  if (s.ciId !== null && (changed('ciId') || changed('orgId'))) {
    const org = await qs.ciOrg(tx, s.ciId);
    if (org === undefined || !inScope(scope, org)) throw new AppError('REFERENCE_INVALID', { object: 'CI' });
    if (org !== s.orgId) throw new AppError('ASSET_CI_CROSS_ORG');
    const other = await qs.assetOfCi(tx, s.ciId, exceptId);
    if (other) throw new AppError('ASSET_CI_TAKEN', { tag: other.assetTag });
  }
  if (s.userId !== null && changed('userId') && !(await qs.activeUserExists(tx, s.userId))) {
    throw new AppError('REFERENCE_INVALID', { object: 'user' });
  }
  if (s.vendorId !== null && changed('vendorId') && !(await qs.vendorExists(tx, s.vendorId))) {
    throw new AppError('REFERENCE_INVALID', { object: 'vendor' });
  }
  if (s.contractId !== null && (changed('contractId') || changed('vendorId') || changed('orgId'))) {
    const c = await qs.findContract(tx, s.contractId);
    if (!c) throw new AppError('REFERENCE_INVALID', { object: 'contract' });
    // The contract names its vendor; a contract for a customer covers only that customer's assets.
    if ((s.vendorId !== null && c.vendorId !== s.vendorId) || (c.orgId !== null && c.orgId !== s.orgId)) {
      throw new AppError('ASSET_CONTRACT_VENDOR_MISMATCH');
    }
  }
  if (s.purchaseDate !== null && s.warrantyEnd !== null && s.warrantyEnd < s.purchaseDate) {
    throw new AppError('TIME_RANGE_INVALID');
  }
  if (changed('assetTag') && (await qs.tagTaken(tx, s.assetTag, exceptId))) throw new AppError('ASSET_TAG_TAKEN', { tag: s.assetTag });
  if (s.serialNumber !== null && changed('serialNumber') && (await qs.serialTaken(tx, s.serialNumber, exceptId))) {
    throw new AppError('ASSET_SERIAL_TAKEN', { serial: s.serialNumber });
  }
}

/** A free generated tag: the sequence never repeats, but someone may have typed that tag by hand. */
async function generateTag(tx: Queryable, now: Date): Promise<string> {
  const year = Number(localDate(now).slice(0, 4));
  for (;;) {
    const tag = formatAssetTag(year, await qs.nextTagNumber(tx));
    if (!(await qs.tagTaken(tx, tag, null))) return tag;
  }
}

const actorId = (actor: Actor) => (actor.userId > 0 ? actor.userId : null);

function changesOf(before: Snapshot, next: Snapshot) {
  return FIELDS.filter((k) => before[k] !== next[k]).map((k) => ({ field: k, from: before[k], to: next[k] }));
}

export async function createAsset(db: Db, actor: Actor, input: z.output<typeof createAssetRequestSchema>): Promise<Asset> {
  let attempted: Partial<Snapshot> = {};
  try {
    return await db.transaction(async (tx) => {
      const s: Snapshot = {
        assetTag: input.assetTag ?? '',
        name: input.name,
        kind: input.kind,
        orgId: input.orgId,
        ciId: input.ciId,
        category: input.category,
        model: input.model,
        manufacturer: input.manufacturer,
        serialNumber: input.serialNumber,
        department: input.department,
        userId: input.userId,
        location: input.location,
        importance: input.importance,
        purchaseDate: input.purchaseDate,
        purchasePrice: input.purchasePrice === null ? null : money(input.purchasePrice),
        warrantyEnd: input.warrantyEnd,
        vendorId: input.vendorId,
        contractId: input.contractId,
        notes: input.notes,
      };
      attempted = s;
      if (input.assetTag === undefined) s.assetTag = await generateTag(tx, new Date());
      await checkAsset(tx, actor, s, null, null);
      const row = await qs.insertAsset(tx, { ...s, status: input.status });
      await qs.insertEvent(tx, { assetId: row.id, kind: 'created', fromStatus: null, toStatus: row.status, actorId: actorId(actor), note: '' });
      await recordAudit(tx, {
        actor,
        action: 'asset.create',
        objectType: 'asset',
        objectId: row.id,
        result: 'success',
        details: { assetTag: row.assetTag, name: row.name, orgId: row.orgId, status: row.status, ciId: row.ciId },
      });
      return view(tx, row.id);
    });
  } catch (err) {
    return mapUniqueViolation(err, attempted);
  }
}

export async function updateAsset(db: Db, actor: Actor, id: number, input: z.output<typeof updateAssetRequestSchema>): Promise<Asset> {
  await loadVisible(db, actor, id);
  let attempted: Partial<Snapshot> = {};
  try {
    return await db.transaction(async (tx) => {
      const row = await qs.lockAsset(tx, id);
      if (!row) throw new AppError('NOT_FOUND', { object: 'asset' });
      if (row.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: row.version }, { currentVersion: row.version });
      const before = snapshotOf(row);
      const next: Snapshot = { ...before };
      for (const k of FIELDS) {
        const v = input[k];
        if (v !== undefined) (next as Record<Field, unknown>)[k] = v;
      }
      if (input.purchasePrice !== undefined) next.purchasePrice = input.purchasePrice === null ? null : money(input.purchasePrice);
      attempted = next;
      const changes = changesOf(before, next);
      if (!changes.length) return view(tx, id);
      await checkAsset(tx, actor, next, before, id);
      const updated = await qs.updateAsset(tx, id, { ...next, version: row.version + 1 });
      const fields = changes.map((c) => c.field);
      await qs.insertEvent(tx, { assetId: id, kind: 'updated', actorId: actorId(actor), note: fields.join(', ') });
      await recordAudit(tx, {
        actor,
        action: 'asset.update',
        objectType: 'asset',
        objectId: id,
        result: 'success',
        details: { version: updated.version, changes },
      });
      return view(tx, id);
    });
  } catch (err) {
    return mapUniqueViolation(err, attempted);
  }
}

/**
 * A lifecycle move. Leaving use (to stock, retired or disposed) clears the user; a move to in use may
 * name the user, department and location. Disposal of hardware records who confirmed the data wipe.
 */
export async function transitionAsset(db: Db, actor: Actor, id: number, input: z.output<typeof assetTransitionRequestSchema>): Promise<Asset> {
  await loadVisible(db, actor, id);
  return db.transaction(async (tx) => {
    const row = await qs.lockAsset(tx, id);
    if (!row) throw new AppError('NOT_FOUND', { object: 'asset' });
    if (input.version !== undefined && row.version !== input.version) {
      throw new AppError('VERSION_CONFLICT', { current: row.version }, { currentVersion: row.version });
    }
    const from: AssetStatus = row.status;
    const to: AssetStatus = input.to;
    const check = checkTransition(row.kind, from, to, input.wipe);
    if (!check.ok) {
      if (check.code === 'ASSET_WIPE_REQUIRED') throw new AppError('ASSET_WIPE_REQUIRED');
      throw new AppError('ASSET_TRANSITION_NOT_ALLOWED', { from, to, fromZh: STATUS_ZH[from], toZh: STATUS_ZH[to] });
    }
    const scope = await ticketOrgScope(tx, actor);
    if (input.ticketId !== null) {
      const org = await qs.ticketOrg(tx, input.ticketId);
      if (org === undefined || !inScope(scope, org)) throw new AppError('REFERENCE_INVALID', { object: 'ticket' });
    }
    const patch: Partial<qs.AssetInsert> = { status: to, version: row.version + 1 };
    if (to === 'in_use') {
      if (input.userId !== undefined) {
        if (input.userId !== null && !(await qs.activeUserExists(tx, input.userId))) throw new AppError('REFERENCE_INVALID', { object: 'user' });
        patch.userId = input.userId;
      }
      if (input.department !== undefined) patch.department = input.department;
    } else if (to === 'in_stock' || to === 'retired' || to === 'disposed') {
      patch.userId = null;
    }
    if (input.location !== undefined) patch.location = input.location;
    if (check.wipe) {
      patch.wipeConfirmedBy = actorId(actor);
      patch.wipeConfirmedAt = new Date();
      patch.wipeMethod = check.wipe.method;
      patch.wipeCertificate = check.wipe.certificate;
    }
    await qs.updateAsset(tx, id, patch);
    await qs.insertEvent(tx, { assetId: id, kind: 'status', fromStatus: from, toStatus: to, actorId: actorId(actor), ticketId: input.ticketId, note: input.note });
    await recordAudit(tx, {
      actor,
      action: 'asset.transition',
      objectType: 'asset',
      objectId: id,
      result: 'success',
      details: {
        from,
        to,
        ticketId: input.ticketId,
        note: input.note,
        version: row.version + 1,
        ...(check.wipe ? { wipeMethod: check.wipe.method, wipeCertificate: check.wipe.certificate } : {}),
      },
    });
    return view(tx, id);
  });
}

export async function getAsset(db: Db, actor: Actor, id: number): Promise<Asset> {
  await loadVisible(db, actor, id);
  return view(db, id);
}

/** Resolves a scanned label: the same visibility as the asset page. */
export async function getAssetByTag(db: Db, actor: Actor, tag: string): Promise<Asset> {
  const hit = await qs.findAssetByTag(db, tag);
  if (!hit) throw new AppError('NOT_FOUND', { object: 'asset' });
  return getAsset(db, actor, hit.id);
}

export async function listAssets(db: Db, actor: Actor, query: z.output<typeof assetListQuerySchema>, now: Date = new Date()) {
  const scope = await ticketOrgScope(db, actor);
  let orgIds = scope;
  if (query.orgId !== undefined) orgIds = inScope(scope, query.orgId) ? [query.orgId] : [];
  const today = localDate(now);
  const r = await qs.listAssets(db, {
    orgIds,
    ...(query.status ? { status: query.status } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.category ? { category: query.category } : {}),
    ...(query.q ? { text: query.q } : {}),
    ...(query.ciId ? { ciId: query.ciId } : {}),
    ...(query.warrantyWithinDays !== undefined ? { warrantyBetween: [today, addDays(today, query.warrantyWithinDays)] as [string, string] } : {}),
    includeDisposed: query.includeDisposed ?? false,
    sort: query.sort,
    order: query.order,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: r.items.map(dto), total: r.total, page: query.page, pageSize: query.pageSize };
}

export async function listEvents(db: Db, actor: Actor, id: number): Promise<AssetEvent[]> {
  await loadVisible(db, actor, id);
  return (await qs.eventsOf(db, id)).map(({ e, actorName }) => ({
    id: e.id,
    kind: e.kind,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    actorId: e.actorId,
    actorName,
    ticketId: e.ticketId,
    note: e.note,
    at: e.at.toISOString(),
  }));
}

export async function listCategories(db: Db, actor: Actor): Promise<string[]> {
  return qs.distinctCategories(db, await ticketOrgScope(db, actor));
}
