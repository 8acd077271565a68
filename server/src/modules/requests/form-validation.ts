import { isIP } from 'node:net';
import {
  isFormValueSet,
  showIfHolds,
  type FormField,
  type FormFieldError,
  type FormSchema,
  type FormSchemaIssue,
  type FormValue,
} from '@tianshu/contracts';

/**
 * Pure validation of designed forms and of submissions against one form version. No database:
 * references (user, group, CI) come back as `refs` for the caller to check for existence and
 * visibility.
 */

export type FormRef = { key: string; kind: 'user' | 'group' | 'ci'; id: number };
export type SubmissionResult = {
  /** The values to store: visible, filled-in fields only, in form order. */
  values: Record<string, FormValue>;
  errors: FormFieldError[];
  refs: FormRef[];
};

/** Default length caps when the designer gave none. */
export const TEXT_MAX = 500;
export const TEXTAREA_MAX = 5000;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+\-() ]{3,32}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export function compilePattern(pattern: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return null;
  }
}

/** Checks one filled-in value against its field; returns the error code or null, and the value to keep. */
export function checkFieldValue(f: FormField, raw: unknown): { code: FormFieldError['code'] | null; value: FormValue; ref?: FormRef } {
  const fail = (code: FormFieldError['code']) => ({ code, value: null });
  const bounds = (n: number): FormFieldError['code'] | null => {
    if (f.min !== undefined && n < f.min) return 'min';
    if (f.max !== undefined && n > f.max) return 'max';
    return null;
  };
  const matches = (s: string): boolean => {
    if (f.pattern === undefined) return true;
    const re = compilePattern(f.pattern);
    return re !== null && re.test(s);
  };
  switch (f.type) {
    case 'text':
    case 'textarea': {
      if (typeof raw !== 'string') return fail('type');
      const s = raw.trim();
      const cap = f.type === 'text' ? TEXT_MAX : TEXTAREA_MAX;
      if (s.length > cap) return fail('max');
      const b = bounds(s.length);
      if (b) return fail(b);
      if (!matches(s)) return fail('pattern');
      return { code: null, value: s };
    }
    case 'email':
    case 'phone': {
      if (typeof raw !== 'string') return fail('type');
      const s = raw.trim();
      if (s.length > 200 || !(f.type === 'email' ? EMAIL : PHONE).test(s)) return fail('format');
      if (!matches(s)) return fail('pattern');
      return { code: null, value: s };
    }
    case 'ip': {
      if (typeof raw !== 'string') return fail('type');
      const s = raw.trim();
      if (isIP(s) === 0) return fail('format');
      return { code: null, value: s };
    }
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return fail('type');
      const b = bounds(raw);
      if (b) return fail(b);
      return { code: null, value: raw };
    }
    case 'date': {
      if (typeof raw !== 'string') return fail('type');
      return validDate(raw) ? { code: null, value: raw } : fail('format');
    }
    case 'datetime': {
      if (typeof raw !== 'string') return fail('type');
      if (!DATETIME.test(raw) || Number.isNaN(Date.parse(raw)) || !validDate(raw.slice(0, 10))) return fail('format');
      return { code: null, value: new Date(raw).toISOString() };
    }
    case 'select': {
      if (typeof raw !== 'string') return fail('type');
      return f.options.some((o) => o.value === raw) ? { code: null, value: raw } : fail('option');
    }
    case 'multiselect': {
      if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) return fail('type');
      const list = raw as string[];
      if (new Set(list).size !== list.length || list.some((x) => !f.options.some((o) => o.value === x))) return fail('option');
      const b = bounds(list.length);
      if (b) return fail(b);
      // Keep the designer's option order so equal answers store equally.
      return { code: null, value: f.options.map((o) => o.value).filter((v) => list.includes(v)) };
    }
    case 'checkbox':
      return typeof raw === 'boolean' ? { code: null, value: raw } : fail('type');
    case 'user':
    case 'group':
    case 'ci': {
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw <= 0) return fail('type');
      return { code: null, value: raw, ref: { key: f.key, kind: f.type, id: raw } };
    }
  }
}

/**
 * Validates submitted values against one form version. Unknown keys are refused; fields hidden by
 * their show-if rules are neither required nor stored (a value sent for one is dropped); a field
 * left out takes its default; a required checkbox must be ticked.
 */
export function validateSubmission(schema: FormSchema, input: Record<string, unknown>): SubmissionResult {
  const errors: FormFieldError[] = [];
  const refs: FormRef[] = [];
  const values: Record<string, FormValue> = {};
  const known = new Set(schema.fields.map((f) => f.key));
  for (const key of Object.keys(input)) if (!known.has(key)) errors.push({ key, code: 'unknown_field' });
  for (const f of schema.fields) {
    if (!f.showIf.every((r) => showIfHolds(r, values))) continue;
    const raw = input[f.key] === undefined ? f.default : input[f.key];
    if (!isFormValueSet(raw)) {
      if (f.required) errors.push({ key: f.key, code: 'required' });
      continue;
    }
    const r = checkFieldValue(f, raw);
    if (r.code) {
      errors.push({ key: f.key, code: r.code });
      continue;
    }
    if (f.type === 'checkbox' && f.required && r.value !== true) {
      errors.push({ key: f.key, code: 'required' });
      continue;
    }
    values[f.key] = r.value;
    if (r.ref) refs.push(r.ref);
  }
  return { values, errors, refs };
}

/**
 * Structural checks of a designed form: unique keys, options for choices, show-if rules that
 * name an earlier field with a sensible value, min <= max, patterns that compile, defaults that
 * pass their own field.
 */
export function checkFormSchema(schema: FormSchema): FormSchemaIssue[] {
  const issues: FormSchemaIssue[] = [];
  const earlier = new Map<string, FormField>();
  for (const f of schema.fields) {
    if (earlier.has(f.key)) issues.push({ code: 'DUPLICATE_KEY', key: f.key });
    const choice = f.type === 'select' || f.type === 'multiselect';
    if (choice && f.options.length === 0) issues.push({ code: 'OPTIONS_REQUIRED', key: f.key });
    if (new Set(f.options.map((o) => o.value)).size !== f.options.length) issues.push({ code: 'DUPLICATE_OPTION', key: f.key });
    for (const rule of f.showIf) {
      const target = earlier.get(rule.field);
      if (!target) {
        issues.push({ code: 'SHOW_IF_UNKNOWN_FIELD', key: f.key });
        continue;
      }
      const needsValue = rule.op !== 'set';
      const list = Array.isArray(rule.value);
      if ((needsValue && rule.value === undefined) || (rule.op === 'in') !== list) {
        issues.push({ code: 'SHOW_IF_VALUE', key: f.key });
        continue;
      }
      // Rules on a choice must name its options.
      if (needsValue && (target.type === 'select' || target.type === 'multiselect')) {
        const vals = (list ? (rule.value as unknown[]) : [rule.value]).map(String);
        if (vals.some((v) => !target.options.some((o) => o.value === v))) issues.push({ code: 'SHOW_IF_VALUE', key: f.key });
      }
    }
    if (f.min !== undefined && f.max !== undefined && f.min > f.max) issues.push({ code: 'RANGE', key: f.key });
    if (f.pattern !== undefined && compilePattern(f.pattern) === null) issues.push({ code: 'PATTERN', key: f.key });
    if (f.default !== undefined && f.default !== null) {
      const r = checkFieldValue(f, f.default);
      // A reference default cannot be known to exist in every organisation: refused outright.
      if (r.code || r.ref) issues.push({ code: 'DEFAULT_INVALID', key: f.key });
    }
    if (!earlier.has(f.key)) earlier.set(f.key, f);
  }
  return issues;
}
