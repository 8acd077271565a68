import {
  createTicketRequestSchema,
  formSchemaSchema,
  type CatalogueEntry,
  type CatalogueItem,
  type FormFieldError,
  type FormSchema,
  type Label,
  type Locale,
  type RenderedValue,
  type RequestDetail,
  type RequestForm,
  type RequestSummary,
  type RequestTask,
  type RequestType,
  type StateCategory,
  type TaskTemplate,
  type completeRequestTaskRequestSchema,
  type createRequestTypeRequestSchema,
  type requestListQuerySchema,
  type saveRequestFormRequestSchema,
  type submitRequestRequestSchema,
  type updateRequestTaskRequestSchema,
  type updateRequestTypeRequestSchema,
} from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { isGroupMember } from '../directory/directory.queries.ts';
import { createTicket, loadVisible, ticketDtoFor } from '../tickets/tickets.service.ts';
import * as ticketQs from '../tickets/tickets.queries.ts';
import { BUILT_IN_WORKFLOWS } from '../workflows/default-workflows.ts';
import { checkFormSchema, validateSubmission } from './form-validation.ts';
import * as qs from './requests.queries.ts';

type StoredTemplate = { title: string; groupId: number | null; order: number };

const label = (zh: string, en: string): Label => ({ 'zh-CN': zh, 'en-US': en });
const templatesOf = (t: qs.TypeRow): StoredTemplate[] => (Array.isArray(t.taskTemplates) ? (t.taskTemplates as StoredTemplate[]) : []);
const actorId = (a: Actor | null) => (a && a.userId > 0 ? a.userId : null);

function constraintOf(err: unknown): string | null {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return String((e as { constraint?: unknown }).constraint ?? '');
  }
  return null;
}

/* --------------------------------- DTOs --------------------------------- */

export function typeDto(r: qs.TypeWithForm, names: Map<number, string> = new Map()): RequestType {
  const t = r.t;
  return {
    id: t.id,
    key: t.key,
    name: label(t.nameZh, t.nameEn),
    description: { 'zh-CN': t.descriptionZh, 'en-US': t.descriptionEn },
    icon: t.icon,
    category: label(t.categoryZh, t.categoryEn),
    orgIds: t.orgIds ?? null,
    workflowKey: t.workflowKey,
    taskTemplates: templatesOf(t)
      .slice()
      .sort((a, b) => a.order - b.order)
      .map((x) => ({ ...x, groupName: x.groupId === null ? null : (names.get(x.groupId) ?? null) })),
    active: t.active,
    builtIn: t.builtIn,
    formId: t.currentFormId ?? 0,
    formVersion: r.formVersion,
    version: t.version,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

function catalogueItem(r: qs.TypeWithForm): CatalogueItem {
  const d = typeDto(r);
  return { id: d.id, key: d.key, name: d.name, description: d.description, icon: d.icon, category: d.category, formVersion: d.formVersion };
}

function formDto(r: { f: qs.FormRow; createdByName: string | null }): RequestForm {
  return {
    id: r.f.id,
    typeId: r.f.typeId,
    version: r.f.version,
    schema: formSchemaSchema.parse(r.f.schema),
    createdByName: r.createdByName,
    createdAt: r.f.createdAt.toISOString(),
  };
}

async function typeWithNames(q: Queryable, r: qs.TypeWithForm): Promise<RequestType> {
  const ids = templatesOf(r.t)
    .map((x) => x.groupId)
    .filter((x): x is number => x !== null);
  return typeDto(r, await qs.groupNames(q, ids));
}

/* ------------------------------ admin: types ------------------------------ */

function schemaProblems(schema: FormSchema) {
  const issues = checkFormSchema(schema);
  if (issues.length) {
    throw new AppError('REQUEST_FORM_SCHEMA_INVALID', { summary: issues.map((i) => `${i.key}: ${i.code}`).join('; ') }, { issues });
  }
}

async function checkWorkflow(q: Queryable, key: string) {
  const builtIn = BUILT_IN_WORKFLOWS.some((w) => w.key === key && w.ticketType === 'request');
  if (!builtIn && !(await qs.requestWorkflowExists(q, key))) throw new AppError('REQUEST_WORKFLOW_INVALID', { key });
}

async function checkTemplates(q: Queryable, templates: TaskTemplate[]) {
  const ids = [...new Set(templates.map((t) => t.groupId).filter((x): x is number => x !== null))];
  const names = await qs.groupNames(q, ids);
  if (ids.some((id) => !names.has(id))) throw new AppError('REFERENCE_INVALID', { object: 'group' });
}

async function checkOrgs(q: Queryable, orgIds: number[] | null) {
  if (!orgIds) return;
  const found = await qs.existingOrgIds(q, [...new Set(orgIds)]);
  if (found.length !== new Set(orgIds).size) throw new AppError('REFERENCE_INVALID', { object: 'organization' });
}

export async function listTypes(db: Db): Promise<RequestType[]> {
  const rows = await qs.listTypes(db);
  const ids = rows.flatMap((r) => templatesOf(r.t).map((x) => x.groupId)).filter((x): x is number => x !== null);
  const names = await qs.groupNames(db, [...new Set(ids)]);
  return rows.map((r) => typeDto(r, names));
}

export async function getType(db: Db, id: number): Promise<RequestType & { forms: { version: number; createdAt: string; createdByName: string | null }[] }> {
  const r = await qs.findType(db, id);
  if (!r) throw new AppError('NOT_FOUND', { object: 'request type' });
  const forms = (await qs.formVersionsOf(db, id)).map((f) => ({ version: f.version, createdAt: f.createdAt.toISOString(), createdByName: f.createdByName }));
  return { ...(await typeWithNames(db, r)), forms };
}

export async function createType(db: Db, actor: Actor, input: z.output<typeof createRequestTypeRequestSchema>): Promise<RequestType> {
  schemaProblems(input.form);
  try {
    return await db.transaction(async (tx) => {
      if (await qs.typeKeyTaken(tx, input.key)) throw new AppError('REQUEST_TYPE_KEY_TAKEN', { key: input.key });
      await checkWorkflow(tx, input.workflowKey);
      await checkTemplates(tx, input.taskTemplates);
      await checkOrgs(tx, input.orgIds);
      const t = await qs.insertType(tx, {
        key: input.key,
        nameZh: input.name['zh-CN'],
        nameEn: input.name['en-US'],
        descriptionZh: input.description['zh-CN'],
        descriptionEn: input.description['en-US'],
        icon: input.icon,
        categoryZh: input.category['zh-CN'],
        categoryEn: input.category['en-US'],
        orgIds: input.orgIds,
        workflowKey: input.workflowKey,
        taskTemplates: input.taskTemplates,
        active: input.active,
        builtIn: false,
      });
      const f = await qs.insertForm(tx, { typeId: t.id, version: 1, schema: input.form, createdBy: actorId(actor) });
      await qs.updateType(tx, t.id, { currentFormId: f.id });
      await recordAudit(tx, {
        actor,
        action: 'request.type.create',
        objectType: 'request_type',
        objectId: t.id,
        result: 'success',
        details: { key: t.key, workflowKey: t.workflowKey, fields: input.form.fields.length },
      });
      const r = await qs.findType(tx, t.id);
      if (!r) throw new Error('request type vanished');
      return typeWithNames(tx, r);
    });
  } catch (err) {
    if (constraintOf(err) === 'request_types_key_uq') throw new AppError('REQUEST_TYPE_KEY_TAKEN', { key: input.key });
    throw err;
  }
}

export async function updateType(db: Db, actor: Actor, id: number, input: z.output<typeof updateRequestTypeRequestSchema>): Promise<RequestType> {
  return db.transaction(async (tx) => {
    const before = await qs.lockType(tx, id);
    if (!before) throw new AppError('NOT_FOUND', { object: 'request type' });
    if (before.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: before.version }, { currentVersion: before.version });
    const patch: Parameters<typeof qs.updateType>[2] = {};
    if (input.name) Object.assign(patch, { nameZh: input.name['zh-CN'], nameEn: input.name['en-US'] });
    if (input.description) Object.assign(patch, { descriptionZh: input.description['zh-CN'], descriptionEn: input.description['en-US'] });
    if (input.category) Object.assign(patch, { categoryZh: input.category['zh-CN'], categoryEn: input.category['en-US'] });
    if (input.icon !== undefined) patch.icon = input.icon;
    if (input.active !== undefined) patch.active = input.active;
    if (input.orgIds !== undefined) {
      await checkOrgs(tx, input.orgIds);
      patch.orgIds = input.orgIds;
    }
    if (input.workflowKey !== undefined) {
      await checkWorkflow(tx, input.workflowKey);
      patch.workflowKey = input.workflowKey;
    }
    if (input.taskTemplates !== undefined) {
      await checkTemplates(tx, input.taskTemplates);
      patch.taskTemplates = input.taskTemplates;
    }
    const changed = Object.entries(patch)
      .filter(([k, v]) => JSON.stringify((before as Record<string, unknown>)[k]) !== JSON.stringify(v))
      .map(([k]) => k);
    if (changed.length) {
      await qs.updateType(tx, id, { ...patch, version: before.version + 1 });
      await recordAudit(tx, { actor, action: 'request.type.update', objectType: 'request_type', objectId: id, result: 'success', details: { key: before.key, fields: changed } });
    }
    const r = await qs.findType(tx, id);
    if (!r) throw new Error('request type vanished');
    return typeWithNames(tx, r);
  });
}

/** Saves a new form version; the designer's `baseVersion` must still be the current one. */
export async function saveForm(db: Db, actor: Actor, id: number, input: z.output<typeof saveRequestFormRequestSchema>): Promise<RequestType> {
  schemaProblems(input.schema);
  return db.transaction(async (tx) => {
    const before = await qs.lockType(tx, id);
    if (!before) throw new AppError('NOT_FOUND', { object: 'request type' });
    const current = before.currentFormId ? await qs.findFormById(tx, before.currentFormId) : undefined;
    const currentVersion = current?.f.version ?? 0;
    if (currentVersion !== input.baseVersion) throw new AppError('VERSION_CONFLICT', { current: currentVersion }, { currentVersion });
    const f = await qs.insertForm(tx, { typeId: id, version: currentVersion + 1, schema: input.schema, createdBy: actorId(actor) });
    await qs.updateType(tx, id, { currentFormId: f.id, version: before.version + 1 });
    await recordAudit(tx, {
      actor,
      action: 'request.form.save',
      objectType: 'request_type',
      objectId: id,
      result: 'success',
      details: { key: before.key, formVersion: f.version, fields: input.schema.fields.map((x) => x.key) },
    });
    const r = await qs.findType(tx, id);
    if (!r) throw new Error('request type vanished');
    return typeWithNames(tx, r);
  });
}

export async function getForm(db: Db, typeId: number, version: number): Promise<RequestForm> {
  const f = await qs.findForm(db, typeId, version);
  if (!f) throw new AppError('NOT_FOUND', { object: 'request form' });
  return formDto(f);
}

/* -------------------------------- catalogue -------------------------------- */

const availableTo = (t: qs.TypeRow, orgId: number) => t.active && (t.orgIds === null || t.orgIds.includes(orgId));

/** The organisation a request is for: customers their own; staff the given one (in scope) or their own. */
async function requestOrg(q: Queryable, actor: Actor, orgId: number | undefined): Promise<number> {
  if (actor.orgKind === 'customer' || orgId === undefined || orgId === actor.orgId) return actor.orgId;
  const scope = await ticketOrgScope(q, actor);
  if (!inScope(scope, orgId)) throw new AppError('REFERENCE_INVALID', { object: 'organization' });
  return orgId;
}

export async function catalogue(db: Db, actor: Actor, orgId?: number): Promise<CatalogueItem[]> {
  const org = await requestOrg(db, actor, orgId);
  return (await qs.listTypes(db)).filter((r) => availableTo(r.t, org) && r.t.currentFormId !== null).map(catalogueItem);
}

export async function catalogueEntry(db: Db, actor: Actor, key: string, orgId?: number): Promise<CatalogueEntry> {
  const org = await requestOrg(db, actor, orgId);
  const r = await qs.findTypeByKey(db, key);
  if (!r || !r.t.currentFormId) throw new AppError('NOT_FOUND', { object: 'request type' });
  if (!availableTo(r.t, org)) throw new AppError('REQUEST_TYPE_UNAVAILABLE', { key });
  const f = await qs.findFormById(db, r.t.currentFormId);
  if (!f) throw new Error('current form vanished');
  return { type: catalogueItem(r), form: formDto(f) };
}

/* -------------------------------- submit -------------------------------- */

/** Checks that referenced users, groups and CIs exist and that the requester may see them. */
async function referenceErrors(q: Queryable, actor: Actor, orgId: number, refs: { key: string; kind: 'user' | 'group' | 'ci'; id: number }[]): Promise<FormFieldError[]> {
  if (!refs.length) return [];
  const scope = await ticketOrgScope(q, actor);
  const ids = (kind: string) => refs.filter((r) => r.kind === kind).map((r) => r.id);
  const us = new Map((await qs.usersByIds(q, ids('user'))).map((u) => [u.id, u]));
  const gs = new Map((await qs.groupsByIds(q, ids('group'))).map((g) => [g.id, g]));
  const cs = new Map((await qs.cisByIds(q, ids('ci'))).map((c) => [c.id, c]));
  const customer = actor.orgKind === 'customer';
  const ok = (r: (typeof refs)[number]) => {
    if (r.kind === 'user') {
      const u = us.get(r.id);
      return !!u && u.status === 'active' && (u.orgId === orgId || u.orgId === actor.orgId || (!customer && inScope(scope, u.orgId)));
    }
    if (r.kind === 'group') {
      const g = gs.get(r.id);
      // Customers see the groups that serve them; staff see every group.
      return !!g && (!customer || g.orgIds.includes(orgId));
    }
    const c = cs.get(r.id);
    return !!c && inScope(scope, c.orgId) && (customer ? c.orgId === orgId : true);
  };
  return refs.filter((r) => !ok(r)).map((r) => ({ key: r.key, code: 'reference' as const }));
}

function fmtDateTime(iso: string, locale: Locale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
}

/** Values with their labels and a readable rendering (option labels, names). */
async function renderValues(q: Queryable, schema: FormSchema, values: Record<string, unknown>, locale: Locale): Promise<RenderedValue[]> {
  const refIds = (type: string) => schema.fields.filter((f) => f.type === type && typeof values[f.key] === 'number').map((f) => values[f.key] as number);
  const us = new Map((await qs.usersByIds(q, refIds('user'))).map((u) => [u.id, u.displayName]));
  const gs = new Map((await qs.groupsByIds(q, refIds('group'))).map((g) => [g.id, g.name]));
  const cs = new Map((await qs.cisByIds(q, refIds('ci'))).map((c) => [c.id, c.name]));
  const out: RenderedValue[] = [];
  for (const f of schema.fields) {
    const v = values[f.key];
    if (v === undefined) continue;
    const optionLabel = (x: unknown) => f.options.find((o) => o.value === x)?.label[locale] ?? String(x);
    let display: string;
    switch (f.type) {
      case 'select':
        display = optionLabel(v);
        break;
      case 'multiselect':
        display = (Array.isArray(v) ? v : []).map(optionLabel).join(locale === 'zh-CN' ? '、' : ', ');
        break;
      case 'checkbox':
        display = v === true ? (locale === 'zh-CN' ? '是' : 'Yes') : locale === 'zh-CN' ? '否' : 'No';
        break;
      case 'user':
        display = us.get(v as number) ?? `#${String(v)}`;
        break;
      case 'group':
        display = gs.get(v as number) ?? `#${String(v)}`;
        break;
      case 'ci':
        display = cs.get(v as number) ?? `#${String(v)}`;
        break;
      case 'datetime':
        display = fmtDateTime(String(v), locale);
        break;
      default:
        display = String(v);
    }
    out.push({ key: f.key, label: f.label, type: f.type, value: v as RenderedValue['value'], display });
  }
  return out;
}

/** Refuses a submission with `code`, writing the refusal to the audit log first (nothing else is written). */
async function refuseSubmission(db: Db, actor: Actor, code: 'REQUEST_FORM_INVALID' | 'REQUEST_FORM_VERSION_MISMATCH' | 'REQUEST_TYPE_UNAVAILABLE', params: Record<string, string | number>, details: Record<string, unknown>): Promise<never> {
  await recordAudit(db, { actor, action: 'request.submit', objectType: 'request_type', objectId: String(details.typeKey ?? ''), result: 'failed', details: { code, ...details } });
  throw new AppError(code, params, code === 'REQUEST_TYPE_UNAVAILABLE' ? undefined : details);
}

export async function submit(db: Db, actor: Actor, input: z.output<typeof submitRequestRequestSchema>, idempotencyKey?: string) {
  const r = await qs.findTypeByKey(db, input.typeKey);
  if (!r || !r.t.currentFormId) throw new AppError('NOT_FOUND', { object: 'request type' });
  const orgId = await requestOrg(db, actor, input.orgId);
  if (!availableTo(r.t, orgId)) await refuseSubmission(db, actor, 'REQUEST_TYPE_UNAVAILABLE', { key: input.typeKey }, { typeKey: input.typeKey, orgId });
  const form = await qs.findFormById(db, r.t.currentFormId);
  if (!form) throw new Error('current form vanished');
  if (form.f.version !== input.formVersion) {
    await refuseSubmission(db, actor, 'REQUEST_FORM_VERSION_MISMATCH', { current: form.f.version }, { typeKey: input.typeKey, currentVersion: form.f.version, sent: input.formVersion });
  }
  const schema = formSchemaSchema.parse(form.f.schema);
  const checked = validateSubmission(schema, input.values);
  const errors = [...checked.errors, ...(await referenceErrors(db, actor, orgId, checked.refs))];
  if (errors.length) await refuseSubmission(db, actor, 'REQUEST_FORM_INVALID', {}, { typeKey: input.typeKey, formVersion: form.f.version, fields: errors });

  const staff = actor.orgKind === 'provider';
  const requesterId = staff && input.requesterId !== undefined ? input.requesterId : orgId === actor.orgId ? actor.userId : null;
  const name = label(r.t.nameZh, r.t.nameEn)[actor.locale];
  const [requester] = requesterId !== null && requesterId !== actor.userId ? await qs.usersByIds(db, [requesterId]) : [];
  const who = requester?.displayName ?? actor.displayName;
  const rendered = await renderValues(db, schema, checked.values, 'zh-CN');
  const description = input.description ?? rendered.map((v) => `${v.label['zh-CN']}：${v.display}`).join('\n');
  const ticketInput = createTicketRequestSchema.parse({
    type: 'request',
    title: input.title ?? `${name} - ${who}`.slice(0, 200),
    description,
    orgId,
    category: r.t.categoryZh,
    ...(staff ? { requesterId } : {}),
  });
  const created = await createTicket(db, actor, ticketInput, idempotencyKey, {
    workflowKey: r.t.workflowKey,
    afterInsert: async (tx: Tx, row: ticketQs.TicketRow) => {
      await qs.insertSubmission(tx, { ticketId: row.t.id, typeId: r.t.id, formId: form.f.id, values: checked.values });
      await recordAudit(tx, {
        actor,
        action: 'request.submit',
        objectType: 'ticket',
        objectId: row.t.id,
        result: 'success',
        details: { typeKey: r.t.key, formVersion: form.f.version, fields: Object.keys(checked.values) },
      });
    },
  });
  return { id: created.row.t.id, replay: created.replay };
}

/* ------------------------------- read requests ------------------------------- */

type DefinitionLike = { states?: { key: string; label: Label; category: StateCategory }[] };

function stateOf(defs: Map<number, unknown>, versionId: number | null, state: string) {
  const def = (versionId !== null ? defs.get(versionId) : BUILT_IN_WORKFLOWS.find((w) => w.key === 'request')?.definition) as DefinitionLike | undefined;
  return def?.states?.find((s) => s.key === state) ?? null;
}

export async function listRequests(db: Db, actor: Actor, query: z.output<typeof requestListQuerySchema>) {
  const scope = await ticketOrgScope(db, actor);
  const ownOnly = actor.orgKind === 'customer' || !actor.permissions.has('request.read');
  let typeId: number | undefined;
  if (query.typeKey) {
    const t = await qs.findTypeByKey(db, query.typeKey);
    typeId = t?.t.id ?? -1;
  }
  const r = await qs.listRequests(db, {
    scope,
    ...(ownOnly || query.mine ? { requesterId: actor.userId } : {}),
    ...(typeId !== undefined ? { typeId } : {}),
    ...(query.stateCategory ? { stateCategory: query.stateCategory } : {}),
    ...(query.myTasks && !ownOnly ? { taskGroupIds: await qs.memberGroupIds(db, actor.userId) } : {}),
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  const defs = await qs.workflowDefinitions(db, [...new Set(r.items.map((x) => x.t.workflowVersionId).filter((x): x is number => x !== null))]);
  const items: RequestSummary[] = r.items.map((x) => {
    const st = stateOf(defs, x.t.workflowVersionId, x.t.state);
    return {
      id: x.t.id,
      number: x.t.number,
      title: x.t.title,
      typeKey: x.type.key,
      typeName: label(x.type.nameZh, x.type.nameEn),
      typeIcon: x.type.icon,
      orgId: x.t.orgId,
      orgName: x.orgName,
      requesterId: x.t.requesterId,
      requesterName: x.requesterName,
      state: x.t.state,
      stateLabel: st?.label ?? null,
      stateCategory: (x.t.stateCategory as StateCategory | null) ?? st?.category ?? null,
      openTasks: x.openTasks,
      totalTasks: x.totalTasks,
      createdAt: x.t.createdAt.toISOString(),
      updatedAt: x.t.updatedAt.toISOString(),
    };
  });
  return { items, total: r.total, page: query.page, pageSize: query.pageSize };
}

async function taskWorkers(q: Queryable, actor: Actor, orgId: number) {
  const scope = await ticketOrgScope(q, actor);
  const worksTicket = actor.permissions.has('ticket.work') && inScope(scope, orgId);
  const mine = new Set(await qs.memberGroupIds(q, actor.userId));
  return (groupId: number | null) => worksTicket || (groupId !== null && mine.has(groupId));
}

function taskDto(x: qs.TaskJoined, canWork: boolean): RequestTask {
  return {
    id: x.r.id,
    ticketId: x.r.ticketId,
    seq: x.r.seq,
    title: x.r.title,
    groupId: x.r.groupId,
    groupName: x.groupName,
    assigneeId: x.r.assigneeId,
    assigneeName: x.assigneeName,
    state: x.r.state as RequestTask['state'],
    note: x.r.note,
    doneById: x.r.doneBy,
    doneByName: x.doneByName,
    doneAt: x.r.doneAt ? x.r.doneAt.toISOString() : null,
    version: x.r.version,
    createdAt: x.r.createdAt.toISOString(),
    canWork: canWork && x.r.state === 'open',
  };
}

/**
 * Loads a request ticket for the caller: visible by tenant scope, or (for task work) to a member
 * of one of its tasks' groups. Anything else is 404.
 */
async function loadRequest(db: Db, actor: Actor, id: number, forTask = false): Promise<ticketQs.TicketRow> {
  const found = await ticketQs.findTicket(db, id);
  let row: ticketQs.TicketRow | undefined;
  if (found && !inScope(await ticketOrgScope(db, actor), found.t.orgId)) {
    // Outside the tenant scope: the requester still sees their own request, and task group members the ones they work on.
    const own = found.t.requesterId === actor.userId;
    const mine = new Set(forTask && !own ? await qs.memberGroupIds(db, actor.userId) : []);
    const member = mine.size > 0 && (await qs.tasksOf(db, id)).some((t) => t.r.groupId !== null && mine.has(t.r.groupId));
    if (own || member) row = found;
  }
  // Anything else goes through the ticket rule (404 and an audit row when out of scope).
  row ??= await loadVisible(db, actor, id);
  if (row.t.type !== 'request') throw new AppError('NOT_FOUND', { object: 'request' });
  return row;
}

export async function getRequest(db: Db, actor: Actor, id: number): Promise<RequestDetail> {
  const row = await loadRequest(db, actor, id, true);
  const sub = await qs.findSubmission(db, id);
  if (!sub) throw new AppError('NOT_FOUND', { object: 'request' });
  const type = await qs.findType(db, sub.typeId);
  const form = await qs.findFormById(db, sub.formId);
  if (!type || !form) throw new Error('request type or form vanished');
  const f = formDto(form);
  const canWork = await taskWorkers(db, actor, row.t.orgId);
  const tasks = (await qs.tasksOf(db, id)).map((x) => taskDto(x, canWork(x.r.groupId)));
  return {
    ticket: await ticketDtoFor(db, actor, row),
    type: { ...catalogueItem(type), workflowKey: type.t.workflowKey },
    form: f,
    values: await renderValues(db, f.schema, (sub.values ?? {}) as Record<string, unknown>, actor.locale),
    tasks,
  };
}

/* --------------------------------- tasks --------------------------------- */

const FINAL = new Set(['closed', 'cancelled']);

async function taskTx<T>(db: Db, actor: Actor, id: number, taskId: number, version: number, fn: (tx: Tx, task: qs.TaskRow, row: ticketQs.TicketRow) => Promise<T>) {
  const row = await loadRequest(db, actor, id, true);
  const canWork = await taskWorkers(db, actor, row.t.orgId);
  return db.transaction(async (tx) => {
    const task = await qs.lockTask(tx, id, taskId);
    if (!task) throw new AppError('NOT_FOUND', { object: 'task' });
    if (!canWork(task.groupId)) {
      const err = new AppError('FORBIDDEN');
      await recordAudit(db, { actor, action: 'access.denied', objectType: 'request_task', objectId: taskId, result: 'denied', details: { ticketId: id } });
      err.audited = true;
      throw err;
    }
    if (task.version !== version) throw new AppError('VERSION_CONFLICT', { current: task.version }, { currentVersion: task.version });
    if (task.state !== 'open') throw new AppError('REQUEST_TASK_CLOSED');
    if (FINAL.has(row.t.stateCategory)) throw new AppError('TRANSITION_NOT_ALLOWED', { state: row.t.state, action: 'task' });
    return fn(tx, task, row);
  });
}

export async function completeTask(db: Db, actor: Actor, id: number, taskId: number, input: z.output<typeof completeRequestTaskRequestSchema>): Promise<RequestTask> {
  await taskTx(db, actor, id, taskId, input.version, async (tx, task) => {
    const now = new Date();
    const ok = await qs.updateTask(tx, task.id, task.version, { state: input.outcome, note: input.note ?? task.note, doneBy: actorId(actor), doneAt: now });
    if (!ok) throw new AppError('VERSION_CONFLICT', { current: task.version + 1 });
    await ticketQs.insertEvents(tx, [
      {
        ticketId: id,
        kind: 'work_note',
        internal: true,
        actorId: actorId(actor),
        body: `${input.outcome === 'done' ? '履行任务完成' : '履行任务取消'}：${task.title}${input.note ? `\n${input.note}` : ''}`,
        data: { requestTask: { id: task.id, seq: task.seq, state: input.outcome } },
      },
    ]);
    await ticketQs.touchTicket(tx, id);
    await recordAudit(tx, {
      actor,
      action: input.outcome === 'done' ? 'request.task.complete' : 'request.task.cancel',
      objectType: 'request_task',
      objectId: task.id,
      result: 'success',
      details: { ticketId: id, seq: task.seq, title: task.title },
    });
  });
  return taskOut(db, actor, id, taskId);
}

export async function updateTask(db: Db, actor: Actor, id: number, taskId: number, input: z.output<typeof updateRequestTaskRequestSchema>): Promise<RequestTask> {
  await taskTx(db, actor, id, taskId, input.version, async (tx, task) => {
    const groupId = input.groupId !== undefined ? input.groupId : task.groupId;
    // A new group without a named assignee clears the assignee.
    const assigneeId = input.assigneeId !== undefined ? input.assigneeId : input.groupId !== undefined && input.groupId !== task.groupId ? null : task.assigneeId;
    if (groupId !== null && (await qs.groupNames(tx, [groupId])).size === 0) throw new AppError('REFERENCE_INVALID', { object: 'group' });
    if (assigneeId !== null) {
      const [u] = await qs.usersByIds(tx, [assigneeId]);
      const member = groupId === null || (await isGroupMember(tx, groupId, assigneeId));
      if (!u || u.status !== 'active' || !member) throw new AppError('REFERENCE_INVALID', { object: 'assignee' });
    }
    const patch = { groupId, assigneeId, ...(input.note !== undefined ? { note: input.note } : {}) };
    const changes = Object.entries(patch)
      .filter(([k, v]) => (task as Record<string, unknown>)[k] !== v)
      .map(([field, to]) => ({ field, from: (task as Record<string, unknown>)[field] ?? null, to }));
    if (!changes.length) return;
    const ok = await qs.updateTask(tx, task.id, task.version, patch);
    if (!ok) throw new AppError('VERSION_CONFLICT', { current: task.version + 1 });
    await recordAudit(tx, { actor, action: 'request.task.update', objectType: 'request_task', objectId: task.id, result: 'success', details: { ticketId: id, changes } });
  });
  return taskOut(db, actor, id, taskId);
}

async function taskOut(db: Db, actor: Actor, id: number, taskId: number): Promise<RequestTask> {
  const row = await ticketQs.findTicket(db, id);
  const t = await qs.findTask(db, id, taskId);
  if (!row || !t) throw new Error('task vanished');
  const canWork = await taskWorkers(db, actor, row.t.orgId);
  return taskDto(t, canWork(t.r.groupId));
}
