import type { z } from 'zod';
import type {
  Locale,
  MaintenanceWindow,
  Outage,
  PeriodAvailabilityDto,
  Service,
  ServiceAvailability,
  ServiceSummary,
  createMaintenanceWindowRequestSchema,
  createOutageRequestSchema,
  createServiceRequestSchema,
  updateMaintenanceWindowRequestSchema,
  updateOutageRequestSchema,
  updateServiceRequestSchema,
} from '@tianshu/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { loadBusinessCalendar } from '../calendars/calendars.service.ts';
import type { BusinessCalendar } from '../calendars/business-time.ts';
import { loadVisible } from '../tickets/tickets.service.ts';
import {
  availabilityReport,
  periodOf,
  targetPctFromBudgetHours,
  type AvailabilityReport,
  type Period,
  type PeriodAvailability,
} from './availability.ts';
import * as qs from './services.queries.ts';

type CreateServiceInput = z.output<typeof createServiceRequestSchema>;
type UpdateServiceInput = z.output<typeof updateServiceRequestSchema>;
type CreateWindowInput = z.output<typeof createMaintenanceWindowRequestSchema>;
type UpdateWindowInput = z.output<typeof updateMaintenanceWindowRequestSchema>;
type CreateOutageInput = z.output<typeof createOutageRequestSchema>;
type UpdateOutageInput = z.output<typeof updateOutageRequestSchema>;

/** Messages of rules that span several fields (zod checks each field on its own). */
const RULES: Record<'oneTarget' | 'budgetTooSmall' | 'partialWeight', Record<Locale, string>> = {
  oneTarget: {
    'zh-CN': '可用率目标（targetPct）与年度停机预算（budgetHoursPerYear）须且只能填写一个',
    'en-US': 'Give exactly one of targetPct and budgetHoursPerYear',
  },
  budgetTooSmall: {
    'zh-CN': '年度停机预算至少为 1 分钟，且必须小于 8760 小时',
    'en-US': 'The yearly downtime budget must be at least 1 minute and less than 8760 hours',
  },
  partialWeight: {
    'zh-CN': '部分中断须填写影响权重（0 < 权重 ≤ 1）',
    'en-US': 'A partial outage needs a weight (0 < weight <= 1)',
  },
};

function invalid(actor: Actor, rule: keyof typeof RULES): AppError {
  return new AppError('VALIDATION_FAILED', { summary: RULES[rule][actor.locale] ?? RULES[rule]['zh-CN'] });
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

// ---- scope ----

const isCustomer = (actor: Actor) => actor.via !== 'system' && (actor.orgKind === 'customer' || actor.roles.includes('customer'));

/** Customers see the services delivered to their organisation; provider staff see every service. */
function serviceVisible(actor: Actor, row: qs.ServiceRow): boolean {
  return !isCustomer(actor) || row.s.orgId === actor.orgId;
}

/**
 * A service the actor may see; anything else is 404 (existence must not leak), audited when it
 * exists. Writes call it with `db` before their transaction, so the denial audit is not rolled back.
 */
export async function loadService(q: Queryable, actor: Actor, id: number): Promise<qs.ServiceRow> {
  const row = await qs.findService(q, id);
  if (!row || !serviceVisible(actor, row)) {
    if (row) {
      await recordAudit(q, { actor, action: 'access.denied', objectType: 'service', objectId: id, result: 'denied', details: { reason: 'out of tenant scope' } });
    }
    throw new AppError('NOT_FOUND', { object: 'service' });
  }
  return row;
}

// ---- DTOs ----

export function serviceDto(row: qs.ServiceRow): Service {
  const s = row.s;
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    orgId: s.orgId,
    orgName: row.orgName,
    targetPct: s.targetPct,
    budgetHoursPerYear: s.budgetMinutesPerYear === null ? null : s.budgetMinutesPerYear / 60,
    calendarId: s.calendarId,
    calendarName: row.calendarName,
    timeZone: row.timeZone,
    active: s.active,
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

function windowDto(w: qs.WindowRow): MaintenanceWindow {
  return {
    id: w.id,
    serviceId: w.serviceId,
    title: w.title,
    startsAt: w.startsAt.toISOString(),
    endsAt: w.endsAt.toISOString(),
    createdBy: w.createdBy,
    createdAt: w.createdAt.toISOString(),
  };
}

export function outageDto(row: qs.OutageRow): Outage {
  const o = row.o;
  return {
    id: o.id,
    serviceId: o.serviceId,
    serviceName: row.serviceName,
    ticketId: o.ticketId,
    ticketNumber: row.ticketNumber,
    ticketTitle: row.ticketTitle,
    startedAt: o.startedAt.toISOString(),
    endedAt: iso(o.endedAt),
    impact: o.impact,
    weight: o.weight,
    note: o.note,
    version: o.version,
    createdBy: o.createdBy,
    createdByName: row.createdByName,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

function periodDto(p: Period & PeriodAvailability): PeriodAvailabilityDto {
  return {
    ...p,
    from: p.from.toISOString(),
    to: p.to.toISOString(),
    projectedExhaustionAt: iso(p.projectedExhaustionAt),
  };
}

/** What the audit trail keeps of an outage or a service. */
const outageAudit = (o: { ticketId: number | null; startedAt: Date; endedAt: Date | null; impact: string; weight: number; note: string }) => ({
  ticketId: o.ticketId,
  startedAt: o.startedAt.toISOString(),
  endedAt: iso(o.endedAt),
  impact: o.impact,
  weight: o.weight,
  note: o.note,
});
const serviceAudit = (s: qs.ServiceRow['s']) => ({
  name: s.name,
  description: s.description,
  orgId: s.orgId,
  targetPct: s.targetPct,
  budgetMinutesPerYear: s.budgetMinutesPerYear,
  calendarId: s.calendarId,
  active: s.active,
});

// ---- availability ----

/**
 * Month / quarter / year-to-date reports of several services at `now`: one query for the
 * windows and one for the outages of all of them over the widest year, calendars loaded once each.
 */
export async function computeReports(q: Queryable, rows: readonly qs.ServiceRow[], now: Date): Promise<Map<number, AvailabilityReport>> {
  const out = new Map<number, AvailabilityReport>();
  if (rows.length === 0) return out;
  const calendars = new Map<number, BusinessCalendar>();
  for (const row of rows) {
    if (!calendars.has(row.s.calendarId)) calendars.set(row.s.calendarId, await loadBusinessCalendar(q, row.s.calendarId));
  }
  const years = [...calendars.values()].map((c) => periodOf('year', now, c.timeZone));
  const from = new Date(Math.min(...years.map((y) => y.from.getTime())));
  const to = new Date(Math.max(...years.map((y) => y.to.getTime())));
  const ids = rows.map((r) => r.s.id);
  const [windows, outages] = await Promise.all([qs.windowsOverlapping(q, ids, from, to), qs.outagesOverlapping(q, ids, from, to)]);
  for (const row of rows) {
    const calendar = calendars.get(row.s.calendarId);
    if (!calendar) continue;
    out.set(
      row.s.id,
      availabilityReport({
        calendar,
        now,
        targetPct: row.s.targetPct,
        maintenance: windows.filter((w) => w.serviceId === row.s.id).map((w) => ({ start: w.startsAt, end: w.endsAt })),
        outages: outages.filter((o) => o.serviceId === row.s.id).map((o) => ({ start: o.startedAt, end: o.endedAt, weight: o.weight })),
      }),
    );
  }
  return out;
}

export async function getAvailability(db: Db, actor: Actor, id: number, at?: string): Promise<ServiceAvailability> {
  const row = await loadService(db, actor, id);
  const now = at ? new Date(at) : new Date();
  const report = (await computeReports(db, [row], now)).get(id);
  if (!report) throw new AppError('NOT_FOUND', { object: 'service' });
  return {
    serviceId: id,
    at: now.toISOString(),
    targetPct: row.s.targetPct,
    timeZone: row.timeZone,
    month: periodDto(report.month),
    quarter: periodDto(report.quarter),
    year: periodDto(report.year),
  };
}

// ---- services ----

export async function listServices(db: Db, actor: Actor, now = new Date()): Promise<ServiceSummary[]> {
  const rows = await qs.listServices(db, isCustomer(actor) ? { orgId: actor.orgId } : {});
  const reports = await computeReports(db, rows, now);
  return rows.map((row) => {
    const m = reports.get(row.s.id)?.month;
    return {
      ...serviceDto(row),
      month: {
        key: m?.key ?? '',
        availabilityPct: m?.availabilityPct ?? null,
        budgetMinutes: m?.budgetMinutes ?? 0,
        usedMinutes: m?.usedMinutes ?? 0,
        leftMinutes: m?.leftMinutes ?? 0,
        usedPct: m?.usedPct ?? null,
      },
    };
  });
}

export async function getService(db: Db, actor: Actor, id: number): Promise<Service> {
  return serviceDto(await loadService(db, actor, id));
}

/** targetPct and budgetMinutesPerYear from a request with one of targetPct / budgetHoursPerYear. */
function targetOf(actor: Actor, input: { targetPct?: number | undefined; budgetHoursPerYear?: number | undefined }) {
  if (input.budgetHoursPerYear !== undefined) {
    const minutes = Math.round(input.budgetHoursPerYear * 60);
    const targetPct = targetPctFromBudgetHours(minutes / 60);
    if (minutes < 1 || !(targetPct > 0)) throw invalid(actor, 'budgetTooSmall');
    return { targetPct, budgetMinutesPerYear: minutes };
  }
  if (input.targetPct !== undefined) return { targetPct: input.targetPct, budgetMinutesPerYear: null };
  return undefined;
}

async function checkReferences(q: Queryable, input: { calendarId?: number | undefined; orgId?: number | null | undefined }) {
  if (input.calendarId !== undefined && !(await qs.calendarExists(q, input.calendarId))) throw new AppError('REFERENCE_INVALID', { object: 'calendar' });
  if (input.orgId !== undefined && input.orgId !== null && !(await qs.organizationExists(q, input.orgId))) {
    throw new AppError('REFERENCE_INVALID', { object: 'organization' });
  }
}

/** A unique-name race lost inside the transaction surfaces as the same 409 as the pre-check. */
async function mappingNameTaken<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('SERVICE_NAME_TAKEN');
    throw err;
  }
}

export async function createService(db: Db, actor: Actor, input: CreateServiceInput): Promise<Service> {
  if ((input.targetPct === undefined) === (input.budgetHoursPerYear === undefined)) throw invalid(actor, 'oneTarget');
  const target = targetOf(actor, input);
  if (!target) throw invalid(actor, 'oneTarget');
  return mappingNameTaken(() =>
    db.transaction(async (tx) => {
      await checkReferences(tx, input);
      if (await qs.serviceNameTaken(tx, input.name)) throw new AppError('SERVICE_NAME_TAKEN');
      const id = await qs.insertService(tx, {
        name: input.name,
        description: input.description,
        orgId: input.orgId ?? null,
        calendarId: input.calendarId,
        ...target,
      });
      const row = await qs.findService(tx, id);
      if (!row) throw new Error('service vanished');
      await recordAudit(tx, { actor, action: 'service.create', objectType: 'service', objectId: id, result: 'success', details: { after: serviceAudit(row.s) } });
      return serviceDto(row);
    }),
  );
}

export async function updateService(db: Db, actor: Actor, id: number, input: UpdateServiceInput): Promise<Service> {
  if (input.targetPct !== undefined && input.budgetHoursPerYear !== undefined) throw invalid(actor, 'oneTarget');
  const target = targetOf(actor, input);
  await loadService(db, actor, id);
  return mappingNameTaken(() =>
    db.transaction(async (tx) => {
      const before = await qs.findService(tx, id);
      if (!before) throw new AppError('NOT_FOUND', { object: 'service' });
      await checkReferences(tx, input);
      if (input.name !== undefined && (await qs.serviceNameTaken(tx, input.name, id))) throw new AppError('SERVICE_NAME_TAKEN');
      const { version, targetPct: _t, budgetHoursPerYear: _b, ...rest } = input;
      const patch = { ...rest, ...(target ?? {}) };
      if (!(await qs.updateServiceVersioned(tx, id, version, patch))) {
        throw new AppError('VERSION_CONFLICT', { current: before.s.version }, { currentVersion: before.s.version });
      }
      const after = await qs.findService(tx, id);
      if (!after) throw new Error('service vanished');
      await recordAudit(tx, {
        actor,
        action: 'service.update',
        objectType: 'service',
        objectId: id,
        result: 'success',
        details: { before: serviceAudit(before.s), after: serviceAudit(after.s) },
      });
      return serviceDto(after);
    }),
  );
}

/** DELETE retires a service: its outages and windows stay as history, budget warnings stop. */
export async function retireService(db: Db, actor: Actor, id: number): Promise<Service> {
  await loadService(db, actor, id);
  return db.transaction(async (tx) => {
    const before = await qs.findService(tx, id);
    if (!before) throw new AppError('NOT_FOUND', { object: 'service' });
    if (before.s.active) {
      await qs.updateServiceVersioned(tx, id, before.s.version, { active: false });
      await recordAudit(tx, { actor, action: 'service.retire', objectType: 'service', objectId: id, result: 'success', details: { before: serviceAudit(before.s) } });
    }
    const after = await qs.findService(tx, id);
    if (!after) throw new Error('service vanished');
    return serviceDto(after);
  });
}

// ---- maintenance windows ----

function checkRange(start: Date, end: Date | null) {
  if (end !== null && end.getTime() <= start.getTime()) throw new AppError('TIME_RANGE_INVALID');
}

export async function listWindows(db: Db, actor: Actor, serviceId: number): Promise<MaintenanceWindow[]> {
  await loadService(db, actor, serviceId);
  return (await qs.listWindows(db, serviceId)).map(windowDto);
}

export async function createWindow(db: Db, actor: Actor, serviceId: number, input: CreateWindowInput): Promise<MaintenanceWindow> {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  checkRange(startsAt, endsAt);
  await loadService(db, actor, serviceId);
  return db.transaction(async (tx) => {
    const w = await qs.insertWindow(tx, { serviceId, title: input.title, startsAt, endsAt, createdBy: actor.userId > 0 ? actor.userId : null });
    await recordAudit(tx, {
      actor,
      action: 'maintenance_window.create',
      objectType: 'maintenance_window',
      objectId: w.id,
      result: 'success',
      details: { serviceId, after: { title: w.title, startsAt: w.startsAt.toISOString(), endsAt: w.endsAt.toISOString() } },
    });
    return windowDto(w);
  });
}

export async function updateWindow(db: Db, actor: Actor, serviceId: number, id: number, input: UpdateWindowInput): Promise<MaintenanceWindow> {
  await loadService(db, actor, serviceId);
  return db.transaction(async (tx) => {
    const before = await qs.findWindow(tx, serviceId, id);
    if (!before) throw new AppError('NOT_FOUND', { object: 'maintenanceWindow' });
    const startsAt = input.startsAt ? new Date(input.startsAt) : before.startsAt;
    const endsAt = input.endsAt ? new Date(input.endsAt) : before.endsAt;
    checkRange(startsAt, endsAt);
    const w = await qs.updateWindow(tx, id, { title: input.title ?? before.title, startsAt, endsAt });
    if (!w) throw new AppError('NOT_FOUND', { object: 'maintenanceWindow' });
    const view = (x: typeof before) => ({ title: x.title, startsAt: x.startsAt.toISOString(), endsAt: x.endsAt.toISOString() });
    await recordAudit(tx, {
      actor,
      action: 'maintenance_window.update',
      objectType: 'maintenance_window',
      objectId: id,
      result: 'success',
      details: { serviceId, before: view(before), after: view(w) },
    });
    return windowDto(w);
  });
}

export async function deleteWindow(db: Db, actor: Actor, serviceId: number, id: number): Promise<void> {
  await loadService(db, actor, serviceId);
  await db.transaction(async (tx) => {
    const before = await qs.findWindow(tx, serviceId, id);
    if (!before) throw new AppError('NOT_FOUND', { object: 'maintenanceWindow' });
    await qs.deleteWindow(tx, id);
    await recordAudit(tx, {
      actor,
      action: 'maintenance_window.delete',
      objectType: 'maintenance_window',
      objectId: id,
      result: 'success',
      details: { serviceId, before: { title: before.title, startsAt: before.startsAt.toISOString(), endsAt: before.endsAt.toISOString() } },
    });
  });
}

// ---- outages ----

/** The incident an outage links to must be an incident the actor can see. */
async function checkIncident(q: Queryable, actor: Actor, ticketId: number | null | undefined) {
  if (ticketId === undefined || ticketId === null) return;
  const t = await qs.findIncident(q, ticketId);
  if (!t || t.type !== 'incident' || !inScope(await ticketOrgScope(q, actor), t.orgId)) throw new AppError('REFERENCE_INVALID', { object: 'ticket' });
}

/** An outage of the service visible to the actor (rows of incidents outside their scope are hidden). */
async function loadOutage(q: Queryable, actor: Actor, serviceId: number, id: number) {
  const row = await qs.findOutage(q, serviceId, id);
  if (!row || (row.ticketOrgId !== null && !inScope(await ticketOrgScope(q, actor), row.ticketOrgId))) {
    throw new AppError('NOT_FOUND', { object: 'outage' });
  }
  return row;
}

function weightOf(actor: Actor, impact: 'full' | 'partial', weight: number | undefined): number {
  if (impact === 'full') return 1;
  if (weight === undefined) throw invalid(actor, 'partialWeight');
  return weight;
}

export async function listOutages(db: Db, actor: Actor, serviceId: number): Promise<Outage[]> {
  await loadService(db, actor, serviceId);
  return (await qs.listOutages(db, serviceId, await ticketOrgScope(db, actor))).map(outageDto);
}

export async function listTicketOutages(db: Db, actor: Actor, ticketId: number): Promise<Outage[]> {
  await loadVisible(db, actor, ticketId);
  const rows = await qs.listTicketOutages(db, ticketId);
  // Customers see only their own organisation's services, also on their own incident.
  return rows.filter((r) => !isCustomer(actor) || r.serviceOrgId === actor.orgId).map(outageDto);
}

export async function createOutage(db: Db, actor: Actor, serviceId: number, input: CreateOutageInput): Promise<Outage> {
  const startedAt = new Date(input.startedAt);
  const endedAt = input.endedAt ? new Date(input.endedAt) : null;
  checkRange(startedAt, endedAt);
  const weight = weightOf(actor, input.impact, input.weight);
  await loadService(db, actor, serviceId);
  return db.transaction(async (tx) => {
    await checkIncident(tx, actor, input.ticketId);
    const values = { ticketId: input.ticketId ?? null, startedAt, endedAt, impact: input.impact, weight, note: input.note };
    const id = await qs.insertOutage(tx, { serviceId, ...values, createdBy: actor.userId > 0 ? actor.userId : null });
    await recordAudit(tx, { actor, action: 'outage.create', objectType: 'service_outage', objectId: id, result: 'success', details: { serviceId, after: outageAudit(values) } });
    const row = await qs.findOutage(tx, serviceId, id);
    if (!row) throw new Error('outage vanished');
    return outageDto(row);
  });
}

export async function updateOutage(db: Db, actor: Actor, serviceId: number, id: number, input: UpdateOutageInput): Promise<Outage> {
  await loadService(db, actor, serviceId);
  return db.transaction(async (tx) => {
    const before = await loadOutage(tx, actor, serviceId, id);
    const b = before.o;
    const startedAt = input.startedAt ? new Date(input.startedAt) : b.startedAt;
    const endedAt = input.endedAt === undefined ? b.endedAt : input.endedAt === null ? null : new Date(input.endedAt);
    checkRange(startedAt, endedAt);
    const impact = input.impact ?? b.impact;
    const weight = weightOf(actor, impact, input.weight ?? b.weight);
    if (input.ticketId !== undefined && input.ticketId !== b.ticketId) await checkIncident(tx, actor, input.ticketId);
    const values = {
      ticketId: input.ticketId === undefined ? b.ticketId : input.ticketId,
      startedAt,
      endedAt,
      impact,
      weight,
      note: input.note ?? b.note,
    };
    if (!(await qs.updateOutageVersioned(tx, id, input.version, values))) {
      throw new AppError('VERSION_CONFLICT', { current: b.version }, { currentVersion: b.version });
    }
    await recordAudit(tx, {
      actor,
      action: 'outage.update',
      objectType: 'service_outage',
      objectId: id,
      result: 'success',
      details: { serviceId, before: outageAudit(b), after: outageAudit(values) },
    });
    const row = await qs.findOutage(tx, serviceId, id);
    if (!row) throw new Error('outage vanished');
    return outageDto(row);
  });
}

export async function deleteOutage(db: Db, actor: Actor, serviceId: number, id: number): Promise<void> {
  await loadService(db, actor, serviceId);
  await db.transaction(async (tx) => {
    const before = await loadOutage(tx, actor, serviceId, id);
    await qs.deleteOutage(tx, id);
    await recordAudit(tx, { actor, action: 'outage.delete', objectType: 'service_outage', objectId: id, result: 'success', details: { serviceId, before: outageAudit(before.o) } });
  });
}
