import {
  evaluationGrade,
  evaluationTotal,
  serviceLevelSchema,
  type createVendorContractRequestSchema,
  type createVendorEvaluationRequestSchema,
  type createVendorRequestSchema,
  type updateVendorContractRequestSchema,
  type updateVendorRequestSchema,
  type Vendor,
  type VendorContract,
  type VendorDetail,
  type VendorEvaluation,
  type vendorContractListQuerySchema,
  type vendorListQuerySchema,
} from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { isValidCreditCode } from './credit-code.ts';
import { addDays, daysBetween, isOverdue, shanghaiDate, turnaroundHours } from './repair-flow.ts';
import * as qs from './vendors.queries.ts';

/** Contracts ending within this many days are flagged and reminded. */
export const EXPIRY_WINDOW_DAYS = 30;

const constraintOf = (err: unknown): string | null => {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return String((e as { constraint?: unknown }).constraint ?? '');
  }
  return null;
};

/** A unique index lost to a concurrent writer gives the same answer as the check before the write. */
function mapUnique(err: unknown, v: { name?: string | undefined; creditCode?: string | null | undefined; number?: string | undefined }): never {
  const c = constraintOf(err);
  if (c === 'vendors_name_uq') throw new AppError('VENDOR_NAME_TAKEN', { name: v.name ?? '' });
  if (c === 'vendors_credit_code_uq') throw new AppError('VENDOR_CREDIT_CODE_TAKEN', { code: v.creditCode ?? '' });
  if (c === 'vendor_contracts_number_uq') throw new AppError('VENDOR_CONTRACT_NUMBER_TAKEN', { number: v.number ?? '' });
  throw err;
}

function vendorDto(v: qs.VendorRow, contacts: qs.ContactRow[]): Vendor {
  return {
    id: v.id,
    name: v.name,
    kind: v.kind,
    creditCode: v.creditCode,
    address: v.address,
    website: v.website,
    notes: v.notes,
    active: v.active,
    contacts: contacts.map((c) => ({ name: c.name, role: c.role, phone: c.phone, email: c.email, primary: c.primary })),
    version: v.version,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

export function contractDto(r: qs.ContractJoined, now: Date = new Date()): VendorContract {
  const daysLeft = daysBetween(shanghaiDate(now), r.c.endDate);
  return {
    id: r.c.id,
    vendorId: r.c.vendorId,
    vendorName: r.vendorName,
    orgId: r.c.orgId,
    orgName: r.orgName,
    number: r.c.number,
    title: r.c.title,
    kind: r.c.kind,
    startDate: r.c.startDate,
    endDate: r.c.endDate,
    amount: r.c.amount,
    currency: r.c.currency,
    serviceLevel: serviceLevelSchema.parse(r.c.serviceLevel ?? {}),
    slaDefinitionId: r.c.slaDefinitionId,
    slaDefinitionName: r.slaDefinitionName,
    notes: r.c.notes,
    daysLeft,
    expiringSoon: daysLeft >= 0 && daysLeft <= EXPIRY_WINDOW_DAYS,
    version: r.c.version,
    createdAt: r.c.createdAt.toISOString(),
    updatedAt: r.c.updatedAt.toISOString(),
  };
}

/* -------------------------------- vendors -------------------------------- */

async function checkVendor(tx: Queryable, v: { name: string; creditCode: string | null }, exceptId: number | null) {
  if (v.creditCode !== null && !isValidCreditCode(v.creditCode)) throw new AppError('VENDOR_CREDIT_CODE_INVALID', { code: v.creditCode });
  if (await qs.vendorNameTaken(tx, v.name, exceptId)) throw new AppError('VENDOR_NAME_TAKEN', { name: v.name });
  if (v.creditCode !== null && (await qs.creditCodeTaken(tx, v.creditCode, exceptId))) throw new AppError('VENDOR_CREDIT_CODE_TAKEN', { code: v.creditCode });
}

function checkContacts(contacts: { primary: boolean }[]) {
  if (contacts.filter((c) => c.primary).length > 1) throw new AppError('VENDOR_PRIMARY_CONTACT_DUPLICATE');
}

export async function createVendor(db: Db, actor: Actor, input: z.output<typeof createVendorRequestSchema>): Promise<Vendor> {
  try {
    return await db.transaction(async (tx) => {
      await checkVendor(tx, input, null);
      checkContacts(input.contacts);
      const { contacts, ...fields } = input;
      const v = await qs.insertVendor(tx, fields);
      await qs.replaceContacts(tx, v.id, contacts);
      await recordAudit(tx, { actor, action: 'vendor.create', objectType: 'vendor', objectId: v.id, result: 'success', details: { name: v.name, creditCode: v.creditCode } });
      return vendorDto(v, await qs.contactsOf(tx, [v.id]));
    });
  } catch (err) {
    return mapUnique(err, input);
  }
}

export async function updateVendor(db: Db, actor: Actor, id: number, input: z.output<typeof updateVendorRequestSchema>): Promise<Vendor> {
  try {
    return await db.transaction(async (tx) => {
      const before = await qs.lockVendor(tx, id);
      if (!before) throw new AppError('NOT_FOUND', { object: 'vendor' });
      if (before.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: before.version }, { currentVersion: before.version });
      const { version: _v, contacts, ...patch } = input;
      const next = { name: patch.name ?? before.name, creditCode: patch.creditCode === undefined ? before.creditCode : patch.creditCode };
      await checkVendor(tx, next, id);
      const changed = Object.entries(patch)
        .filter(([k, v]) => v !== undefined && (before as Record<string, unknown>)[k] !== v)
        .map(([k]) => k);
      if (contacts) {
        checkContacts(contacts);
        const current = await qs.contactsOf(tx, [id]);
        const same = JSON.stringify(vendorDto(before, current).contacts) === JSON.stringify(vendorDto(before, contacts.map((c, i) => ({ ...c, id: i, vendorId: id }))).contacts);
        if (!same) {
          await qs.replaceContacts(tx, id, contacts);
          changed.push('contacts');
        }
      }
      // Nothing changed: no new version and no audit row.
      if (!changed.length) return vendorDto(before, await qs.contactsOf(tx, [id]));
      const v = await qs.updateVendor(tx, id, { ...patch, version: before.version + 1 });
      await recordAudit(tx, { actor, action: 'vendor.update', objectType: 'vendor', objectId: id, result: 'success', details: { version: v.version, fields: changed } });
      return vendorDto(v, await qs.contactsOf(tx, [id]));
    });
  } catch (err) {
    return mapUnique(err, { name: input.name, creditCode: input.creditCode });
  }
}

export async function listVendors(db: Db, query: z.output<typeof vendorListQuerySchema>) {
  const r = await qs.listVendors(db, {
    ...(query.q ? { text: query.q } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.active === undefined ? {} : { active: query.active }),
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  const contacts = await qs.contactsOf(
    db,
    r.items.map((x) => x.v.id),
  );
  return {
    items: r.items.map((x) => ({
      ...vendorDto(
        x.v,
        contacts.filter((c) => c.vendorId === x.v.id),
      ),
      contractCount: Number(x.contractCount),
      latestGrade: x.latestGrade,
      openRepairs: Number(x.openRepairs),
    })),
    total: r.total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function getVendor(db: Db, actor: Actor, id: number, now: Date = new Date()): Promise<VendorDetail> {
  const v = await qs.findVendor(db, id);
  if (!v) throw new AppError('NOT_FOUND', { object: 'vendor' });
  const scope = await ticketOrgScope(db, actor);
  const contracts = await qs.listContracts(db, { orgIds: scope, vendorId: id, limit: 500, offset: 0 });
  const clocks = await qs.vendorRepairClocks(db, id, scope);
  const turnarounds = clocks
    .filter((c) => c.returnedAt !== null)
    .map((c) => turnaroundHours(c, now))
    .filter((h): h is number => h !== null);
  const avg = turnarounds.length ? Math.round((turnarounds.reduce((a, b) => a + b, 0) / turnarounds.length) * 10) / 10 : null;
  return {
    ...vendorDto(v, await qs.contactsOf(db, [id])),
    contracts: contracts.items.map((c) => contractDto(c, now)),
    evaluations: (await qs.evaluationsOf(db, id)).map(evaluationDto),
    repairStats: {
      total: clocks.length,
      open: clocks.filter((c) => c.status !== 'closed' && c.status !== 'cancelled').length,
      overdue: clocks.filter((c) => isOverdue(c, c.resolutionHours, now)).length,
      returned: turnarounds.length,
      avgTurnaroundHours: avg,
      maxTurnaroundHours: turnarounds.length ? Math.max(...turnarounds) : null,
    },
  };
}

/* ------------------------------- contracts ------------------------------- */

type ContractFields = {
  vendorId: number;
  orgId: number | null;
  number: string;
  startDate: string;
  endDate: string;
  slaDefinitionId: number | null;
};

async function checkContract(tx: Queryable, actor: Actor, c: ContractFields, before: ContractFields | null, exceptId: number | null) {
  if (c.endDate < c.startDate) throw new AppError('VENDOR_CONTRACT_DATES_INVALID', { start: c.startDate, end: c.endDate });
  for (const d of [c.startDate, c.endDate]) {
    if (Number.isNaN(Date.parse(`${d}T00:00:00Z`)) || new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d) {
      throw new AppError('VENDOR_CONTRACT_DATES_INVALID', { start: c.startDate, end: c.endDate });
    }
  }
  if (!before || before.vendorId !== c.vendorId) {
    if (!(await qs.findVendor(tx, c.vendorId))) throw new AppError('REFERENCE_INVALID', { object: 'vendor' });
  }
  if (c.orgId !== null && c.orgId !== before?.orgId) {
    const scope = await ticketOrgScope(tx, actor);
    if (!(await qs.orgExists(tx, c.orgId)) || !inScope(scope, c.orgId)) throw new AppError('REFERENCE_INVALID', { object: 'organisation' });
  }
  if (c.slaDefinitionId !== null && c.slaDefinitionId !== before?.slaDefinitionId) {
    const kind = await qs.slaDefinitionKind(tx, c.slaDefinitionId);
    if (kind === undefined) throw new AppError('REFERENCE_INVALID', { object: 'SLA definition' });
    if (kind !== 'uc') throw new AppError('VENDOR_CONTRACT_SLA_KIND', { kind });
  }
  if (c.number !== before?.number && (await qs.contractNumberTaken(tx, c.number, exceptId))) throw new AppError('VENDOR_CONTRACT_NUMBER_TAKEN', { number: c.number });
}

/** A contract the actor may see: the provider's own or one of an organisation in scope. */
async function loadVisibleContract(db: Queryable, actor: Actor, id: number) {
  const row = await qs.findContract(db, id);
  const scope = await ticketOrgScope(db, actor);
  if (!row || (row.c.orgId !== null && !inScope(scope, row.c.orgId))) throw new AppError('NOT_FOUND', { object: 'contract' });
  return row;
}

export async function createContract(db: Db, actor: Actor, input: z.output<typeof createVendorContractRequestSchema>): Promise<VendorContract> {
  try {
    const id = await db.transaction(async (tx) => {
      await checkContract(tx, actor, input, null, null);
      const c = await qs.insertContract(tx, input);
      await recordAudit(tx, {
        actor,
        action: 'vendor.contract.create',
        objectType: 'vendor_contract',
        objectId: c.id,
        result: 'success',
        details: { vendorId: c.vendorId, number: c.number, endDate: c.endDate, amount: c.amount },
      });
      return c.id;
    });
    return contractDto(await loadVisibleContract(db, actor, id));
  } catch (err) {
    return mapUnique(err, input);
  }
}

export async function updateContract(db: Db, actor: Actor, id: number, input: z.output<typeof updateVendorContractRequestSchema>): Promise<VendorContract> {
  await loadVisibleContract(db, actor, id);
  try {
    await db.transaction(async (tx) => {
      const before = await qs.lockContract(tx, id);
      if (!before) throw new AppError('NOT_FOUND', { object: 'contract' });
      if (before.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: before.version }, { currentVersion: before.version });
      const { version: _v, ...patch } = input;
      const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as qs.ContractRow;
      await checkContract(tx, actor, next, before, id);
      const fields = Object.keys(patch).filter((k) => JSON.stringify((before as Record<string, unknown>)[k]) !== JSON.stringify((patch as Record<string, unknown>)[k]));
      await qs.updateContract(tx, id, { ...patch, version: before.version + 1 });
      await recordAudit(tx, { actor, action: 'vendor.contract.update', objectType: 'vendor_contract', objectId: id, result: 'success', details: { version: before.version + 1, fields } });
    });
  } catch (err) {
    return mapUnique(err, input);
  }
  return contractDto(await loadVisibleContract(db, actor, id));
}

export async function getContract(db: Db, actor: Actor, id: number): Promise<VendorContract> {
  return contractDto(await loadVisibleContract(db, actor, id));
}

export async function listContracts(db: Db, actor: Actor, query: z.output<typeof vendorContractListQuerySchema>, now: Date = new Date()) {
  const scope = await ticketOrgScope(db, actor);
  const today = shanghaiDate(now);
  const r = await qs.listContracts(db, {
    orgIds: scope,
    ...(query.vendorId === undefined ? {} : { vendorId: query.vendorId }),
    ...(query.expiringWithinDays === undefined ? {} : { endFrom: today, endTo: addDays(today, query.expiringWithinDays) }),
    ...(query.q ? { text: query.q } : {}),
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: r.items.map((c) => contractDto(c, now)), total: r.total, page: query.page, pageSize: query.pageSize };
}

/* ------------------------------ evaluations ------------------------------ */

function evaluationDto(r: Awaited<ReturnType<typeof qs.evaluationsOf>>[number]): VendorEvaluation {
  return {
    id: r.e.id,
    vendorId: r.e.vendorId,
    year: r.e.year,
    scores: r.e.scores as VendorEvaluation['scores'],
    total: Number(r.e.total).toFixed(2),
    grade: r.e.grade,
    comment: r.e.comment,
    evaluatedBy: r.e.evaluatedBy,
    evaluatedByName: r.evaluatedByName,
    evaluatedAt: r.e.evaluatedAt.toISOString(),
  };
}

export async function listEvaluations(db: Db, vendorId: number): Promise<VendorEvaluation[]> {
  if (!(await qs.findVendor(db, vendorId))) throw new AppError('NOT_FOUND', { object: 'vendor' });
  return (await qs.evaluationsOf(db, vendorId)).map(evaluationDto);
}

/** Records a yearly evaluation; the total and grade are computed here from the fixed weights, never taken from the client. */
export async function createEvaluation(db: Db, actor: Actor, vendorId: number, input: z.output<typeof createVendorEvaluationRequestSchema>): Promise<VendorEvaluation> {
  const total = evaluationTotal(input.scores);
  const grade = evaluationGrade(total);
  try {
    await db.transaction(async (tx) => {
      if (!(await qs.lockVendor(tx, vendorId))) throw new AppError('NOT_FOUND', { object: 'vendor' });
      if (await qs.evaluationExists(tx, vendorId, input.year)) throw new AppError('VENDOR_EVALUATION_EXISTS', { year: input.year });
      const e = await qs.insertEvaluation(tx, { vendorId, year: input.year, scores: input.scores, total, grade, comment: input.comment, evaluatedBy: actor.userId });
      await recordAudit(tx, { actor, action: 'vendor.evaluate', objectType: 'vendor', objectId: vendorId, result: 'success', details: { evaluationId: e.id, year: input.year, total, grade } });
    });
  } catch (err) {
    if (constraintOf(err) === 'vendor_evaluations_vendor_year_uq') throw new AppError('VENDOR_EVALUATION_EXISTS', { year: input.year });
    throw err;
  }
  const list = await qs.evaluationsOf(db, vendorId);
  const row = list.find((x) => x.e.year === input.year);
  if (!row) throw new Error('evaluation vanished');
  return evaluationDto(row);
}
