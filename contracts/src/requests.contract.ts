import { z } from 'zod';
import { isoDateTime, pageQuerySchema } from './common.contract.ts';
import { labelSchema, stateCategorySchema, workflowKeySchema } from './workflows.contract.ts';
import { ticketSchema } from './tickets.contract.ts';

/**
 * Service requests (服务请求): request types in a catalogue, each with a form designed by an admin.
 * Forms are versioned: a submission is validated on the server against the exact version the
 * client rendered, and stores that version with the values.
 */

export const formFieldTypeSchema = z.enum([
  'text',
  'textarea',
  'number',
  'date',
  'datetime',
  'select',
  'multiselect',
  'checkbox',
  'user',
  'group',
  'ci',
  'email',
  'phone',
  'ip',
]);
export type FormFieldType = z.infer<typeof formFieldTypeSchema>;

export const formFieldKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(48)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _');

/** A value a field may hold: text-like fields a string, number a number, checkbox a boolean,
 * multiselect a list of option values, user/group/ci an id. */
export const formValueSchema = z.union([z.string().max(5000), z.number(), z.boolean(), z.array(z.string().max(200)).max(100), z.null()]);
export type FormValue = z.infer<typeof formValueSchema>;

/**
 * Show the field only when another (earlier) field's value matches: eq / neq compare with `value`,
 * `in` tests membership in the list `value` (a multiselect matches when any chosen option is in it),
 * `set` holds when the field has a value. A field with several rules shows when all hold.
 */
export const showIfRuleSchema = z
  .object({
    field: formFieldKeySchema,
    op: z.enum(['eq', 'neq', 'in', 'set']),
    value: z.union([z.string().max(200), z.number(), z.boolean(), z.array(z.union([z.string().max(200), z.number()])).max(50)]).optional(),
  })
  .strict();
export type ShowIfRule = z.infer<typeof showIfRuleSchema>;

export const formOptionSchema = z
  .object({
    value: z.string().trim().min(1).max(64),
    label: labelSchema,
  })
  .strict();

const helpSchema = z.object({ 'zh-CN': z.string().trim().max(300), 'en-US': z.string().trim().max(300) }).strict();

export const formFieldSchema = z
  .object({
    key: formFieldKeySchema,
    label: labelSchema,
    type: formFieldTypeSchema,
    required: z.boolean().default(false),
    /** select / multiselect choices. */
    options: z.array(formOptionSchema).max(100).default([]),
    /** number: value bounds; text, textarea: length bounds; multiselect: how many may be chosen. */
    min: z.number().optional(),
    max: z.number().optional(),
    /** A regular expression text, textarea, phone and email values must match (whole value). */
    pattern: z.string().max(200).optional(),
    help: helpSchema.optional(),
    default: formValueSchema.optional(),
    showIf: z.array(showIfRuleSchema).max(5).default([]),
  })
  .strict();
export type FormField = z.output<typeof formFieldSchema>;
export type FormFieldInput = z.input<typeof formFieldSchema>;

export const formSchemaSchema = z
  .object({
    fields: z.array(formFieldSchema).min(1).max(60),
  })
  .strict();
export type FormSchema = z.output<typeof formSchemaSchema>;
export type FormSchemaInput = z.input<typeof formSchemaSchema>;

/** Why a submitted value was refused (REQUEST_FORM_INVALID details.fields[].code). */
export const formFieldErrorCodeSchema = z.enum([
  'required',
  'unknown_field',
  'type',
  'option',
  'pattern',
  'min',
  'max',
  'format',
  'reference',
]);
export type FormFieldErrorCode = z.infer<typeof formFieldErrorCodeSchema>;
export const formFieldErrorSchema = z.object({ key: z.string(), code: formFieldErrorCodeSchema });
export type FormFieldError = z.infer<typeof formFieldErrorSchema>;

/** A structural problem in a designed form (REQUEST_FORM_SCHEMA_INVALID details.issues). */
export const formSchemaIssueSchema = z.object({
  code: z.enum(['DUPLICATE_KEY', 'OPTIONS_REQUIRED', 'DUPLICATE_OPTION', 'SHOW_IF_UNKNOWN_FIELD', 'SHOW_IF_VALUE', 'RANGE', 'PATTERN', 'DEFAULT_INVALID']),
  key: z.string(),
});
export type FormSchemaIssue = z.infer<typeof formSchemaIssueSchema>;

export const requestFormSchema = z.object({
  id: z.number().int(),
  typeId: z.number().int(),
  version: z.number().int(),
  schema: formSchemaSchema,
  createdByName: z.string().nullable(),
  createdAt: isoDateTime,
});
export type RequestForm = z.infer<typeof requestFormSchema>;

export const taskTemplateSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    groupId: z.number().int().positive().nullable().default(null),
    order: z.number().int().min(0).max(1000).default(0),
  })
  .strict();
export type TaskTemplate = z.output<typeof taskTemplateSchema>;

const descriptionSchema = z.object({ 'zh-CN': z.string().trim().max(1000), 'en-US': z.string().trim().max(1000) }).strict();
const iconSchema = z
  .string()
  .trim()
  .min(1)
  .max(48)
  .regex(/^[a-z][a-z0-9-]*$/);

export const requestTypeKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(48)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _');

export const requestTypeSchema = z.object({
  id: z.number().int(),
  key: z.string(),
  name: labelSchema,
  description: descriptionSchema,
  /** A short icon name (the web app maps it: user-add, key, laptop, global, ...). */
  icon: z.string(),
  category: labelSchema,
  /** null: every organisation may use it. */
  orgIds: z.array(z.number().int()).nullable(),
  workflowKey: z.string(),
  taskTemplates: z.array(taskTemplateSchema.extend({ groupName: z.string().nullable().optional() })),
  active: z.boolean(),
  builtIn: z.boolean(),
  formId: z.number().int(),
  formVersion: z.number().int(),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type RequestType = z.infer<typeof requestTypeSchema>;

export const createRequestTypeRequestSchema = z
  .object({
    key: requestTypeKeySchema,
    name: labelSchema,
    description: descriptionSchema.default({ 'zh-CN': '', 'en-US': '' }),
    icon: iconSchema.default('file'),
    category: labelSchema,
    orgIds: z.array(z.number().int().positive()).max(500).nullable().default(null),
    workflowKey: workflowKeySchema.default('request'),
    taskTemplates: z.array(taskTemplateSchema).max(30).default([]),
    active: z.boolean().default(true),
    form: formSchemaSchema,
  })
  .strict();
export type CreateRequestTypeRequest = z.input<typeof createRequestTypeRequestSchema>;

export const updateRequestTypeRequestSchema = z
  .object({
    version: z.number().int().min(1),
    name: labelSchema.optional(),
    description: descriptionSchema.optional(),
    icon: iconSchema.optional(),
    category: labelSchema.optional(),
    orgIds: z.array(z.number().int().positive()).max(500).nullable().optional(),
    workflowKey: workflowKeySchema.optional(),
    taskTemplates: z.array(taskTemplateSchema).max(30).optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateRequestTypeRequest = z.input<typeof updateRequestTypeRequestSchema>;

/** Saving a form makes a new version; `baseVersion` is the version the designer started from. */
export const saveRequestFormRequestSchema = z
  .object({
    baseVersion: z.number().int().min(1),
    schema: formSchemaSchema,
  })
  .strict();
export type SaveRequestFormRequest = z.input<typeof saveRequestFormRequestSchema>;

export const requestTypeKeyParamsSchema = z.object({ key: requestTypeKeySchema }).strict();
export const requestFormVersionParamsSchema = z.object({ id: z.coerce.number().int().positive(), version: z.coerce.number().int().positive() }).strict();

/** The catalogue (服务目录): types the caller may request, with their current form. */
export const catalogueItemSchema = requestTypeSchema.pick({ id: true, key: true, name: true, description: true, icon: true, category: true, formVersion: true });
export type CatalogueItem = z.infer<typeof catalogueItemSchema>;
export const catalogueSchema = z.object({ items: z.array(catalogueItemSchema) });
export const catalogueEntrySchema = z.object({ type: catalogueItemSchema, form: requestFormSchema });
export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;

export const submitRequestRequestSchema = z
  .object({
    typeKey: requestTypeKeySchema,
    /** The form version the client rendered; anything but the current one is refused (reload). */
    formVersion: z.number().int().min(1),
    values: z.record(z.string().max(64), formValueSchema).refine((v) => Object.keys(v).length <= 100),
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(20000).optional(),
    /** Staff submitting for a customer organisation (customers always submit for their own). */
    orgId: z.number().int().positive().optional(),
    /** Staff submitting on someone's behalf (a user of that organisation); default: the caller. */
    requesterId: z.number().int().positive().optional(),
  })
  .strict();
export type SubmitRequestRequest = z.input<typeof submitRequestRequestSchema>;

export const requestTaskStateSchema = z.enum(['open', 'done', 'cancelled']);
export const requestTaskSchema = z.object({
  id: z.number().int(),
  ticketId: z.number().int(),
  seq: z.number().int(),
  title: z.string(),
  groupId: z.number().int().nullable(),
  groupName: z.string().nullable(),
  assigneeId: z.number().int().nullable(),
  assigneeName: z.string().nullable(),
  state: requestTaskStateSchema,
  note: z.string().nullable(),
  doneById: z.number().int().nullable(),
  doneByName: z.string().nullable(),
  doneAt: isoDateTime.nullable(),
  version: z.number().int(),
  createdAt: isoDateTime,
  /** The caller may complete or reassign it. */
  canWork: z.boolean(),
});
export type RequestTask = z.infer<typeof requestTaskSchema>;

export const completeRequestTaskRequestSchema = z
  .object({
    version: z.number().int().min(1),
    outcome: z.enum(['done', 'cancelled']).default('done'),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();
export type CompleteRequestTaskRequest = z.input<typeof completeRequestTaskRequestSchema>;

export const updateRequestTaskRequestSchema = z
  .object({
    version: z.number().int().min(1),
    groupId: z.number().int().positive().nullable().optional(),
    assigneeId: z.number().int().positive().nullable().optional(),
    note: z.string().trim().max(2000).nullable().optional(),
  })
  .strict();
export type UpdateRequestTaskRequest = z.input<typeof updateRequestTaskRequestSchema>;

export const requestTaskParamsSchema = z.object({ id: z.coerce.number().int().positive(), taskId: z.coerce.number().int().positive() }).strict();

/** A submitted value with what the requester saw: the label and a readable rendering. */
export const renderedValueSchema = z.object({
  key: z.string(),
  label: labelSchema,
  type: formFieldTypeSchema,
  value: formValueSchema,
  /** Option labels, user/group/CI names, 是/否 ... in the caller's language. */
  display: z.string(),
});
export type RenderedValue = z.infer<typeof renderedValueSchema>;

export const requestDetailSchema = z.object({
  ticket: ticketSchema,
  type: catalogueItemSchema.extend({ workflowKey: z.string() }),
  form: requestFormSchema,
  values: z.array(renderedValueSchema),
  tasks: z.array(requestTaskSchema),
});
export type RequestDetail = z.infer<typeof requestDetailSchema>;

export const requestSummarySchema = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  typeKey: z.string(),
  typeName: labelSchema,
  typeIcon: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  requesterId: z.number().int().nullable(),
  requesterName: z.string().nullable(),
  state: z.string(),
  stateLabel: labelSchema.nullable(),
  stateCategory: stateCategorySchema.nullable(),
  openTasks: z.number().int(),
  totalTasks: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type RequestSummary = z.infer<typeof requestSummarySchema>;

export const requestListQuerySchema = pageQuerySchema.extend({
  /** Requests I asked for (customers always see only their own). */
  mine: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean()).optional(),
  typeKey: requestTypeKeySchema.optional(),
  stateCategory: stateCategorySchema.optional(),
  /** Requests with open fulfilment tasks of my groups. */
  myTasks: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean()).optional(),
});
export type RequestListQuery = z.input<typeof requestListQuerySchema>;

/* ---------------------------- show-if (shared) ---------------------------- */

/** True when a value counts as filled in (empty text, an empty list and null do not). */
export function isFormValueSet(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

const same = (a: unknown, b: unknown) => a === b || (a !== null && b !== null && a !== undefined && b !== undefined && String(a) === String(b));

/** One show-if rule against the values of the fields shown so far. */
export function showIfHolds(rule: ShowIfRule, values: Record<string, unknown>): boolean {
  const v = values[rule.field];
  const set = isFormValueSet(v);
  switch (rule.op) {
    case 'set':
      return set;
    case 'eq':
      return set && (Array.isArray(v) ? v.some((x) => same(x, rule.value)) : same(v, rule.value));
    case 'neq':
      return !(set && (Array.isArray(v) ? v.some((x) => same(x, rule.value)) : same(v, rule.value)));
    case 'in': {
      const list: unknown[] = Array.isArray(rule.value) ? rule.value : rule.value === undefined ? [] : [rule.value];
      if (!set) return false;
      return Array.isArray(v) ? v.some((x) => list.some((y) => same(x, y))) : list.some((y) => same(v, y));
    }
  }
}

/**
 * The keys of the fields shown for these values, in form order. A rule sees only fields shown
 * before it: a hidden field counts as empty, so hiding cascades.
 */
export function visibleFieldKeys(schema: { fields: readonly { key: string; showIf?: readonly ShowIfRule[] | undefined }[] }, values: Record<string, unknown>): Set<string> {
  const shown = new Set<string>();
  const seen: Record<string, unknown> = {};
  for (const f of schema.fields) {
    if ((f.showIf ?? []).every((r) => showIfHolds(r, seen))) {
      shown.add(f.key);
      seen[f.key] = values[f.key];
    }
  }
  return shown;
}
