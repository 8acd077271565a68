import type { CiAttributeDef, CiClass, CiEffectiveAttribute, createCiClassRequestSchema, updateCiClassRequestSchema } from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import * as qs from './cmdb.queries.ts';

/** The class tree, loaded whole (a CMDB has tens to a few hundred classes). */
export type ClassTree = { byId: Map<number, qs.ClassRow>; byKey: Map<string, qs.ClassRow> };

export async function loadTree(q: Queryable): Promise<ClassTree> {
  return treeOf(await qs.allClasses(q));
}

function treeOf(list: qs.ClassRow[]): ClassTree {
  return { byId: new Map(list.map((c) => [c.id, c])), byKey: new Map(list.map((c) => [c.key, c])) };
}

export const ownAttributes = (c: qs.ClassRow): CiAttributeDef[] => (Array.isArray(c.attributes) ? (c.attributes as CiAttributeDef[]) : []);

/** Ancestors, root first (the class itself excluded). Stops on a cycle rather than looping. */
export function ancestorsOf(tree: ClassTree, id: number): qs.ClassRow[] {
  const out: qs.ClassRow[] = [];
  const seen = new Set<number>([id]);
  for (let p = tree.byId.get(id)?.parentId ?? null; p !== null && !seen.has(p); ) {
    const c = tree.byId.get(p);
    if (!c) break;
    out.unshift(c);
    seen.add(p);
    p = c.parentId;
  }
  return out;
}

/** The class and every class below it. */
export function subtreeIds(tree: ClassTree, id: number): number[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) for (const c of tree.byId.values()) if (c.parentId === out[i] && !out.includes(c.id)) out.push(c.id);
  return out;
}

export function effectiveAttributes(tree: ClassTree, id: number): CiEffectiveAttribute[] {
  const self = tree.byId.get(id);
  if (!self) return [];
  return [...ancestorsOf(tree, id), self].flatMap((c) => ownAttributes(c).map((a) => ({ ...a, definedBy: c.key })));
}

export function effectiveNamingRule(tree: ClassTree, id: number): string | null {
  const chain = [...ancestorsOf(tree, id), tree.byId.get(id)].filter((c) => c !== undefined);
  for (let i = chain.length - 1; i >= 0; i--) {
    const r = chain[i]?.namingRule;
    if (r) return r;
  }
  return null;
}

export function classDto(tree: ClassTree, c: qs.ClassRow): CiClass {
  return {
    id: c.id,
    key: c.key,
    name: c.name,
    description: c.description,
    parentId: c.parentId,
    path: ancestorsOf(tree, c.id).map((a) => a.key),
    attributes: ownAttributes(c).map((a) => ({ ...a, definedBy: c.key })),
    effectiveAttributes: effectiveAttributes(tree, c.id),
    namingRule: c.namingRule,
    effectiveNamingRule: effectiveNamingRule(tree, c.id),
    builtin: c.builtin,
    version: c.version,
    updatedAt: c.updatedAt.toISOString(),
  };
}

/**
 * Checks the tree after an edit: no cycle through `id`, no attribute key defined twice along any
 * path in the subtree of `id`, every reference attribute naming an existing class.
 */
function checkTree(tree: ClassTree, id: number): void {
  const seen = new Set<number>();
  for (let p: number | null = id; p !== null; p = tree.byId.get(p)?.parentId ?? null) {
    if (seen.has(p)) {
      const parentId = tree.byId.get(id)?.parentId;
      throw new AppError('CMDB_CLASS_CYCLE', { parent: (parentId && tree.byId.get(parentId)?.key) || String(parentId) });
    }
    seen.add(p);
  }
  for (const cid of subtreeIds(tree, id)) {
    const defined = new Map<string, string>();
    for (const a of effectiveAttributes(tree, cid)) {
      const other = defined.get(a.key);
      if (other !== undefined) {
        throw new AppError('CMDB_ATTRIBUTE_INVALID', {
          key: a.key,
          reasonZh: `已由上级类别“${other}”定义，子类别不能重复定义`,
          reasonEn: `already defined by the parent class "${other}"; a subclass may not redefine it`,
        });
      }
      defined.set(a.key, a.definedBy);
    }
  }
  const self = tree.byId.get(id);
  for (const a of self ? ownAttributes(self) : []) {
    if (a.type === 'reference' && (!a.refClassKey || !tree.byKey.has(a.refClassKey))) throw new AppError('REFERENCE_INVALID', { object: `class ${a.refClassKey ?? ''}` });
  }
}

const isUniqueViolation = (err: unknown): boolean => {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code === '23505') return true;
  return false;
};

export async function listClasses(db: Db): Promise<CiClass[]> {
  const tree = await loadTree(db);
  return [...tree.byId.values()].map((c) => classDto(tree, c));
}

export async function getClass(db: Db, id: number): Promise<CiClass> {
  const tree = await loadTree(db);
  const c = tree.byId.get(id);
  if (!c) throw new AppError('NOT_FOUND', { object: 'CI class' });
  return classDto(tree, c);
}

/** After a class write: one expression index per attribute key any class marks `indexed` (see syncAttributeIndexes). */
async function syncIndexes(tx: Queryable): Promise<void> {
  const tree = await loadTree(tx);
  const keys = new Set([...tree.byId.values()].flatMap((c) => ownAttributes(c).filter((a) => a.indexed).map((a) => a.key)));
  await qs.syncAttributeIndexes(tx, keys);
}

export async function createClass(db: Db, actor: Actor, input: z.output<typeof createCiClassRequestSchema>): Promise<CiClass> {
  try {
    const id = await db.transaction(async (tx) => {
      await qs.lockClassTree(tx);
      const tree = await loadTree(tx);
      if (tree.byKey.has(input.key)) throw new AppError('CMDB_CLASS_KEY_TAKEN', { key: input.key });
      if (input.parentId !== null && !tree.byId.has(input.parentId)) throw new AppError('REFERENCE_INVALID', { object: 'parent class' });
      const draft: qs.ClassRow = {
        id: -1,
        key: input.key,
        name: input.name,
        description: input.description,
        parentId: input.parentId,
        attributes: input.attributes,
        namingRule: input.namingRule,
        builtin: false,
        version: 1,
        createdAt: new Date(),
        updatedAt: new Date(),
      };
      checkTree(treeOf([...tree.byId.values(), draft]), -1);
      const c = await qs.insertClass(tx, {
        key: input.key,
        name: input.name,
        description: input.description,
        parentId: input.parentId,
        attributes: input.attributes,
        namingRule: input.namingRule,
      });
      await recordAudit(tx, {
        actor,
        action: 'cmdb.class.create',
        objectType: 'ci_class',
        objectId: c.id,
        result: 'success',
        details: { key: c.key, name: c.name, parentId: c.parentId, attributes: input.attributes.map((a) => a.key) },
      });
      await syncIndexes(tx);
      return c.id;
    });
    return getClass(db, id);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CMDB_CLASS_KEY_TAKEN', { key: input.key });
    throw err;
  }
}

export async function updateClass(db: Db, actor: Actor, id: number, input: z.output<typeof updateCiClassRequestSchema>): Promise<CiClass> {
  await db.transaction(async (tx) => {
    await qs.lockClassTree(tx);
    const c = await qs.lockClass(tx, id);
    if (!c) throw new AppError('NOT_FOUND', { object: 'CI class' });
    if (c.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: c.version }, { currentVersion: c.version });
    const tree = await loadTree(tx);
    if (input.parentId !== undefined && input.parentId !== null && !tree.byId.has(input.parentId)) throw new AppError('REFERENCE_INVALID', { object: 'parent class' });
    const patch: Partial<qs.ClassRow> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.description !== undefined) patch.description = input.description;
    if (input.parentId !== undefined) patch.parentId = input.parentId;
    if (input.attributes !== undefined) patch.attributes = input.attributes;
    if (input.namingRule !== undefined) patch.namingRule = input.namingRule;
    const next: qs.ClassRow = { ...c, ...patch };
    checkTree(treeOf([...[...tree.byId.values()].filter((x) => x.id !== id), next]), id);
    await qs.updateClass(tx, id, { ...patch, version: c.version + 1 });
    const before = new Set(ownAttributes(c).map((a) => a.key));
    const after = new Set(ownAttributes(next).map((a) => a.key));
    await recordAudit(tx, {
      actor,
      action: 'cmdb.class.update',
      objectType: 'ci_class',
      objectId: id,
      result: 'success',
      details: {
        key: c.key,
        version: c.version + 1,
        fields: Object.keys(patch),
        attributesAdded: [...after].filter((k) => !before.has(k)),
        attributesRemoved: [...before].filter((k) => !after.has(k)),
        ...(input.parentId !== undefined ? { parentFrom: c.parentId, parentTo: input.parentId } : {}),
      },
    });
    if (input.attributes !== undefined) await syncIndexes(tx);
  });
  return getClass(db, id);
}

export async function deleteClass(db: Db, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    await qs.lockClassTree(tx);
    const c = await qs.lockClass(tx, id);
    if (!c) throw new AppError('NOT_FOUND', { object: 'CI class' });
    if (c.builtin) throw new AppError('CMDB_CLASS_BUILTIN', { name: c.name });
    const usage = await qs.classUsage(tx, id);
    if (usage.cis || usage.children) throw new AppError('CMDB_CLASS_IN_USE', { name: c.name, ...usage });
    const tree = await loadTree(tx);
    const referrer = [...tree.byId.values()].find((x) => x.id !== id && ownAttributes(x).some((a) => a.refClassKey === c.key));
    if (referrer) throw new AppError('CMDB_CLASS_IN_USE', { name: c.name, cis: 0, children: 0 }, { referencedBy: referrer.key });
    await qs.deleteClass(tx, id);
    await recordAudit(tx, { actor, action: 'cmdb.class.delete', objectType: 'ci_class', objectId: id, result: 'success', details: { key: c.key, name: c.name } });
    await syncIndexes(tx);
  });
}
