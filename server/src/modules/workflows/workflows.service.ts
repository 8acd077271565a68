import { sql } from 'drizzle-orm';
import {
  workflowDefinitionSchema,
  type CreateWorkflowRequest,
  type SaveWorkflowRequest,
  type Workflow,
  type WorkflowDefinition,
  type WorkflowIssue,
  type WorkflowSummary,
} from '@tianshu/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { BUILT_IN_WORKFLOWS, DEFAULT_WORKFLOW_KEY } from './default-workflows.ts';
import { registeredNames } from './workflow-registry.ts';
import { validateWorkflow } from './workflow-validate.ts';
import * as qs from './workflows.queries.ts';
import './workflow-extensions.ts';

/** A workflow version as the engine uses it: immutable once saved, so cached for good by id. */
export type ResolvedWorkflow = { versionId: number; key: string; ticketType: string; version: number; definition: WorkflowDefinition };

// Per database handle (tests open several): versions by id forever; the current version of a key
// for a few seconds (another instance's save shows within CURRENT_TTL_MS, this instance's at once).
const CURRENT_TTL_MS = 5000;
const versionCache = new WeakMap<object, Map<number, ResolvedWorkflow>>();
const currentCache = new WeakMap<object, Map<string, { at: number; versionId: number }>>();

function cacheOf<T>(map: WeakMap<object, Map<string | number, T>>, db: Db): Map<string | number, T> {
  let m = map.get(db);
  if (!m) {
    m = new Map();
    map.set(db, m);
  }
  return m;
}

function parseDefinition(raw: unknown): WorkflowDefinition {
  return workflowDefinitionSchema.parse(raw);
}

/**
 * Creates the missing built-in workflows (version 1 each). Runs at boot and, lazily, the first time
 * a built-in key is asked for; workflows that exist (perhaps edited) are left alone.
 */
export async function ensureBuiltInWorkflows(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(72910005)`);
    for (const b of BUILT_IN_WORKFLOWS) {
      if (await qs.findWorkflow(tx, b.key)) continue;
      const w = await qs.insertWorkflow(tx, { key: b.key, ticketType: b.ticketType, nameZh: b.name['zh-CN'], nameEn: b.name['en-US'], builtIn: true, currentVersion: 1 });
      await qs.insertVersion(tx, { workflowId: w.id, version: 1, definition: parseDefinition(b.definition), note: null, createdBy: null });
    }
  });
}

export async function workflowVersionById(db: Db, id: number): Promise<ResolvedWorkflow> {
  const cache = cacheOf(versionCache as WeakMap<object, Map<string | number, ResolvedWorkflow>>, db);
  const hit = cache.get(id);
  if (hit) return hit;
  const v = await qs.findVersionById(db, id);
  if (!v) throw new Error(`workflow version ${id} vanished`);
  const w = await qs.findWorkflow(db, v.key);
  const resolved: ResolvedWorkflow = { versionId: v.id, key: v.key, ticketType: w?.ticketType ?? 'incident', version: v.version, definition: parseDefinition(v.definition) };
  cache.set(id, resolved);
  return resolved;
}

/** The current version of a workflow; built-ins are created on first use. */
export async function currentWorkflow(db: Db, key: string): Promise<ResolvedWorkflow> {
  const cache = cacheOf(currentCache as WeakMap<object, Map<string | number, { at: number; versionId: number }>>, db);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CURRENT_TTL_MS) return workflowVersionById(db, hit.versionId);
  let w = await qs.findWorkflow(db, key);
  if (!w && BUILT_IN_WORKFLOWS.some((b) => b.key === key)) {
    await ensureBuiltInWorkflows(db);
    w = await qs.findWorkflow(db, key);
  }
  if (!w) throw new AppError('REFERENCE_INVALID', { object: 'workflow' });
  const v = await qs.findVersion(db, w.id, w.currentVersion);
  if (!v) throw new Error(`workflow ${key} has no version ${w.currentVersion}`);
  cache.set(key, { at: Date.now(), versionId: v.id });
  return workflowVersionById(db, v.id);
}

/** The version a ticket runs on; tickets from before workflows were data run on their type's version 1. */
export async function workflowOfTicket(db: Db, t: { type: string; workflowVersionId: number | null }): Promise<ResolvedWorkflow> {
  if (t.workflowVersionId) return workflowVersionById(db, t.workflowVersionId);
  const key = DEFAULT_WORKFLOW_KEY[t.type as keyof typeof DEFAULT_WORKFLOW_KEY] ?? 'incident';
  let w = await qs.findWorkflow(db, key);
  if (!w) {
    await ensureBuiltInWorkflows(db);
    w = await qs.findWorkflow(db, key);
  }
  const v = w ? await qs.findVersion(db, w.id, 1) : undefined;
  if (!v) throw new Error(`workflow ${key} has no version 1`);
  return workflowVersionById(db, v.id);
}

function issuesOf(def: WorkflowDefinition): WorkflowIssue[] {
  return validateWorkflow(def, registeredNames());
}

export function validateDefinition(def: WorkflowDefinition): { ok: boolean; issues: WorkflowIssue[] } {
  const issues = issuesOf(def);
  return { ok: issues.length === 0, issues };
}

function refuseInvalid(def: WorkflowDefinition) {
  const issues = issuesOf(def);
  if (issues.length) throw new AppError('WORKFLOW_INVALID', { count: issues.length }, { issues });
}

export async function listWorkflows(db: Db): Promise<WorkflowSummary[]> {
  await ensureBuiltInWorkflows(db);
  return (await qs.listWorkflows(db)).map((w) => ({
    id: Number(w.id),
    key: w.key,
    ticketType: w.ticketType as WorkflowSummary['ticketType'],
    name: { 'zh-CN': w.nameZh, 'en-US': w.nameEn },
    builtIn: w.builtIn,
    currentVersion: Number(w.currentVersion),
    updatedAt: new Date(w.updatedAt).toISOString(),
    ticketsOnOlderVersions: Number(w.older),
  }));
}

export async function getWorkflow(db: Db, key: string, version?: number): Promise<Workflow> {
  if (BUILT_IN_WORKFLOWS.some((b) => b.key === key)) await currentWorkflow(db, key);
  const w = await qs.findWorkflow(db, key);
  if (!w) throw new AppError('NOT_FOUND', { object: 'workflow' });
  const v = await qs.findVersion(db, w.id, version ?? w.currentVersion);
  if (!v) throw new AppError('NOT_FOUND', { object: 'workflow version' });
  const summary = (await listWorkflows(db)).find((s) => s.key === key);
  const versions = await qs.listVersions(db, w.id);
  return {
    id: w.id,
    key: w.key,
    ticketType: w.ticketType as Workflow['ticketType'],
    name: { 'zh-CN': w.nameZh, 'en-US': w.nameEn },
    builtIn: w.builtIn,
    currentVersion: w.currentVersion,
    updatedAt: w.updatedAt.toISOString(),
    ticketsOnOlderVersions: summary?.ticketsOnOlderVersions ?? 0,
    version: v.version,
    versionId: v.id,
    definition: parseDefinition(v.definition),
    versions: versions.map((x) => ({ version: x.version, createdAt: x.createdAt.toISOString(), createdByName: x.createdByName, note: x.note })),
  };
}

export async function createWorkflow(db: Db, actor: Actor, input: CreateWorkflowRequest & { definition: WorkflowDefinition }): Promise<Workflow> {
  refuseInvalid(input.definition);
  await db.transaction(async (tx) => {
    if (await qs.findWorkflow(tx, input.key)) throw new AppError('WORKFLOW_KEY_TAKEN', { key: input.key });
    const w = await qs.insertWorkflow(tx, { key: input.key, ticketType: input.ticketType, nameZh: input.name['zh-CN'], nameEn: input.name['en-US'], builtIn: false, currentVersion: 1 });
    await qs.insertVersion(tx, { workflowId: w.id, version: 1, definition: input.definition, note: null, createdBy: actor.userId > 0 ? actor.userId : null });
    await recordAudit(tx, { actor, action: 'workflow.create', objectType: 'workflow', objectId: w.id, result: 'success', details: { key: input.key, ticketType: input.ticketType } });
  });
  return getWorkflow(db, input.key);
}

/** Saves a new version. Tickets keep the version they run on; new tickets take this one. */
export async function saveWorkflow(db: Db, actor: Actor, key: string, input: SaveWorkflowRequest & { definition: WorkflowDefinition }): Promise<Workflow> {
  if (BUILT_IN_WORKFLOWS.some((b) => b.key === key)) await currentWorkflow(db, key);
  refuseInvalid(input.definition);
  await db.transaction(async (tx) => {
    const w = await qs.lockWorkflow(tx, key);
    if (!w) throw new AppError('NOT_FOUND', { object: 'workflow' });
    if (w.currentVersion !== input.baseVersion) throw new AppError('VERSION_CONFLICT', { current: w.currentVersion }, { currentVersion: w.currentVersion });
    const version = w.currentVersion + 1;
    await qs.insertVersion(tx, { workflowId: w.id, version, definition: input.definition, note: input.note ?? null, createdBy: actor.userId > 0 ? actor.userId : null });
    await qs.setCurrentVersion(tx, w.id, version, input.name ? { nameZh: input.name['zh-CN'], nameEn: input.name['en-US'] } : undefined);
    await recordAudit(tx, { actor, action: 'workflow.save', objectType: 'workflow', objectId: w.id, result: 'success', details: { key, version, note: input.note ?? null } });
  });
  currentCache.get(db)?.delete(key);
  return getWorkflow(db, key);
}
