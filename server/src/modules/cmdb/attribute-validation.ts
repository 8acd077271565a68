import net from 'node:net';
import type { CiAttributeDef, CiChange } from '@tianshu/contracts';

/** Pure rules of the CMDB: attribute values against a class schema, naming rules, snapshot diffs. */

export type AttributeIssue = { key: string; zh: string; en: string };
export type Validated = { values: Record<string, unknown>; issues: AttributeIssue[] };

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function realDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** One value against its definition; returns the normalised value or an issue. */
export function checkValue(def: CiAttributeDef, value: unknown): { value: unknown } | { issue: AttributeIssue } {
  const bad = (zh: string, en: string) => ({ issue: { key: def.key, zh, en } });
  switch (def.type) {
    case 'string':
      if (typeof value !== 'string') return bad('应为文本', 'must be text');
      if (value.length > 2000) return bad('文本过长（最多 2000 字）', 'text too long (2000 characters at most)');
      return { value: value.trim() };
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return bad('应为数字', 'must be a number');
      return { value };
    case 'boolean':
      if (typeof value !== 'boolean') return bad('应为是/否', 'must be true or false');
      return { value };
    case 'date':
      if (typeof value !== 'string' || !realDate(value)) return bad('应为有效日期（YYYY-MM-DD）', 'must be a valid date (YYYY-MM-DD)');
      return { value };
    case 'enum':
      if (typeof value !== 'string' || !(def.enumValues ?? []).includes(value)) {
        return bad(`应为以下之一：${(def.enumValues ?? []).join('、')}`, `must be one of: ${(def.enumValues ?? []).join(', ')}`);
      }
      return { value };
    case 'reference':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) return bad('应为配置项编号', 'must be a CI id');
      return { value };
    case 'ip':
      if (typeof value !== 'string' || net.isIP(value.trim()) === 0) return bad('应为有效的 IPv4 或 IPv6 地址', 'must be a valid IPv4 or IPv6 address');
      return { value: value.trim().toLowerCase() };
  }
}

/**
 * Merges `patch` (null removes a value) into `stored` and validates the result against the effective
 * schema. Unknown keys in the patch are refused; stored values of attributes the class no longer has are dropped.
 */
export function validateAttributes(schema: readonly CiAttributeDef[], patch: Record<string, unknown>, stored: Record<string, unknown> = {}): Validated {
  const byKey = new Map(schema.map((d) => [d.key, d]));
  const issues: AttributeIssue[] = [];
  for (const key of Object.keys(patch)) {
    if (!byKey.has(key)) issues.push({ key, zh: '类别中没有此属性', en: 'the class has no such attribute' });
  }
  const values: Record<string, unknown> = {};
  for (const def of schema) {
    const raw = Object.hasOwn(patch, def.key) ? patch[def.key] : stored[def.key];
    if (isBlank(raw)) {
      if (def.required) issues.push({ key: def.key, zh: '必填', en: 'is required' });
      continue;
    }
    const r = checkValue(def, raw);
    if ('issue' in r) issues.push(r.issue);
    else values[def.key] = r.value;
  }
  return { values, issues };
}

export type NamingInput = {
  hostname?: string | null;
  ip?: string | null;
  serialNumber?: string | null;
  assetTag?: string | null;
  cloudId?: string | null;
  location?: string | null;
  attributes: Record<string, unknown>;
};

/** Fills a naming rule; null when a placeholder has no value (the caller must then give a name). */
export function renderName(rule: string, ci: NamingInput): string | null {
  let missing = false;
  const out = rule.replace(/\{([a-zA-Z_.0-9]+)\}/g, (_m, ph: string) => {
    const v = ph.startsWith('attr.') ? ci.attributes[ph.slice(5)] : (ci as Record<string, unknown>)[ph];
    if (isBlank(v)) {
      missing = true;
      return '';
    }
    return String(v);
  });
  return missing || !out.trim() ? null : out.trim().slice(0, 200);
}

/** Flattens a CI snapshot: top-level fields as they are, attributes as `attr.key`. */
function flatten(snapshot: Record<string, unknown>): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const [k, v] of Object.entries(snapshot)) {
    if (k === 'attributes' && v && typeof v === 'object') {
      for (const [ak, av] of Object.entries(v as Record<string, unknown>)) m.set(`attr.${ak}`, av);
    } else m.set(k, v);
  }
  return m;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const FIELD_ORDER = ['classId', 'name', 'orgId', 'ownerUserId', 'ownerGroupId', 'location', 'importance', 'status', 'serialNumber', 'assetTag', 'hostname', 'ip', 'cloudId'];
const rank = (k: string) => (k.startsWith('attr.') ? FIELD_ORDER.length + 1 : FIELD_ORDER.includes(k) ? FIELD_ORDER.indexOf(k) : FIELD_ORDER.length);

/** Field-by-field differences between two snapshots: CI fields in a fixed order, then attributes by key (jsonb does not keep key order). */
export function diffSnapshots(from: Record<string, unknown>, to: Record<string, unknown>): CiChange[] {
  const a = flatten(from);
  const b = flatten(to);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
  const out: CiChange[] = [];
  for (const k of keys) {
    const x = a.get(k) ?? null;
    const y = b.get(k) ?? null;
    if (!same(x, y)) out.push({ field: k, from: x, to: y });
  }
  return out;
}
