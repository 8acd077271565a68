import type {
  CmdbAuditReport,
  CmdbAuditRule,
  CmdbAuditRuleKind,
  CmdbAuditRuleParams,
  CmdbAuditRun,
  CmdbAuditSchedule,
  CmdbAuditViolation,
  cmdbAuditRunListQuerySchema,
  cmdbAuditViolationQuerySchema,
  createCmdbAuditRuleRequestSchema,
  updateCmdbAuditRuleRequestSchema,
  updateCmdbAuditScheduleRequestSchema,
} from '@tianshu/contracts';
import type { z } from 'zod';
import { systemActor, type Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { ticketOrgScope } from '../directory/tenant-scope.ts';
import { effectiveAttributes, loadTree, subtreeIds, type ClassTree } from './ci-classes.service.ts';
import { accuracyPct, AUDIT_TIME_ZONE, nextSlot, normaliseParams, parseIdentifier, scheduleProblem, type Problem } from './cmdb-audit-rules.ts';
import * as qs from './cmdb-audits.queries.ts';

/** Violation lists of older runs are dropped (their counts stay). */
export const KEEP_VIOLATION_RUNS = 30;

/** The built-in rules, seeded once by key; admins may edit or disable them. */
const BUILTIN_RULES: { key: string; name: string; kind: CmdbAuditRuleKind; classKey: string | null; params: CmdbAuditRuleParams; enabled: boolean }[] = [
  { key: 'required_attributes', name: '必填属性缺失', kind: 'required_missing', classKey: null, params: {}, enabled: true },
  { key: 'no_owner', name: '未指定负责人（人员或支持组）', kind: 'no_owner', classKey: null, params: {}, enabled: true },
  { key: 'application_no_service', name: '应用系统未关联业务服务', kind: 'no_service_relation', classKey: 'application', params: {}, enabled: true },
  { key: 'server_no_service', name: '服务器未支撑任何业务服务', kind: 'no_service_relation', classKey: 'server', params: {}, enabled: false },
  { key: 'stale_180_days', name: '超过 180 天未更新', kind: 'stale', classKey: null, params: { days: 180 }, enabled: true },
  { key: 'duplicate_name', name: '同一组织同类配置项名称重复', kind: 'duplicate_identifier', classKey: null, params: { identifier: 'name', sameClass: true }, enabled: true },
];

/** Seeds the built-in rules and the (off) schedule row; safe to call at every boot and concurrently. */
export async function ensureAuditDefaults(db: Db): Promise<void> {
  await qs.ensureSchedule(db);
  for (const r of BUILTIN_RULES) await qs.insertRuleIfMissing(db, { ...r, builtin: true });
}

const ruleDto = (r: qs.RuleRow): CmdbAuditRule => ({
  id: r.id,
  key: r.key,
  name: r.name,
  kind: r.kind,
  classKey: r.classKey,
  params: (r.params ?? {}) as CmdbAuditRuleParams,
  enabled: r.enabled,
  builtin: r.builtin,
  version: r.version,
  updatedAt: r.updatedAt.toISOString(),
});

const ruleError = (p: Problem) => new AppError('CMDB_AUDIT_RULE_INVALID', { reasonZh: p.zh, reasonEn: p.en });

/** Class scope and params checked against the class tree (an attr.<key> identifier must exist in scope). */
function checkRule(tree: ClassTree, kind: CmdbAuditRuleKind, classKey: string | null, params: CmdbAuditRuleParams): CmdbAuditRuleParams {
  if (classKey !== null && !tree.byKey.has(classKey)) throw new AppError('CMDB_CLASS_KEY_UNKNOWN', { key: classKey });
  const n = normaliseParams(kind, params);
  if ('problem' in n) throw ruleError(n.problem);
  const id = parseIdentifier(n.params.identifier);
  if (id && 'attr' in id) {
    const classIds = classKey === null ? [...tree.byId.keys()] : subtreeIds(tree, tree.byKey.get(classKey)?.id ?? 0);
    if (!classIds.some((c) => effectiveAttributes(tree, c).some((a) => a.key === id.attr))) {
      throw ruleError({ zh: `范围内的类别没有属性“${id.attr}”`, en: `no class in scope has the attribute "${id.attr}"` });
    }
  }
  return n.params;
}

export async function listRules(db: Db): Promise<CmdbAuditRule[]> {
  return (await qs.allRules(db)).map(ruleDto);
}

export async function createRule(db: Db, actor: Actor, input: z.output<typeof createCmdbAuditRuleRequestSchema>): Promise<CmdbAuditRule> {
  return db.transaction(async (tx) => {
    const params = checkRule(await loadTree(tx), input.kind, input.classKey, input.params);
    const key = `custom_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const r = await qs.insertRule(tx, { key, name: input.name, kind: input.kind, classKey: input.classKey, params, enabled: input.enabled });
    await recordAudit(tx, {
      actor,
      action: 'cmdb.audit_rule.create',
      objectType: 'cmdb_audit_rule',
      objectId: r.id,
      result: 'success',
      details: { name: r.name, kind: r.kind, classKey: r.classKey, params, enabled: r.enabled },
    });
    return ruleDto(r);
  });
}

export async function updateRule(db: Db, actor: Actor, id: number, input: z.output<typeof updateCmdbAuditRuleRequestSchema>): Promise<CmdbAuditRule> {
  return db.transaction(async (tx) => {
    const r = await qs.lockRule(tx, id);
    if (!r) throw new AppError('NOT_FOUND', { object: 'audit rule' });
    if (r.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: r.version }, { currentVersion: r.version });
    const classKey = input.classKey !== undefined ? input.classKey : r.classKey;
    const params = checkRule(await loadTree(tx), r.kind, classKey, input.params ?? ((r.params ?? {}) as CmdbAuditRuleParams));
    const patch = { name: input.name ?? r.name, classKey, params, enabled: input.enabled ?? r.enabled, version: r.version + 1 };
    const next = await qs.updateRule(tx, id, patch);
    await recordAudit(tx, {
      actor,
      action: 'cmdb.audit_rule.update',
      objectType: 'cmdb_audit_rule',
      objectId: id,
      result: 'success',
      details: { version: next.version, fields: Object.keys(input).filter((k) => k !== 'version'), enabled: next.enabled, classKey, params },
    });
    return ruleDto(next);
  });
}

export async function deleteRule(db: Db, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const r = await qs.lockRule(tx, id);
    if (!r) throw new AppError('NOT_FOUND', { object: 'audit rule' });
    if (r.builtin) throw new AppError('CMDB_AUDIT_RULE_BUILTIN', { name: r.name });
    await qs.deleteRule(tx, id);
    await recordAudit(tx, { actor, action: 'cmdb.audit_rule.delete', objectType: 'cmdb_audit_rule', objectId: id, result: 'success', details: { name: r.name, kind: r.kind } });
  });
}

const scheduleDto = (s: qs.ScheduleRow): CmdbAuditSchedule => ({
  mode: s.mode,
  time: s.time,
  weekday: s.weekday,
  timeZone: AUDIT_TIME_ZONE,
  nextRunAt: s.nextRunAt?.toISOString() ?? null,
  lastRunAt: s.lastRunAt?.toISOString() ?? null,
  lastRunId: s.lastRunId,
  version: s.version,
});

export async function getSchedule(db: Db): Promise<CmdbAuditSchedule> {
  await qs.ensureSchedule(db);
  const s = await qs.getSchedule(db);
  if (!s) throw new Error('audit schedule row missing');
  return scheduleDto(s);
}

export async function updateSchedule(
  db: Db,
  actor: Actor,
  input: z.output<typeof updateCmdbAuditScheduleRequestSchema>,
  now: Date = new Date(),
): Promise<CmdbAuditSchedule> {
  const spec = { mode: input.mode, time: input.time, weekday: input.weekday };
  const problem = scheduleProblem(spec);
  if (problem) throw new AppError('CMDB_AUDIT_SCHEDULE_INVALID', { reasonZh: problem.zh, reasonEn: problem.en });
  await qs.ensureSchedule(db);
  return db.transaction(async (tx) => {
    const s = await qs.lockSchedule(tx);
    if (!s) throw new Error('audit schedule row missing');
    if (s.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: s.version }, { currentVersion: s.version });
    const next = await qs.updateSchedule(tx, {
      mode: spec.mode,
      time: spec.mode === 'off' ? s.time : spec.time,
      weekday: spec.mode === 'weekly' ? spec.weekday : null,
      nextRunAt: nextSlot(spec, now),
      updatedBy: actor.userId > 0 ? actor.userId : null,
      version: s.version + 1,
    });
    if (!next) throw new Error('audit schedule row missing');
    await recordAudit(tx, {
      actor,
      action: 'cmdb.audit_schedule.update',
      objectType: 'cmdb_audit_schedule',
      objectId: 1,
      result: 'success',
      details: { mode: next.mode, time: next.time, weekday: next.weekday, nextRunAt: next.nextRunAt?.toISOString() ?? null },
    });
    return scheduleDto(next);
  });
}

/**
 * One audit over the non-retired CIs of `orgIds` (null = all): each enabled rule is one set-based
 * INSERT ... SELECT of its violations, then one grouped INSERT of the counts per organisation, class
 * and owner. Runs are serialised; the caller's transaction holds everything, so a failed run leaves nothing.
 */
async function runInTx(tx: Queryable, actor: Actor, orgIds: number[] | null, trigger: 'manual' | 'scheduled', now: Date): Promise<number> {
  await qs.lockRuns(tx);
  const tree = await loadTree(tx);
  const rules = (await qs.allRules(tx)).filter((r) => r.enabled && (r.classKey === null || tree.byKey.has(r.classKey)));
  const run = await qs.insertRun(tx, {
    trigger,
    startedBy: actor.userId > 0 ? actor.userId : null,
    orgIds,
    rules: rules.map((r) => ({ id: r.id, name: r.name, kind: r.kind })),
    startedAt: now,
  });
  const serviceClass = tree.byKey.get('business_service');
  const serviceClassIds = serviceClass ? subtreeIds(tree, serviceClass.id) : [];
  const relationTypes = await qs.relationTypeEnds(tx);
  const found: Record<string, number> = {};
  for (const r of rules) {
    const classIds = r.classKey === null ? null : subtreeIds(tree, tree.byKey.get(r.classKey)?.id ?? 0);
    const t: qs.Target = { runId: run.id, ruleId: r.id, orgIds, classIds };
    const p = (r.params ?? {}) as CmdbAuditRuleParams;
    let n = 0;
    switch (r.kind) {
      case 'required_missing': {
        const required = (classIds ?? [...tree.byId.keys()]).flatMap((classId) =>
          effectiveAttributes(tree, classId)
            .filter((a) => a.required)
            .map((a) => ({ classId, key: a.key })),
        );
        n = await qs.findRequiredMissing(tx, t, required);
        break;
      }
      case 'no_owner':
        n = await qs.findNoOwner(tx, t);
        break;
      case 'stale':
        n = await qs.findStale(tx, t, p.days ?? 180, now);
        break;
      case 'no_service_relation':
        n = await qs.findNoServiceRelation(tx, t, serviceClassIds, relationTypes);
        break;
      case 'duplicate_identifier': {
        const id = parseIdentifier(p.identifier);
        if (id) n = await qs.findDuplicates(tx, t, id, p.identifier ?? '', p.sameClass ?? true);
        break;
      }
    }
    found[String(r.id)] = n;
  }
  await qs.insertRunStats(tx, run.id, orgIds);
  await qs.finishRun(tx, run.id, new Date());
  await qs.pruneViolations(tx, KEEP_VIOLATION_RUNS);
  await recordAudit(tx, {
    actor,
    action: 'cmdb.audit.run',
    objectType: 'cmdb_audit_run',
    objectId: run.id,
    result: 'success',
    details: { trigger, orgIds, violationsByRule: found },
  });
  return run.id;
}

/** A manual run over the organisations the actor may see. */
export async function runAudit(db: Db, actor: Actor, now: Date = new Date()): Promise<CmdbAuditReport> {
  const scope = await ticketOrgScope(db, actor);
  const runId = await db.transaction((tx) => runInTx(tx, actor, scope, 'manual', now));
  return getReport(db, actor, runId);
}

/**
 * The `cmdb.audit` sweep: when the schedule's slot is due, claim it and run over every organisation,
 * in one transaction. Returns 1 when it ran, 0 otherwise (a second instance, or nothing due).
 */
export async function sweepAudits(db: Db, now: Date = new Date()): Promise<number> {
  const s = await qs.getSchedule(db);
  if (!s || s.mode === 'off' || !s.nextRunAt || s.nextRunAt.getTime() > now.getTime()) return 0;
  const slot = s.nextRunAt;
  return db.transaction(async (tx) => {
    // Several missed slots (server down) collapse into this one run: the next slot is after now.
    const next = nextSlot({ mode: s.mode, time: s.time, weekday: s.weekday }, now);
    if (!(await qs.claimSlot(tx, slot, next, now))) return 0;
    const runId = await runInTx(tx, systemActor(), null, 'scheduled', now);
    await qs.updateSchedule(tx, { lastRunId: runId });
    return 1;
  });
}

const tally = (t: qs.Tally | undefined) => {
  const cisChecked = Number(t?.cis_checked ?? 0);
  const cisWithViolations = Number(t?.cis_with_violations ?? 0);
  return { cisChecked, cisWithViolations, violations: Number(t?.violations ?? 0), accuracyPct: accuracyPct(cisChecked, cisWithViolations) };
};

type RunRules = CmdbAuditRun['rules'];

async function runDtos(db: Db, ids: number[], scope: number[] | null): Promise<CmdbAuditRun[]> {
  const runs = await qs.runsByIds(db, ids);
  const totals = new Map((await qs.runTotals(db, ids, scope)).map((t) => [Number(t.run_id), t]));
  const byId = new Map(runs.map((r) => [Number(r.id), r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id,
        trigger: r.trigger,
        startedBy: r.startedBy === null ? null : Number(r.startedBy),
        startedByName: r.started_by_name,
        startedAt: new Date(r.startedAt).toISOString(),
        finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
        orgIds: r.orgIds ? r.orgIds.map(Number) : null,
        rules: (r.rules ?? []) as RunRules,
        violationsKept: r.violationsKept,
        ...tally(totals.get(id)),
      },
    ];
  });
}

/** A run the actor may see: it covered all organisations or one of theirs; else 404. */
async function visibleRun(db: Db, actor: Actor, id: number) {
  const scope = await ticketOrgScope(db, actor);
  const run = await qs.findRun(db, id);
  if (!run || (scope !== null && run.orgIds !== null && !run.orgIds.some((o) => scope.includes(Number(o))))) throw new AppError('NOT_FOUND', { object: 'audit run' });
  return { run, scope };
}

export async function listRuns(db: Db, actor: Actor, query: z.output<typeof cmdbAuditRunListQuerySchema>) {
  const scope = await ticketOrgScope(db, actor);
  const r = await qs.listRuns(db, scope, query.pageSize, (query.page - 1) * query.pageSize);
  return { items: await runDtos(db, r.ids, scope), total: r.total, page: query.page, pageSize: query.pageSize };
}

export async function latestReport(db: Db, actor: Actor): Promise<CmdbAuditReport | null> {
  const id = await qs.latestRunId(db, await ticketOrgScope(db, actor));
  return id === null ? null : getReport(db, actor, id);
}

export async function getReport(db: Db, actor: Actor, id: number): Promise<CmdbAuditReport> {
  const { scope } = await visibleRun(db, actor, id);
  const [run] = await runDtos(db, [id], scope);
  if (!run) throw new AppError('NOT_FOUND', { object: 'audit run' });
  const ruleCounts = new Map((await qs.totalsByRule(db, id, scope)).map((r) => [Number(r.rule_id), Number(r.n)]));
  return {
    run,
    byClass: (await qs.totalsByClass(db, id, scope)).map((c) => ({ classId: Number(c.class_id), classKey: c.class_key ?? '', className: c.class_name ?? '', ...tally(c) })),
    byOwner: (await qs.totalsByOwner(db, id, scope)).map((o) => ({
      ownerKind: o.owner_kind,
      ownerId: o.owner_id === null ? null : Number(o.owner_id),
      ownerName: o.owner_name,
      ...tally(o),
    })),
    byRule: run.rules.map((r) => ({ ruleId: r.id, name: r.name, kind: r.kind, violations: ruleCounts.get(r.id) ?? 0 })),
  };
}

export async function listViolations(db: Db, actor: Actor, runId: number, query: z.output<typeof cmdbAuditViolationQuerySchema>) {
  const { run, scope } = await visibleRun(db, actor, runId);
  const names = new Map(((run.rules ?? []) as RunRules).map((r) => [r.id, r]));
  const r = await qs.violationsPage(db, {
    runId,
    scope,
    ...(query.ruleId !== undefined ? { ruleId: query.ruleId } : {}),
    ...(query.classId !== undefined ? { classId: query.classId } : {}),
    ...(query.ciId !== undefined ? { ciId: query.ciId } : {}),
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  const items: CmdbAuditViolation[] = r.items.map((v) => {
    const rule = names.get(Number(v.rule_id));
    return {
      id: Number(v.id),
      ruleId: Number(v.rule_id),
      ruleName: rule?.name ?? '',
      kind: rule?.kind ?? 'no_owner',
      ciId: Number(v.ci_id),
      ciName: v.ci_name,
      classKey: v.class_key,
      className: v.class_name,
      orgId: Number(v.org_id),
      orgName: v.org_name,
      ownerUserId: v.owner_user_id === null ? null : Number(v.owner_user_id),
      ownerUserName: v.owner_user_name,
      ownerGroupId: v.owner_group_id === null ? null : Number(v.owner_group_id),
      ownerGroupName: v.owner_group_name,
      detail: v.detail ?? {},
    };
  });
  return { items, total: r.total, page: query.page, pageSize: query.pageSize };
}
