import net from 'node:net';
import type { Ci, CiDiff, CiVersion, ciListQuerySchema, createCiRequestSchema, updateCiRequestSchema } from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { diffSnapshots, renderName, validateAttributes } from './attribute-validation.ts';
import { effectiveAttributes, effectiveNamingRule, loadTree, subtreeIds, type ClassTree } from './ci-classes.service.ts';
import * as qs from './cmdb.queries.ts';

const IDENTIFIERS: Record<qs.IdentifierColumn, { en: string; zh: string; constraint: string }> = {
  serialNumber: { en: 'serial number', zh: '序列号', constraint: 'ci_items_serial_number_uq' },
  assetTag: { en: 'asset tag', zh: '资产编号', constraint: 'ci_items_asset_tag_uq' },
  cloudId: { en: 'cloud id', zh: '云资源 ID', constraint: 'ci_items_cloud_id_uq' },
  hostname: { en: 'hostname', zh: '主机名', constraint: 'ci_items_org_hostname_uq' },
  ip: { en: 'IP address', zh: 'IP 地址', constraint: 'ci_items_org_ip_uq' },
};
const IDENTIFIER_COLUMNS = Object.keys(IDENTIFIERS) as qs.IdentifierColumn[];

export type Snapshot = {
  classId: number;
  name: string;
  orgId: number;
  ownerUserId: number | null;
  ownerGroupId: number | null;
  location: string | null;
  importance: qs.CiRow['importance'];
  status: qs.CiRow['status'];
  serialNumber: string | null;
  assetTag: string | null;
  hostname: string | null;
  ip: string | null;
  cloudId: string | null;
  attributes: Record<string, unknown>;
};

export const snapshotOf = (r: qs.CiRow): Snapshot => ({
  classId: r.classId,
  name: r.name,
  orgId: r.orgId,
  ownerUserId: r.ownerUserId,
  ownerGroupId: r.ownerGroupId,
  location: r.location,
  importance: r.importance,
  status: r.status,
  serialNumber: r.serialNumber,
  assetTag: r.assetTag,
  hostname: r.hostname,
  ip: r.ip,
  cloudId: r.cloudId,
  attributes: (r.attributes ?? {}) as Record<string, unknown>,
});

function dto(tree: ClassTree, r: qs.CiRow): Ci {
  const c = tree.byId.get(r.classId);
  return {
    id: r.id,
    classKey: c?.key ?? '',
    className: c?.name ?? '',
    ...snapshotOf(r),
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const constraintOf = (err: unknown): string | null => {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return String((e as { constraint?: unknown }).constraint ?? '');
  }
  return null;
};

/** A unique-index race lost to a concurrent writer: the same answer as the check before the write. */
function mapUniqueViolation(err: unknown, s: Partial<Snapshot>): never {
  const c = constraintOf(err);
  if (c !== null) {
    const col = IDENTIFIER_COLUMNS.find((k) => IDENTIFIERS[k].constraint === c) ?? IDENTIFIER_COLUMNS.find((k) => s[k]);
    if (col) throw new AppError('CMDB_IDENTIFIER_TAKEN', { identifier: IDENTIFIERS[col].en, identifierZh: IDENTIFIERS[col].zh, value: String(s[col] ?? '') });
  }
  throw err;
}

const attributeError = (issues: { key: string; zh: string; en: string }[]) => {
  const first = issues[0];
  return new AppError('CMDB_ATTRIBUTE_INVALID', { key: first?.key ?? '', reasonZh: first?.zh ?? '', reasonEn: first?.en ?? '' }, { issues });
};

/** A CI the actor may see, else 404 (and an audit row when it exists but is out of scope). */
export async function loadVisibleCi(db: Db, actor: Actor, id: number): Promise<qs.CiRow> {
  const row = await qs.findCi(db, id);
  const scope = await ticketOrgScope(db, actor);
  if (!row || !inScope(scope, row.orgId)) {
    if (row) await recordAudit(db, { actor, action: 'access.denied', objectType: 'ci', objectId: id, result: 'denied', details: { reason: 'out of tenant scope' } });
    throw new AppError('NOT_FOUND', { object: 'CI' });
  }
  return row;
}

/**
 * Everything a write must satisfy, checked inside the write's transaction (nothing is saved when one
 * fails): references, attribute values against the class schema, identifiers and unique attributes.
 */
async function checkCi(
  tx: Queryable,
  actor: Actor,
  tree: ClassTree,
  s: Snapshot,
  before: Snapshot | null,
  exceptId: number | null,
  changeTicketId: number | null | undefined,
): Promise<void> {
  const scope = await ticketOrgScope(tx, actor);
  if ((!before || before.orgId !== s.orgId) && (!(await qs.orgExists(tx, s.orgId)) || !inScope(scope, s.orgId))) {
    throw new AppError('REFERENCE_INVALID', { object: 'organisation' });
  }
  // Relations never cross organisations: a CI moves only without relations to CIs left behind.
  if (before && exceptId !== null && before.orgId !== s.orgId && (await qs.relatedOutsideOrg(tx, exceptId, s.orgId))) {
    throw new AppError('CMDB_RELATION_CROSS_ORG');
  }
  if (s.ownerUserId !== null && s.ownerUserId !== before?.ownerUserId && !(await qs.userExists(tx, s.ownerUserId))) {
    throw new AppError('REFERENCE_INVALID', { object: 'owner' });
  }
  if (s.ownerGroupId !== null && s.ownerGroupId !== before?.ownerGroupId && !(await qs.groupExists(tx, s.ownerGroupId))) {
    throw new AppError('REFERENCE_INVALID', { object: 'group' });
  }
  if (changeTicketId) {
    const org = await qs.ticketOrg(tx, changeTicketId);
    if (org === undefined || !inScope(scope, org)) throw new AppError('REFERENCE_INVALID', { object: 'change ticket' });
  }
  if (s.ip !== null && net.isIP(s.ip) === 0) {
    throw new AppError('CMDB_ATTRIBUTE_INVALID', { key: 'ip', reasonZh: '应为有效的 IPv4 或 IPv6 地址', reasonEn: 'must be a valid IPv4 or IPv6 address' });
  }
  const schema = effectiveAttributes(tree, s.classId);
  // Reference attributes: a CI of the named class or a subclass, in an organisation the caller sees.
  for (const a of schema) {
    const v = s.attributes[a.key];
    if (a.type !== 'reference' || v === undefined || (before && before.attributes[a.key] === v)) continue;
    const ref = tree.byKey.get(a.refClassKey ?? '');
    const [target] = await qs.findCis(tx, [Number(v)]);
    if (!ref || !target || target.id === exceptId || !subtreeIds(tree, ref.id).includes(target.classId) || !inScope(scope, target.orgId)) {
      throw new AppError('REFERENCE_INVALID', { object: `CI (${a.key})` });
    }
  }
  for (const col of IDENTIFIER_COLUMNS) {
    const v = s[col];
    if (v === null) continue;
    const unchanged = before !== null && before[col] === v && (col === 'hostname' || col === 'ip' ? before.orgId === s.orgId : true);
    if (!unchanged && (await qs.identifierTaken(tx, col, v, s.orgId, exceptId))) {
      throw new AppError('CMDB_IDENTIFIER_TAKEN', { identifier: IDENTIFIERS[col].en, identifierZh: IDENTIFIERS[col].zh, value: v });
    }
  }
  // Unique attributes: within the class that defines the attribute and all its subclasses.
  for (const a of schema) {
    const v = s.attributes[a.key];
    if (!a.unique || v === undefined || (before && before.classId === s.classId && JSON.stringify(before.attributes[a.key]) === JSON.stringify(v))) continue;
    const definer = tree.byKey.get(a.definedBy);
    if (!definer) continue;
    await qs.lockUniqueAttribute(tx, definer.id, a.key);
    if (await qs.attributeValueTaken(tx, subtreeIds(tree, definer.id), a.key, v, exceptId)) {
      throw new AppError('CMDB_ATTRIBUTE_INVALID', {
        key: a.key,
        reasonZh: `值“${String(v)}”已被同类配置项使用（该属性要求唯一）`,
        reasonEn: `the value "${String(v)}" is already used by another CI of this class (the attribute is unique)`,
      });
    }
  }
}

export async function createCi(db: Db, actor: Actor, input: z.output<typeof createCiRequestSchema>): Promise<Ci> {
  const s: Partial<Snapshot> = { ...input };
  try {
    const row = await db.transaction(async (tx) => {
      const tree = await loadTree(tx);
      if (!tree.byId.has(input.classId)) throw new AppError('REFERENCE_INVALID', { object: 'CI class' });
      const v = validateAttributes(effectiveAttributes(tree, input.classId), input.attributes);
      if (v.issues.length) throw attributeError(v.issues);
      const base = { ...input, attributes: v.values };
      const rule = effectiveNamingRule(tree, input.classId);
      const name = input.name ?? (rule ? renderName(rule, base) : null);
      if (!name) throw new AppError('FIELD_REQUIRED', { fields: 'name' });
      const snap: Snapshot = {
        classId: input.classId,
        name,
        orgId: input.orgId,
        ownerUserId: input.ownerUserId,
        ownerGroupId: input.ownerGroupId,
        location: input.location,
        importance: input.importance,
        status: input.status,
        serialNumber: input.serialNumber,
        assetTag: input.assetTag,
        hostname: input.hostname,
        ip: input.ip === null ? null : input.ip.toLowerCase(),
        cloudId: input.cloudId,
        attributes: v.values,
      };
      await checkCi(tx, actor, tree, snap, null, null, input.changeTicketId);
      const ci = await qs.insertCi(tx, snap);
      const changes = diffSnapshots({}, snap as unknown as Record<string, unknown>);
      await qs.insertVersion(tx, {
        ciId: ci.id,
        version: 1,
        changedBy: actor.userId > 0 ? actor.userId : null,
        changeTicketId: input.changeTicketId,
        changes,
        snapshot: snap,
      });
      await recordAudit(tx, {
        actor,
        action: 'cmdb.ci.create',
        objectType: 'ci',
        objectId: ci.id,
        result: 'success',
        details: { name: ci.name, classId: ci.classId, orgId: ci.orgId, changeTicketId: input.changeTicketId },
      });
      return dto(tree, ci);
    });
    return row;
  } catch (err) {
    return mapUniqueViolation(err, s);
  }
}

async function writeCi(
  db: Db,
  actor: Actor,
  id: number,
  expectedVersion: number | null,
  apply: (before: Snapshot, tree: ClassTree) => { next: Snapshot; changeTicketId: number | null },
  action: string,
): Promise<Ci> {
  await loadVisibleCi(db, actor, id);
  let attempted: Partial<Snapshot> = {};
  try {
    return await db.transaction(async (tx) => {
      const row = await qs.lockCi(tx, id);
      if (!row) throw new AppError('NOT_FOUND', { object: 'CI' });
      if (expectedVersion !== null && row.version !== expectedVersion) throw new AppError('VERSION_CONFLICT', { current: row.version }, { currentVersion: row.version });
      const tree = await loadTree(tx);
      const before = snapshotOf(row);
      const { next, changeTicketId } = apply(before, tree);
      attempted = next;
      const changes = diffSnapshots(before as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
      if (!changes.length) return dto(tree, row);
      await checkCi(tx, actor, tree, next, before, id, changeTicketId);
      const updated = await qs.updateCi(tx, id, { ...next, version: row.version + 1 });
      await qs.insertVersion(tx, {
        ciId: id,
        version: updated.version,
        changedBy: actor.userId > 0 ? actor.userId : null,
        changeTicketId,
        changes,
        snapshot: next,
      });
      await recordAudit(tx, {
        actor,
        action,
        objectType: 'ci',
        objectId: id,
        result: 'success',
        details: { version: updated.version, fields: changes.map((c) => c.field), changeTicketId },
      });
      return dto(tree, updated);
    });
  } catch (err) {
    return mapUniqueViolation(err, attempted);
  }
}

export async function updateCi(db: Db, actor: Actor, id: number, input: z.output<typeof updateCiRequestSchema>): Promise<Ci> {
  return writeCi(
    db,
    actor,
    id,
    input.version,
    (before, tree) => {
      const v = validateAttributes(effectiveAttributes(tree, before.classId), input.attributes ?? {}, before.attributes);
      if (v.issues.length) throw attributeError(v.issues);
      const next: Snapshot = { ...before, attributes: v.values };
      for (const k of ['name', 'orgId', 'ownerUserId', 'ownerGroupId', 'location', 'importance', 'status', 'serialNumber', 'assetTag', 'hostname', 'cloudId'] as const) {
        if (input[k] !== undefined) (next as Record<string, unknown>)[k] = input[k];
      }
      if (input.ip !== undefined) next.ip = input.ip === null ? null : input.ip.toLowerCase();
      return { next, changeTicketId: input.changeTicketId ?? null };
    },
    'cmdb.ci.update',
  );
}

/** DELETE retires a CI: it stays with its history (tickets and relations may still point to it). */
export async function retireCi(db: Db, actor: Actor, id: number): Promise<Ci> {
  return writeCi(db, actor, id, null, (before) => ({ next: { ...before, status: 'retired' }, changeTicketId: null }), 'cmdb.ci.retire');
}

export async function getCi(db: Db, actor: Actor, id: number): Promise<Ci> {
  const row = await loadVisibleCi(db, actor, id);
  return dto(await loadTree(db), row);
}

export async function listCis(db: Db, actor: Actor, query: z.output<typeof ciListQuerySchema>) {
  const tree = await loadTree(db);
  const scope = await ticketOrgScope(db, actor);
  let orgIds = scope;
  if (query.orgId !== undefined) orgIds = inScope(scope, query.orgId) ? [query.orgId] : [];
  const classIds = query.classId !== undefined ? (tree.byId.has(query.classId) ? subtreeIds(tree, query.classId) : []) : undefined;
  let attr: { key: string; value: string } | undefined;
  if (query.attrKey !== undefined && query.attrValue !== undefined && query.classId !== undefined) {
    const def = tree.byId.has(query.classId) ? effectiveAttributes(tree, query.classId).find((a) => a.key === query.attrKey) : undefined;
    if (!def) throw new AppError('CMDB_ATTRIBUTE_INVALID', { key: query.attrKey, reasonZh: '不是该类别的属性', reasonEn: 'is not an attribute of this class' });
    attr = { key: query.attrKey, value: query.attrValue };
  }
  const r = await qs.listCis(db, {
    ...(attr ? { attr } : {}),
    ...(classIds ? { classIds } : {}),
    orgIds,
    ...(query.status ? { status: query.status } : {}),
    ...(query.q ? { text: query.q } : {}),
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: r.items.map((x) => dto(tree, x)), total: r.total, page: query.page, pageSize: query.pageSize };
}

export async function listVersions(db: Db, actor: Actor, id: number): Promise<CiVersion[]> {
  await loadVisibleCi(db, actor, id);
  return (await qs.versionsOf(db, id)).map((r) => ({
    version: r.v.version,
    changedBy: r.v.changedBy,
    changedByName: r.changedByName,
    changedAt: r.v.changedAt.toISOString(),
    changeTicketId: r.v.changeTicketId,
    changes: r.v.changes as CiVersion['changes'],
    snapshot: r.v.snapshot as Record<string, unknown>,
  }));
}

export async function diffVersions(db: Db, actor: Actor, id: number, from: number, to: number): Promise<CiDiff> {
  await loadVisibleCi(db, actor, id);
  const pair = await qs.versionPair(db, id, from, to);
  const a = pair.find((v) => v.version === from);
  const b = pair.find((v) => v.version === to);
  if (!a || !b) throw new AppError('NOT_FOUND', { object: 'CI version' });
  return { from, to, changes: diffSnapshots(a.snapshot as Record<string, unknown>, b.snapshot as Record<string, unknown>) };
}
