import {
  pendingReasonSchema,
  slaRulesSchema,
  type SlaDefinition,
  type SlaRules,
  type createSlaRequestSchema,
  type updateSlaRequestSchema,
} from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { findCalendar } from '../calendars/calendars.queries.ts';
import { groups } from '../directory/directory.tables.ts';
import { inArray } from 'drizzle-orm';
import * as qs from './sla.queries.ts';

/** Definition rows change rarely and are read on every ticket write: cached per handle briefly. */
const TTL_MS = 5000;
const activeCache = new WeakMap<object, { at: number; defs: ActiveDefinition[] }>();

export type ActiveDefinition = { definitionId: number; versionId: number; version: number; name: string; rules: SlaRules };

/** `q` runs the query (pass the open transaction: on PGlite a query outside it would wait for it). */
export async function activeDefinitions(db: Db, q: Queryable = db): Promise<ActiveDefinition[]> {
  const hit = activeCache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.defs;
  const defs = (await qs.activeCurrentVersions(q)).map((r) => ({
    definitionId: r.d.id,
    versionId: r.v.id,
    version: r.v.version,
    name: r.d.name,
    rules: slaRulesSchema.parse(r.v.body),
  }));
  activeCache.set(db, { at: Date.now(), defs });
  return defs;
}

export function forgetDefinitions(db: Db): void {
  activeCache.delete(db);
}

const isUniqueViolation = (err: unknown): boolean => {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code === '23505') return true;
  return false;
};

/** Rules the schema cannot check alone: targets, pause states, references. Nothing is written when one fails. */
async function checkRules(q: Queryable, rules: SlaRules): Promise<void> {
  const seen = new Set<number>();
  for (const t of rules.targets) {
    if (seen.has(t.priority)) throw new AppError('SLA_TARGET_INVALID', { reason: `P${t.priority} ×2` });
    seen.add(t.priority);
    for (const v of [t.responseMinutes, t.resolutionMinutes, t.updateMinutes]) {
      if (v !== null && v <= 0) throw new AppError('SLA_TARGET_INVALID', { reason: `P${t.priority}: ${v} <= 0` });
    }
    if (t.responseMinutes === null && t.resolutionMinutes === null && t.updateMinutes === null) {
      throw new AppError('SLA_TARGET_INVALID', { reason: `P${t.priority}: -` });
    }
  }
  const allowed = pendingReasonSchema.options as readonly string[];
  for (const s of rules.pauseOn) {
    if (!allowed.includes(s)) throw new AppError('SLA_PAUSE_STATE_UNKNOWN', { state: s, allowed: allowed.join(', ') });
  }
  const thresholds = [...rules.thresholds];
  if (new Set(thresholds).size !== thresholds.length) throw new AppError('SLA_TARGET_INVALID', { reason: 'thresholds' });
  if (!(await findCalendar(q, rules.calendarId))) throw new AppError('REFERENCE_INVALID', { object: 'calendar' });
  const groupIds = rules.escalations.flatMap((s) => s.actions.flatMap((a) => (a.type === 'reassign' ? [a.groupId] : a.type === 'notify' ? a.groupIds : [])));
  if (groupIds.length) {
    const found = await q.select({ id: groups.id }).from(groups).where(inArray(groups.id, groupIds));
    if (found.length !== new Set(groupIds).size) throw new AppError('REFERENCE_INVALID', { object: 'group' });
  }
}

function dto(r: NonNullable<Awaited<ReturnType<typeof qs.findDefinition>>>): SlaDefinition {
  return {
    id: r.d.id,
    name: r.d.name,
    kind: r.d.kind,
    description: r.d.description,
    active: r.d.active,
    rank: r.d.rank,
    version: r.d.currentVersion,
    rules: slaRulesSchema.parse(r.v.body),
    calendarName: r.calendarName,
    updatedAt: r.d.updatedAt.toISOString(),
  };
}

export async function listDefinitions(db: Db): Promise<SlaDefinition[]> {
  return (await qs.listDefinitions(db)).map(dto);
}

export async function getDefinition(db: Db, id: number): Promise<SlaDefinition> {
  const r = await qs.findDefinition(db, id);
  if (!r) throw new AppError('NOT_FOUND', { object: 'SLA' });
  return dto(r);
}

export async function listVersions(db: Db, id: number) {
  await getDefinition(db, id);
  return (await qs.listVersions(db, id)).map((r) => ({
    version: r.v.version,
    rules: slaRulesSchema.parse(r.v.body),
    createdAt: r.v.createdAt.toISOString(),
    createdByName: r.createdByName,
  }));
}

export async function createDefinition(db: Db, actor: Actor, input: z.output<typeof createSlaRequestSchema>): Promise<SlaDefinition> {
  try {
    const id = await db.transaction(async (tx) => {
      await checkRules(tx, input.rules);
      const d = await qs.insertDefinition(tx, { name: input.name, kind: input.kind, description: input.description, active: input.active, rank: input.rank });
      await qs.insertVersion(tx, { definitionId: d.id, version: 1, calendarId: input.rules.calendarId, body: input.rules, createdBy: actor.userId > 0 ? actor.userId : null });
      await recordAudit(tx, { actor, action: 'sla.create', objectType: 'sla', objectId: d.id, result: 'success', details: { name: d.name, kind: d.kind } });
      return d.id;
    });
    forgetDefinitions(db);
    return getDefinition(db, id);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('SLA_NAME_TAKEN');
    throw err;
  }
}

/**
 * Edits a definition. New rules add a version: tickets already running keep the version they
 * started with (replay moves them on request); new tickets use the new one.
 */
export async function updateDefinition(db: Db, actor: Actor, id: number, input: z.output<typeof updateSlaRequestSchema>): Promise<SlaDefinition> {
  try {
    await db.transaction(async (tx) => {
      const d = await qs.lockDefinition(tx, id);
      if (!d) throw new AppError('NOT_FOUND', { object: 'SLA' });
      if (d.currentVersion !== input.version) throw new AppError('VERSION_CONFLICT', { current: d.currentVersion }, { currentVersion: d.currentVersion });
      const patch: Parameters<typeof qs.updateDefinition>[2] = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (input.active !== undefined) patch.active = input.active;
      if (input.rank !== undefined) patch.rank = input.rank;
      // Header-only edits still bump the version so concurrent editors see each other.
      const next = d.currentVersion + 1;
      const current = await qs.findDefinition(tx, id);
      const rules = input.rules ?? slaRulesSchema.parse(current?.v.body);
      if (input.rules) await checkRules(tx, input.rules);
      await qs.insertVersion(tx, { definitionId: id, version: next, calendarId: rules.calendarId, body: rules, createdBy: actor.userId > 0 ? actor.userId : null });
      await qs.updateDefinition(tx, id, { ...patch, currentVersion: next });
      await recordAudit(tx, {
        actor,
        action: 'sla.update',
        objectType: 'sla',
        objectId: id,
        result: 'success',
        details: { version: next, fields: Object.keys(patch), rulesChanged: input.rules !== undefined },
      });
    });
    forgetDefinitions(db);
    return getDefinition(db, id);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('SLA_NAME_TAKEN');
    throw err;
  }
}
