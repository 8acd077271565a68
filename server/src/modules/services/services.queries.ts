import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/db.ts';
import { organizations, users } from '../directory/directory.tables.ts';
import { calendars } from '../calendars/calendars.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { maintenanceWindows, serviceBudgetAlerts, serviceOutages, services } from './services.tables.ts';

export type ServiceInsert = typeof services.$inferInsert;
export type OutageInsert = typeof serviceOutages.$inferInsert;
export type WindowInsert = typeof maintenanceWindows.$inferInsert;
export type WindowRow = typeof maintenanceWindows.$inferSelect;

const serviceColumns = {
  s: services,
  orgName: organizations.name,
  calendarName: calendars.name,
  timeZone: calendars.timeZone,
};

function joinedServices(q: Queryable) {
  return q
    .select(serviceColumns)
    .from(services)
    .innerJoin(calendars, eq(calendars.id, services.calendarId))
    .leftJoin(organizations, eq(organizations.id, services.orgId));
}
export type ServiceRow = Awaited<ReturnType<typeof joinedServices>>[number];

/** Services, optionally only those of one organisation (a customer's view) and only active ones. */
export async function listServices(q: Queryable, f: { orgId?: number | undefined; activeOnly?: boolean } = {}) {
  const conds: SQL[] = [];
  if (f.orgId !== undefined) conds.push(eq(services.orgId, f.orgId));
  if (f.activeOnly) conds.push(eq(services.active, true));
  return joinedServices(q)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(services.name));
}

export async function findService(q: Queryable, id: number): Promise<ServiceRow | undefined> {
  const [row] = await joinedServices(q).where(eq(services.id, id));
  return row;
}

export async function serviceNameTaken(q: Queryable, name: string, exceptId?: number) {
  const cond = exceptId === undefined ? eq(services.name, name) : and(eq(services.name, name), sql`${services.id} <> ${exceptId}`);
  const [row] = await q.select({ id: services.id }).from(services).where(cond);
  return row !== undefined;
}

export async function insertService(q: Queryable, v: ServiceInsert) {
  const [row] = await q.insert(services).values(v).returning({ id: services.id });
  if (!row) throw new Error('insert returned nothing');
  return row.id;
}

/** Optimistic update: false when the version moved on. */
export async function updateServiceVersioned(q: Queryable, id: number, version: number, patch: Partial<ServiceInsert>) {
  const r = await q
    .update(services)
    .set({ ...patch, version: sql`${services.version} + 1`, updatedAt: new Date() })
    .where(and(eq(services.id, id), eq(services.version, version)))
    .returning({ id: services.id });
  return r.length > 0;
}

export async function calendarExists(q: Queryable, id: number) {
  const [row] = await q.select({ id: calendars.id }).from(calendars).where(eq(calendars.id, id));
  return row !== undefined;
}

export async function organizationExists(q: Queryable, id: number) {
  const [row] = await q.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, id));
  return row !== undefined;
}

// ---- maintenance windows ----

export async function listWindows(q: Queryable, serviceId: number) {
  return q.select().from(maintenanceWindows).where(eq(maintenanceWindows.serviceId, serviceId)).orderBy(desc(maintenanceWindows.startsAt)).limit(500);
}

/** Windows of several services overlapping [from, to), for the availability arithmetic. */
export async function windowsOverlapping(q: Queryable, serviceIds: number[], from: Date, to: Date) {
  if (serviceIds.length === 0) return [];
  return q
    .select({ serviceId: maintenanceWindows.serviceId, startsAt: maintenanceWindows.startsAt, endsAt: maintenanceWindows.endsAt })
    .from(maintenanceWindows)
    .where(and(inArray(maintenanceWindows.serviceId, serviceIds), lt(maintenanceWindows.startsAt, to), gt(maintenanceWindows.endsAt, from)));
}

export async function findWindow(q: Queryable, serviceId: number, id: number) {
  const [row] = await q
    .select()
    .from(maintenanceWindows)
    .where(and(eq(maintenanceWindows.id, id), eq(maintenanceWindows.serviceId, serviceId)));
  return row;
}

export async function insertWindow(q: Queryable, v: WindowInsert) {
  const [row] = await q.insert(maintenanceWindows).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function updateWindow(q: Queryable, id: number, patch: Partial<WindowInsert>) {
  const [row] = await q.update(maintenanceWindows).set(patch).where(eq(maintenanceWindows.id, id)).returning();
  return row;
}

export async function deleteWindow(q: Queryable, id: number) {
  await q.delete(maintenanceWindows).where(eq(maintenanceWindows.id, id));
}

// ---- outages ----

const outageColumns = {
  o: serviceOutages,
  serviceName: services.name,
  serviceOrgId: services.orgId,
  ticketNumber: tickets.number,
  ticketTitle: tickets.title,
  ticketOrgId: tickets.orgId,
  createdByName: users.displayName,
};

function joinedOutages(q: Queryable) {
  return q
    .select(outageColumns)
    .from(serviceOutages)
    .innerJoin(services, eq(services.id, serviceOutages.serviceId))
    .leftJoin(tickets, eq(tickets.id, serviceOutages.ticketId))
    .leftJoin(users, eq(users.id, serviceOutages.createdBy));
}
export type OutageRow = Awaited<ReturnType<typeof joinedOutages>>[number];

/** Outage rows visible in a ticket scope (null = all): unlinked rows, or rows whose incident is in scope. */
function ticketScopeCond(scope: number[] | null): SQL | undefined {
  if (scope === null) return undefined;
  return or(isNull(serviceOutages.ticketId), inArray(tickets.orgId, scope.length ? scope : [-1]));
}

export async function listOutages(q: Queryable, serviceId: number, scope: number[] | null) {
  return joinedOutages(q)
    .where(and(eq(serviceOutages.serviceId, serviceId), ticketScopeCond(scope)))
    .orderBy(desc(serviceOutages.startedAt), desc(serviceOutages.id))
    .limit(500);
}

export async function listTicketOutages(q: Queryable, ticketId: number) {
  return joinedOutages(q).where(eq(serviceOutages.ticketId, ticketId)).orderBy(desc(serviceOutages.startedAt), desc(serviceOutages.id));
}

export async function findOutage(q: Queryable, serviceId: number, id: number): Promise<OutageRow | undefined> {
  const [row] = await joinedOutages(q).where(and(eq(serviceOutages.id, id), eq(serviceOutages.serviceId, serviceId)));
  return row;
}

/** Outages of several services overlapping [from, to) (open ones included), for the arithmetic. */
export async function outagesOverlapping(q: Queryable, serviceIds: number[], from: Date, to: Date) {
  if (serviceIds.length === 0) return [];
  return q
    .select({ serviceId: serviceOutages.serviceId, startedAt: serviceOutages.startedAt, endedAt: serviceOutages.endedAt, weight: serviceOutages.weight })
    .from(serviceOutages)
    .where(and(inArray(serviceOutages.serviceId, serviceIds), lt(serviceOutages.startedAt, to), or(isNull(serviceOutages.endedAt), gt(serviceOutages.endedAt, from))));
}

export async function insertOutage(q: Queryable, v: OutageInsert) {
  const [row] = await q.insert(serviceOutages).values(v).returning({ id: serviceOutages.id });
  if (!row) throw new Error('insert returned nothing');
  return row.id;
}

export async function updateOutageVersioned(q: Queryable, id: number, version: number, patch: Partial<OutageInsert>) {
  const r = await q
    .update(serviceOutages)
    .set({ ...patch, version: sql`${serviceOutages.version} + 1`, updatedAt: new Date() })
    .where(and(eq(serviceOutages.id, id), eq(serviceOutages.version, version)))
    .returning({ id: serviceOutages.id });
  return r.length > 0;
}

export async function deleteOutage(q: Queryable, id: number) {
  await q.delete(serviceOutages).where(eq(serviceOutages.id, id));
}

/** An incident by id, for linking an outage. */
export async function findIncident(q: Queryable, id: number) {
  const [row] = await q
    .select({ id: tickets.id, orgId: tickets.orgId, type: tickets.type, number: tickets.number })
    .from(tickets)
    .where(eq(tickets.id, id));
  return row;
}

// ---- budget alerts ----

/** Records a threshold as fired; true only for the caller that inserted it (fires once). */
export async function claimBudgetAlert(q: Queryable, serviceId: number, period: string, pct: number) {
  const r = await q
    .insert(serviceBudgetAlerts)
    .values({ serviceId, period, pct })
    .onConflictDoNothing()
    .returning({ pct: serviceBudgetAlerts.pct });
  return r.length > 0;
}

/** Active managers of provider organisations: who hears about budget warnings. */
export async function providerManagerIds(q: Queryable): Promise<number[]> {
  const r = await q
    .select({ id: users.id })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(and(eq(organizations.kind, 'provider'), eq(users.status, 'active'), sql`'manager' = ANY(${users.roles})`))
    .orderBy(asc(users.id));
  return r.map((x) => x.id);
}
