import { visibleFieldKeys, type FormField, type FormFieldErrorCode, type FormFieldType, type FormValue } from '@tianshu/contracts';

/** Pure helpers of the request form page and the form designer (no React, unit-tested). */

export type FormValues = Record<string, FormValue | undefined>;
export type FieldErrors = Record<string, FormFieldErrorCode>;

export const FIELD_TYPES: readonly FormFieldType[] = ['text', 'textarea', 'number', 'date', 'datetime', 'select', 'multiselect', 'checkbox', 'user', 'group', 'ci', 'email', 'phone', 'ip'];

/** The values a fresh form starts with: each field's default. */
export function initialValues(fields: readonly FormField[]): FormValues {
  const out: FormValues = {};
  for (const f of fields) if (f.default !== undefined) out[f.key] = f.default;
  return out;
}

/** Only the fields shown now, without empty values: what the server expects. */
export function submittableValues(fields: readonly FormField[], values: FormValues): Record<string, FormValue> {
  const shown = visibleFieldKeys({ fields }, values);
  const out: Record<string, FormValue> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (!shown.has(f.key) || v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)) continue;
    out[f.key] = v;
  }
  return out;
}

/** A new field with a free key (field_1, field_2 ...). */
export function newField(existing: readonly FormField[], type: FormFieldType = 'text'): FormField {
  let n = existing.length + 1;
  while (existing.some((f) => f.key === `field_${n}`)) n += 1;
  return { key: `field_${n}`, label: { 'zh-CN': `字段${n}`, 'en-US': `Field ${n}` }, type, required: false, options: [], showIf: [] };
}

/** Moves an item up (-1) or down (+1); out-of-range moves leave the list as is. */
export function move<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  if (to < 0 || to >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(to, 0, item as T);
  return next;
}

/**
 * Renames a field and the show-if rules that point at it, so a designer rename does not orphan
 * the rules below it.
 */
export function renameField(fields: readonly FormField[], index: number, key: string): FormField[] {
  const old = fields[index]?.key;
  return fields.map((f, i) => {
    if (i === index) return { ...f, key };
    if (old === undefined || !f.showIf.some((r) => r.field === old)) return f;
    return { ...f, showIf: f.showIf.map((r) => (r.field === old ? { ...r, field: key } : r)) };
  });
}
