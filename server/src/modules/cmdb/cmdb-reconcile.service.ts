import net from 'node:net';
import type { Locale, ReconcileConflictReason, ReconcileItemResult, ReconcileOutcome, ReconcileResult, reconcileRequestSchema } from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { diffSnapshots, renderName, validateAttributes } from './attribute-validation.ts';
import { effectiveAttributes, effectiveNamingRule, loadTree, subtreeIds, type ClassTree } from './ci-classes.service.ts';
import { snapshotOf, type Snapshot } from './ci-items.service.ts';
import { lockUniqueAttribute, type CiRow, type IdentifierColumn } from './cmdb.queries.ts';
import * as rq from './cmdb-reconcile.queries.ts';

/*
 * The reconciliation engine shared by the discovery API and spreadsheet imports. An item finds its CI
 * through the identifiers it carries (serial number, asset tag, cloud id across the CMDB; host name and IP
 * within its organisation; an explicit id from an exported sheet). When they point at two CIs, or at a CI
 * of another class or organisation, the item is a conflict and nothing is written for it. Items without
 * any identifier fall back on their name within the organisation and class. Only CIs whose snapshot
 * changes get a new version.
 */

export const IDENTIFIER_ORDER: readonly IdentifierColumn[] = ['serialNumber', 'assetTag', 'cloudId', 'hostname', 'ip'];

export type EngineFields = Partial<Pick<Snapshot, 'ownerUserId' | 'ownerGroupId' | 'location' | 'importance' | 'status'>>;

export type EngineItem = {
  /** The caller's correlation key (item index, spreadsheet row number). */
  index: number;
  classId: number;
  orgId: number;
  name: string | null;
  /** An explicit CI id (a row exported earlier); must then match that CI. */
  ciId?: number | null;
  identifiers: Partial<Record<IdentifierColumn, string>>;
  /** Merged into the stored attributes: keys not sent keep their value. */
  attributes: Record<string, unknown>;
  fields: EngineFields;
};

export type EngineResult = {
  index: number;
  outcome: ReconcileOutcome;
  ciId: number | null;
  reason?: ReconcileConflictReason;
  zh?: string;
  en?: string;
  /** The attribute a validation conflict is about (the first one), so an import can name the column. */
  field?: string;
};

export type EngineContext = { tree: ClassTree; scope: number[] | null; changedBy: number | null };

const IDENTIFIER_NAMES: Record<IdentifierColumn, { zh: string; en: string }> = {
  serialNumber: { zh: '序列号', en: 'serial number' },
  assetTag: { zh: '资产编号', en: 'asset tag' },
  cloudId: { zh: '云资源 ID', en: 'cloud id' },
  hostname: { zh: '主机名', en: 'hostname' },
  ip: { zh: 'IP 地址', en: 'IP address' },
};

/** Keys that make two items of one batch the same CI. */
function batchKeys(it: EngineItem, fallbackName: string | null): string[] {
  const k: string[] = [];
  if (it.ciId) k.push(`id:${it.ciId}`);
  const ids = it.identifiers;
  if (ids.serialNumber) k.push(`sn:${ids.serialNumber}`);
  if (ids.assetTag) k.push(`at:${ids.assetTag}`);
  if (ids.cloudId) k.push(`cl:${ids.cloudId}`);
  if (ids.hostname) k.push(`h:${it.orgId}:${ids.hostname.toLowerCase()}`);
  if (ids.ip) k.push(`ip:${it.orgId}:${ids.ip.toLowerCase()}`);
  if (!k.length && fallbackName) k.push(`n:${it.orgId}:${it.classId}:${fallbackName}`);
  return k;
}

const hasIdentifiers = (it: EngineItem) => Boolean(it.ciId) || IDENTIFIER_ORDER.some((c) => it.identifiers[c]);

function guessName(tree: ClassTree, it: EngineItem): string | null {
  if (it.name) return it.name;
  const rule = effectiveNamingRule(tree, it.classId);
  return rule ? renderName(rule, { ...it.identifiers, attributes: it.attributes }) : null;
}

type Pending = { it: EngineItem; before: CiRow | null; next: Snapshot };

const storedAttrs = (r: CiRow | null): Record<string, unknown> => (r?.attributes ?? {}) as Record<string, unknown>;

/**
 * Reconciles one batch inside the caller's transaction: a fixed number of statements whatever the
 * batch size. Returns one result per item, in the items' order.
 */
export async function runEngine(tx: Queryable, ctx: EngineContext, items: EngineItem[], attempt = 0): Promise<EngineResult[]> {
  const { tree } = ctx;
  // One schema per class for the whole batch (effectiveAttributes walks the ancestors on every call).
  const schemas = new Map<number, ReturnType<typeof effectiveAttributes>>();
  const schemaOf = (classId: number) => {
    let s = schemas.get(classId);
    if (!s) schemas.set(classId, (s = effectiveAttributes(tree, classId)));
    return s;
  };
  const results = new Map<number, EngineResult>();
  const conflict = (it: EngineItem, reason: ReconcileConflictReason, zh: string, en: string, ciId: number | null = null) =>
    results.set(it.index, { index: it.index, outcome: 'conflict', ciId, reason, zh, en });

  // 1. The same CI twice in one batch: the first wins, later ones are conflicts.
  const seen = new Map<string, number>();
  const live: EngineItem[] = [];
  for (const it of items) {
    const keys = batchKeys(it, hasIdentifiers(it) ? null : guessName(tree, it));
    const dup = keys.find((k) => seen.has(k));
    if (dup !== undefined) {
      const first = seen.get(dup) ?? 0;
      conflict(it, 'duplicate_in_batch', `与第 ${first} 项指向同一配置项`, `points at the same CI as item ${first}`);
      continue;
    }
    for (const k of keys) seen.set(k, it.index);
    live.push(it);
  }

  // 2. Lock the organisations, then find and lock every CI the batch points at.
  await rq.lockOrgs(tx, live.map((it) => it.orgId));
  const keys: rq.MatchKeys = { ids: [], serials: [], assetTags: [], cloudIds: [], hosts: [], ips: [], names: [] };
  for (const it of live) {
    const ids = it.identifiers;
    if (it.ciId) keys.ids.push(it.ciId);
    if (ids.serialNumber) keys.serials.push(ids.serialNumber);
    if (ids.assetTag) keys.assetTags.push(ids.assetTag);
    if (ids.cloudId) keys.cloudIds.push(ids.cloudId);
    if (ids.hostname) keys.hosts.push({ org: it.orgId, v: ids.hostname.toLowerCase() });
    if (ids.ip) keys.ips.push({ org: it.orgId, v: ids.ip.toLowerCase() });
    if (!hasIdentifiers(it)) {
      const n = guessName(tree, it);
      if (n) keys.names.push({ org: it.orgId, cls: it.classId, v: n });
    }
  }
  const found = await rq.matchCandidates(tx, keys);
  const byId = new Map(found.map((r) => [r.id, r]));
  const index = new Map<string, CiRow[]>();
  const put = (k: string, r: CiRow) => index.set(k, [...(index.get(k) ?? []), r]);
  for (const r of found) {
    if (r.serialNumber) put(`sn:${r.serialNumber}`, r);
    if (r.assetTag) put(`at:${r.assetTag}`, r);
    if (r.cloudId) put(`cl:${r.cloudId}`, r);
    if (r.hostname) put(`h:${r.orgId}:${r.hostname.toLowerCase()}`, r);
    if (r.ip) put(`ip:${r.orgId}:${r.ip}`, r);
    put(`n:${r.orgId}:${r.classId}:${r.name}`, r);
  }

  // 3. Match, validate and build the next snapshot of each item.
  const pending: Pending[] = [];
  for (const it of live) {
    const ids = it.identifiers;
    let row: CiRow | null = null;
    if (hasIdentifiers(it)) {
      const hits = new Map<number, { row: CiRow; via: string }>();
      if (it.ciId) {
        const r = byId.get(it.ciId);
        if (!r || !inScope(ctx.scope, r.orgId)) {
          conflict(it, 'ci_not_found', `配置项 #${it.ciId} 不存在或无权访问`, `CI #${it.ciId} does not exist or is out of scope`);
          continue;
        }
        hits.set(r.id, { row: r, via: 'ID' });
      }
      for (const col of IDENTIFIER_ORDER) {
        const v = ids[col];
        if (!v) continue;
        const k = col === 'serialNumber' ? `sn:${v}` : col === 'assetTag' ? `at:${v}` : col === 'cloudId' ? `cl:${v}` : col === 'hostname' ? `h:${it.orgId}:${v.toLowerCase()}` : `ip:${it.orgId}:${v.toLowerCase()}`;
        for (const r of index.get(k) ?? []) if (!hits.has(r.id)) hits.set(r.id, { row: r, via: col });
      }
      if (hits.size > 1) {
        const list = [...hits.values()];
        const zh = list.map((h) => `${h.via === 'ID' ? 'ID' : IDENTIFIER_NAMES[h.via as IdentifierColumn].zh} → #${h.row.id}`).join('，');
        const en = list.map((h) => `${h.via === 'ID' ? 'id' : IDENTIFIER_NAMES[h.via as IdentifierColumn].en} -> #${h.row.id}`).join(', ');
        conflict(it, 'identifiers_split', `标识指向不同的配置项：${zh}`, `the identifiers point at different CIs: ${en}`);
        continue;
      }
      row = [...hits.values()][0]?.row ?? null;
    } else {
      const n = guessName(tree, it);
      const list = n ? (index.get(`n:${it.orgId}:${it.classId}:${n}`) ?? []) : [];
      if (list.length > 1) {
        conflict(it, 'ambiguous_name', `同组织同类别下有 ${list.length} 个名为“${n ?? ''}”的配置项，请提供标识`, `${list.length} CIs of this class and organisation are named "${n ?? ''}"; send an identifier`);
        continue;
      }
      row = list[0] ?? null;
    }
    if (row && (row.orgId !== it.orgId || !inScope(ctx.scope, row.orgId))) {
      conflict(it, 'org_mismatch', `匹配到的配置项 #${row.id} 属于其他组织`, `the matching CI #${row.id} belongs to another organisation`, row.id);
      continue;
    }
    if (row && row.classId !== it.classId) {
      const have = tree.byId.get(row.classId);
      conflict(it, 'class_mismatch', `匹配到的配置项 #${row.id} 属于类别“${have?.name ?? ''}”`, `the matching CI #${row.id} is of class "${have?.key ?? ''}"`, row.id);
      continue;
    }
    const before = row ? snapshotOf(row) : null;
    const v = validateAttributes(schemaOf(it.classId), it.attributes, before?.attributes ?? {});
    if (v.issues.length) {
      conflict(
        it,
        'attribute_invalid',
        v.issues.map((i) => `${i.key}：${i.zh}`).join('；'),
        v.issues.map((i) => `${i.key}: ${i.en}`).join('; '),
        row?.id ?? null,
      );
      const r = results.get(it.index);
      if (r && v.issues[0]) r.field = v.issues[0].key;
      continue;
    }
    if (ids.ip && net.isIP(ids.ip) === 0) {
      conflict(it, 'attribute_invalid', 'ip：应为有效的 IPv4 或 IPv6 地址', 'ip: must be a valid IPv4 or IPv6 address', row?.id ?? null);
      continue;
    }
    const next: Snapshot = {
      classId: it.classId,
      name: '',
      orgId: it.orgId,
      ownerUserId: before?.ownerUserId ?? null,
      ownerGroupId: before?.ownerGroupId ?? null,
      location: before?.location ?? null,
      importance: before?.importance ?? 'normal',
      status: before?.status ?? 'planned',
      serialNumber: ids.serialNumber ?? before?.serialNumber ?? null,
      assetTag: ids.assetTag ?? before?.assetTag ?? null,
      hostname: ids.hostname ?? before?.hostname ?? null,
      ip: ids.ip ? ids.ip.toLowerCase() : (before?.ip ?? null),
      cloudId: ids.cloudId ?? before?.cloudId ?? null,
      attributes: v.values,
    };
    for (const [k, val] of Object.entries(it.fields)) if (val !== undefined) (next as Record<string, unknown>)[k] = val;
    const rule = effectiveNamingRule(tree, it.classId);
    const name = it.name ?? before?.name ?? (rule ? renderName(rule, next) : null);
    if (!name) {
      conflict(it, 'name_required', '缺少名称（类别的命名规则也无法生成）', 'a name is required (the class naming rule cannot make one)');
      continue;
    }
    next.name = name;
    pending.push({ it, before: row, next });
  }

  // 4. Reference attributes: a CI of the named class (or a subclass) that the caller may see.
  const refChecks: { p: Pending; key: string; refClassKey: string; id: number }[] = [];
  for (const p of pending) {
    for (const a of schemaOf(p.it.classId)) {
      const val = p.next.attributes[a.key];
      if (a.type !== 'reference' || val === undefined || storedAttrs(p.before)[a.key] === val) continue;
      refChecks.push({ p, key: a.key, refClassKey: a.refClassKey ?? '', id: Number(val) });
    }
  }
  const refs = new Map((await rq.ciBriefs(tx, [...new Set(refChecks.map((r) => r.id))])).map((r) => [r.id, r]));
  const bad = new Set<Pending>();
  for (const r of refChecks) {
    const target = refs.get(r.id);
    const cls = tree.byKey.get(r.refClassKey);
    if (!target || !cls || target.id === r.p.before?.id || !subtreeIds(tree, cls.id).includes(target.classId) || !inScope(ctx.scope, target.orgId)) {
      if (!bad.has(r.p)) conflict(r.p.it, 'attribute_invalid', `${r.key}：引用的配置项 #${r.id} 不存在、类别不符或无权访问`, `${r.key}: CI #${r.id} does not exist, is of the wrong class or out of scope`, r.p.before?.id ?? null);
      bad.add(r.p);
    }
  }

  // 5. Unique attributes: one query per (defining class, attribute), values of the batch included.
  const uniqueGroups = new Map<string, { definer: number; key: string; items: { p: Pending; v: unknown }[] }>();
  for (const p of pending) {
    if (bad.has(p)) continue;
    for (const a of schemaOf(p.it.classId)) {
      const val = p.next.attributes[a.key];
      if (!a.unique || val === undefined) continue;
      if (p.before && p.before.classId === p.next.classId && JSON.stringify(storedAttrs(p.before)[a.key]) === JSON.stringify(val)) continue;
      const definer = tree.byKey.get(a.definedBy);
      if (!definer) continue;
      const g = uniqueGroups.get(`${definer.id}:${a.key}`) ?? { definer: definer.id, key: a.key, items: [] };
      g.items.push({ p, v: val });
      uniqueGroups.set(`${definer.id}:${a.key}`, g);
    }
  }
  for (const g of [...uniqueGroups.values()].sort((x, y) => x.definer - y.definer || (x.key < y.key ? -1 : 1))) {
    await lockUniqueAttribute(tx, g.definer, g.key);
    const holders = await rq.attributeHolders(tx, subtreeIds(tree, g.definer), g.key, g.items.map((i) => i.v));
    const taken = new Map<string, number[]>();
    for (const h of holders) taken.set(h.v, [...(taken.get(h.v) ?? []), Number(h.id)]);
    const inBatch = new Set<string>();
    for (const { p, v } of g.items) {
      const s = String(v);
      const others = (taken.get(s) ?? []).filter((id) => id !== p.before?.id);
      if ((others.length || inBatch.has(s)) && !bad.has(p)) {
        conflict(p.it, 'attribute_invalid', `${g.key}：值“${s}”已被同类配置项使用（该属性要求唯一）`, `${g.key}: the value "${s}" is already used by another CI of this class (the attribute is unique)`, p.before?.id ?? null);
        bad.add(p);
      }
      inBatch.add(s);
    }
  }

  // 6. Write: creates with pre-allocated ids (so results map back without a unique key), updates in one statement.
  const creates: Pending[] = [];
  const updates: { p: Pending; changes: ReturnType<typeof diffSnapshots> }[] = [];
  for (const p of pending) {
    if (bad.has(p)) continue;
    if (!p.before) {
      creates.push(p);
      continue;
    }
    const changes = diffSnapshots(snapshotOf(p.before) as unknown as Record<string, unknown>, p.next as unknown as Record<string, unknown>);
    if (!changes.length) results.set(p.it.index, { index: p.it.index, outcome: 'unchanged', ciId: p.before.id });
    else updates.push({ p, changes });
  }
  const newIds = await rq.allocateCiIds(tx, creates.length);
  const columnsOf = (id: number, n: Snapshot) => ({
    id,
    name: n.name,
    owner_user_id: n.ownerUserId,
    owner_group_id: n.ownerGroupId,
    location: n.location,
    importance: n.importance,
    status: n.status,
    serial_number: n.serialNumber,
    asset_tag: n.assetTag,
    hostname: n.hostname,
    ip: n.ip,
    cloud_id: n.cloudId,
    attributes: n.attributes,
  });
  const inserted = await rq.insertCis(
    tx,
    creates.map((p, i) => ({ ...columnsOf(newIds[i] as number, p.next), class_id: p.next.classId, org_id: p.next.orgId })),
  );
  const retry: EngineItem[] = [];
  const versions: rq.VersionInsert[] = [];
  creates.forEach((p, i) => {
    const id = newIds[i] as number;
    if (!inserted.has(id)) {
      retry.push(p.it);
      return;
    }
    results.set(p.it.index, { index: p.it.index, outcome: 'created', ciId: id });
  });
  await rq.insertCreatedVersions(tx, [...inserted], ctx.changedBy);
  await rq.updateCis(
    tx,
    updates.map(({ p }) => ({ ...columnsOf(p.before?.id ?? 0, p.next), version: (p.before?.version ?? 0) + 1 })),
  );
  for (const { p, changes } of updates) {
    const id = p.before?.id ?? 0;
    results.set(p.it.index, { index: p.it.index, outcome: 'updated', ciId: id });
    versions.push({ ci_id: id, version: (p.before?.version ?? 0) + 1, changed_by: ctx.changedBy, changes, snapshot: p.next });
  }
  await rq.insertVersions(tx, versions);

  // 7. Identifiers another writer took between our match and our insert: match again (they are committed now).
  if (retry.length) {
    if (attempt < 2) for (const r of await runEngine(tx, ctx, retry, attempt + 1)) results.set(r.index, r);
    else for (const it of retry) conflict(it, 'identifiers_split', '标识被并发写入占用，请重试', 'an identifier was taken by a concurrent writer; retry');
  }
  return items.map((it) => results.get(it.index) ?? { index: it.index, outcome: 'conflict', ciId: null, reason: 'identifiers_split' });
}

export function totalsOf(results: { outcome: ReconcileOutcome }[]) {
  const t = { created: 0, updated: 0, unchanged: 0, conflict: 0 };
  for (const r of results) t[r.outcome]++;
  return t;
}

/** POST /api/cmdb/reconcile: one batch from a discovery tool or script, all in one transaction. */
export async function reconcile(db: Db, actor: Actor, locale: Locale, body: z.output<typeof reconcileRequestSchema>): Promise<ReconcileResult> {
  return db.transaction(async (tx) => {
    const tree = await loadTree(tx);
    const scope = await ticketOrgScope(tx, actor);
    const numeric = body.items.flatMap((i) => (typeof i.org === 'number' ? [i.org] : []));
    const codes = body.items.flatMap((i) => (typeof i.org === 'string' ? [i.org] : []));
    const orgs = await rq.orgsByIdOrCode(tx, numeric, codes);
    const orgById = new Map(orgs.map((o) => [Number(o.id), Number(o.id)]));
    const orgByCode = new Map(orgs.map((o) => [o.code, Number(o.id)]));
    const early: EngineResult[] = [];
    const items: EngineItem[] = [];
    body.items.forEach((i, index) => {
      const cls = tree.byKey.get(i.class);
      const orgId = typeof i.org === 'number' ? orgById.get(i.org) : orgByCode.get(i.org);
      if (!cls) return early.push({ index, outcome: 'conflict', ciId: null, reason: 'class_unknown', zh: `类别“${i.class}”不存在`, en: `there is no class "${i.class}"` });
      if (orgId === undefined || !inScope(scope, orgId)) {
        return early.push({ index, outcome: 'conflict', ciId: null, reason: 'org_unknown', zh: `组织“${i.org}”不存在或无权访问`, en: `organisation "${i.org}" does not exist or is out of scope` });
      }
      const identifiers: EngineItem['identifiers'] = {};
      for (const c of IDENTIFIER_ORDER) {
        const v = i.identifiers[c];
        if (v) identifiers[c] = v;
      }
      const fields: EngineFields = {};
      if (i.status) fields.status = i.status;
      if (i.importance) fields.importance = i.importance;
      if (i.location !== undefined) fields.location = i.location;
      items.push({ index, classId: cls.id, orgId, name: i.name ?? null, identifiers, attributes: i.attributes, fields });
      return undefined;
    });
    const results = [...early, ...(await runEngine(tx, { tree, scope, changedBy: actor.userId > 0 ? actor.userId : null }, items))].sort((a, b) => a.index - b.index);
    const totals = totalsOf(results);
    await recordAudit(tx, { actor, action: 'cmdb.reconcile', objectType: 'ci', objectId: null, result: 'success', details: { source: body.source, items: body.items.length, ...totals } });
    const out: ReconcileItemResult[] = results.map((r) => ({
      index: r.index,
      outcome: r.outcome,
      ciId: r.ciId,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.zh ? { message: locale === 'en-US' ? r.en : r.zh } : {}),
    }));
    return { totals, items: out };
  });
}

