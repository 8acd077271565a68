import type {
  CiBaseline,
  CiDrift,
  CiDriftReport,
  ciBaselineListQuerySchema,
  ciDriftQuerySchema,
  createCiBaselineRequestSchema,
  updateCiBaselineRequestSchema,
} from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { diffSnapshots } from './attribute-validation.ts';
import { loadTree, subtreeIds, type ClassTree } from './ci-classes.service.ts';
import * as cq from './cmdb.queries.ts';
import * as qs from './cmdb-baselines.queries.ts';

type BaselineView = NonNullable<Awaited<ReturnType<typeof qs.findBaseline>>>;

const numbers = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function dto(r: BaselineView): CiBaseline {
  return {
    id: r.b.id,
    name: r.b.name,
    description: r.b.description,
    orgId: r.b.orgId,
    orgName: r.orgName,
    ciIds: numbers(r.b.ciIds),
    classKeys: strings(r.b.classKeys),
    itemCount: r.b.itemCount,
    createdBy: r.b.createdBy,
    createdByName: r.createdByName,
    createdAt: r.b.createdAt.toISOString(),
    updatedAt: r.b.updatedAt.toISOString(),
    version: r.b.version,
  };
}

/** A baseline whose organisation the actor sees, else 404 (audited when it exists). */
async function loadVisible(db: Db, actor: Actor, id: number): Promise<BaselineView> {
  const row = await qs.findBaseline(db, id);
  const scope = await ticketOrgScope(db, actor);
  if (!row || !inScope(scope, row.b.orgId)) {
    if (row) await recordAudit(db, { actor, action: 'access.denied', objectType: 'ci_baseline', objectId: id, result: 'denied', details: { reason: 'out of tenant scope' } });
    throw new AppError('NOT_FOUND', { object: 'baseline' });
  }
  return row;
}

/** Class keys to class ids with their subclasses; an unknown key is refused. */
export function classIdsOf(tree: ClassTree, keys: readonly string[]): number[] {
  const ids = new Set<number>();
  for (const key of keys) {
    const c = tree.byKey.get(key);
    if (!c) throw new AppError('CMDB_CLASS_KEY_UNKNOWN', { key });
    for (const x of subtreeIds(tree, c.id)) ids.add(x);
  }
  return [...ids];
}

export async function createBaseline(db: Db, actor: Actor, input: z.output<typeof createCiBaselineRequestSchema>): Promise<CiBaseline> {
  const ciIds = [...new Set(input.ciIds)];
  const classKeys = [...new Set(input.classKeys)];
  if (!ciIds.length && !classKeys.length) throw new AppError('CMDB_BASELINE_EMPTY');
  const id = await db.transaction(async (tx) => {
    const scope = await ticketOrgScope(tx, actor);
    if (!(await cq.orgExists(tx, input.orgId)) || !inScope(scope, input.orgId)) throw new AppError('REFERENCE_INVALID', { object: 'organisation' });
    const tree = await loadTree(tx);
    const classIds = classIdsOf(tree, classKeys);
    // Named CIs must be live CIs of the baseline's organisation (which the actor sees, checked above).
    const states = new Map((await qs.ciStates(tx, ciIds)).map((s) => [s.id, s]));
    const bad = ciIds.filter((x) => {
      const s = states.get(x);
      return !s || s.orgId !== input.orgId || s.status === 'retired';
    });
    if (bad.length) throw new AppError('CMDB_BASELINE_CI_INVALID', { ids: bad.slice(0, 20).join(', ') }, { ciIds: bad });
    const b = await qs.insertBaseline(tx, {
      name: input.name,
      description: input.description,
      orgId: input.orgId,
      ciIds,
      classKeys,
      createdBy: actor.userId > 0 ? actor.userId : null,
    });
    const n = await qs.insertItems(tx, b.id, input.orgId, ciIds, classIds);
    // Throwing rolls the baseline row back too: nothing is saved for an empty selection.
    if (n === 0) throw new AppError('CMDB_BASELINE_EMPTY');
    await qs.setItemCount(tx, b.id, n);
    await recordAudit(tx, {
      actor,
      action: 'cmdb.baseline.create',
      objectType: 'ci_baseline',
      objectId: b.id,
      result: 'success',
      details: { name: b.name, orgId: b.orgId, ciIds: ciIds.slice(0, 100), classKeys, items: n },
    });
    return b.id;
  });
  return getBaseline(db, actor, id);
}

export async function getBaseline(db: Db, actor: Actor, id: number): Promise<CiBaseline> {
  return dto(await loadVisible(db, actor, id));
}

export async function listBaselines(db: Db, actor: Actor, query: z.output<typeof ciBaselineListQuerySchema>) {
  const scope = await ticketOrgScope(db, actor);
  let orgIds = scope;
  if (query.orgId !== undefined) orgIds = inScope(scope, query.orgId) ? [query.orgId] : [];
  const r = await qs.listBaselines(db, {
    orgIds,
    ...(query.ciId !== undefined ? { ciId: query.ciId } : {}),
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: r.items.map(dto), total: r.total, page: query.page, pageSize: query.pageSize };
}

/** Renames or re-describes a baseline; its items stay as they were frozen. */
export async function updateBaseline(db: Db, actor: Actor, id: number, input: z.output<typeof updateCiBaselineRequestSchema>): Promise<CiBaseline> {
  await loadVisible(db, actor, id);
  await db.transaction(async (tx) => {
    const b = await qs.lockBaseline(tx, id);
    if (!b) throw new AppError('NOT_FOUND', { object: 'baseline' });
    if (b.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: b.version }, { currentVersion: b.version });
    const patch: { name?: string; description?: string } = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.description !== undefined) patch.description = input.description;
    await qs.updateBaseline(tx, id, { ...patch, version: b.version + 1 });
    await recordAudit(tx, {
      actor,
      action: 'cmdb.baseline.update',
      objectType: 'ci_baseline',
      objectId: id,
      result: 'success',
      details: { version: b.version + 1, fields: Object.keys(patch), ...(patch.name !== undefined ? { nameFrom: b.name, nameTo: patch.name } : {}) },
    });
  });
  return getBaseline(db, actor, id);
}

export async function deleteBaseline(db: Db, actor: Actor, id: number): Promise<void> {
  await loadVisible(db, actor, id);
  await db.transaction(async (tx) => {
    const b = await qs.lockBaseline(tx, id);
    if (!b) throw new AppError('NOT_FOUND', { object: 'baseline' });
    await qs.deleteBaseline(tx, id);
    await recordAudit(tx, {
      actor,
      action: 'cmdb.baseline.delete',
      objectType: 'ci_baseline',
      objectId: id,
      result: 'success',
      details: { name: b.name, orgId: b.orgId, items: b.itemCount },
    });
  });
}

export async function listItems(db: Db, actor: Actor, id: number, page: number, pageSize: number) {
  await loadVisible(db, actor, id);
  const tree = await loadTree(db);
  const r = await qs.itemsPage(db, id, pageSize, (page - 1) * pageSize);
  return {
    items: r.items.map((i) => {
      const snap = i.snapshot as Record<string, unknown>;
      return {
        ciId: i.ciId,
        ciVersion: i.ciVersion,
        name: typeof snap.name === 'string' ? snap.name : '',
        classKey: tree.byId.get(Number(snap.classId))?.key ?? '',
        snapshot: snap,
      };
    }),
    total: r.total,
    page,
    pageSize,
  };
}

/**
 * Baseline vs now. Only items whose CI version moved can differ, so the query reads just those; a
 * retired CI is one `retired` row, any other change one `changed` row per field or attribute; CIs of
 * the selected classes created (or moved into the organisation) since are `added`.
 */
export async function compareBaseline(db: Db, actor: Actor, id: number, query: z.output<typeof ciDriftQuerySchema>): Promise<CiDriftReport> {
  const view = await loadVisible(db, actor, id);
  const tree = await loadTree(db);
  const keyOf = (classId: unknown) => tree.byId.get(Number(classId))?.key ?? '';
  const drifts: CiDrift[] = [];
  let changed = 0;
  let retired = 0;
  let fieldChanges = 0;
  for (const it of await qs.changedItems(db, id, query.ciId)) {
    const name = String(it.current.name ?? it.baseline.name ?? '');
    const base = { ciId: it.ci_id, ciName: name, classKey: keyOf(it.current.classId), baselineVersion: it.ci_version, currentVersion: it.current_version };
    if (it.current.status === 'retired') {
      retired++;
      drifts.push({ ...base, kind: 'retired', field: 'status', baseline: it.baseline.status ?? null, current: 'retired' });
      continue;
    }
    const diff = diffSnapshots(it.baseline, it.current);
    if (!diff.length) continue;
    changed++;
    fieldChanges += diff.length;
    for (const d of diff) drifts.push({ ...base, kind: 'changed', field: d.field, baseline: d.from, current: d.to });
  }
  const classIds = strings(view.b.classKeys).flatMap((k) => {
    const c = tree.byKey.get(k);
    return c ? subtreeIds(tree, c.id) : [];
  });
  // At most 10,001 added CIs are listed: past that the baseline no longer describes the selection.
  const added = await qs.addedCis(db, id, view.b.orgId, [...new Set(classIds)], query.ciId);
  for (const a of added) {
    drifts.push({ kind: 'added', ciId: a.id, ciName: a.name, classKey: keyOf(a.class_id), field: null, baseline: null, current: a.current, baselineVersion: null, currentVersion: a.version });
  }
  const filtered = query.kind ? drifts.filter((d) => d.kind === query.kind) : drifts;
  const start = (query.page - 1) * query.pageSize;
  // For one CI the summary is that CI's: one item if the baseline holds it.
  const items = query.ciId === undefined ? view.b.itemCount : (await qs.hasItem(db, id, query.ciId)) ? 1 : 0;
  return {
    baselineId: id,
    comparedAt: new Date().toISOString(),
    summary: { items, unchanged: items - changed - retired, changed, retired, added: added.length, fieldChanges },
    drifts: { items: filtered.slice(start, start + query.pageSize), total: filtered.length, page: query.page, pageSize: query.pageSize },
  };
}
