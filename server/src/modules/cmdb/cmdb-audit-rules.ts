import { wallTimeToEpoch, zonedParts } from '@tianshu/contracts/zoned-time';
import type { CmdbAuditRuleKind, CmdbAuditRuleParams, CmdbAuditScheduleMode } from '@tianshu/contracts';

/** Pure rules of CMDB audits: rule params per kind, schedule slots, the accuracy figure. */

export const AUDIT_TIME_ZONE = 'Asia/Shanghai';

export const IDENTIFIER_FIELDS = ['name', 'hostname', 'ip', 'serialNumber', 'assetTag', 'cloudId'] as const;
export type IdentifierField = (typeof IDENTIFIER_FIELDS)[number];
export type Identifier = { field: IdentifierField } | { attr: string };

export type Problem = { zh: string; en: string };

/** Parses `name`, `hostname`, ... or `attr.<key>`; null when it is neither. */
export function parseIdentifier(s: string | undefined): Identifier | null {
  if (!s) return null;
  if ((IDENTIFIER_FIELDS as readonly string[]).includes(s)) return { field: s as IdentifierField };
  const m = /^attr\.([a-z][a-z0-9_]*)$/.exec(s);
  return m?.[1] ? { attr: m[1] } : null;
}

/** The params a kind needs, normalised (defaults filled, unrelated keys dropped), or the problem. */
export function normaliseParams(kind: CmdbAuditRuleKind, p: CmdbAuditRuleParams): { params: CmdbAuditRuleParams } | { problem: Problem } {
  switch (kind) {
    case 'stale':
      if (p.days === undefined) return { problem: { zh: '“长期未更新”规则需要天数（days）', en: 'a stale rule needs days' } };
      return { params: { days: p.days } };
    case 'duplicate_identifier': {
      if (!parseIdentifier(p.identifier)) {
        return {
          problem: {
            zh: '“标识重复”规则的 identifier 应为 name、hostname、ip、serialNumber、assetTag、cloudId 或 attr.<属性键>',
            en: 'identifier must be name, hostname, ip, serialNumber, assetTag, cloudId or attr.<key>',
          },
        };
      }
      return { params: { identifier: p.identifier, sameClass: p.sameClass ?? true } };
    }
    default:
      if (p.days !== undefined || p.identifier !== undefined || p.sameClass !== undefined) {
        return { problem: { zh: '该类规则不接受参数', en: 'this kind of rule takes no params' } };
      }
      return { params: {} };
  }
}

export type ScheduleSpec = { mode: CmdbAuditScheduleMode; time: string; weekday: number | null };

/** Checks a schedule: HH:MM (00:00-23:59), weekday 1-7 (Monday = 1) for weekly only. */
export function scheduleProblem(s: ScheduleSpec): Problem | null {
  if (s.mode === 'off') return null;
  const m = /^(\d{2}):(\d{2})$/.exec(s.time);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return { zh: `时间“${s.time}”应为 HH:MM（00:00-23:59）`, en: `time "${s.time}" must be HH:MM (00:00-23:59)` };
  if (s.mode === 'weekly' && (s.weekday === null || s.weekday < 1 || s.weekday > 7)) {
    return { zh: '每周计划需要星期几（1 = 周一 … 7 = 周日）', en: 'a weekly schedule needs weekday 1 (Monday) to 7 (Sunday)' };
  }
  if (s.mode === 'daily' && s.weekday !== null) return { zh: '每日计划不需要星期几', en: 'a daily schedule takes no weekday' };
  return null;
}

/** The first slot strictly after `after` (Asia/Shanghai wall clock), or null when off. */
export function nextSlot(s: ScheduleSpec, after: Date): Date | null {
  if (s.mode === 'off') return null;
  const [h = 0, mi = 0] = s.time.split(':').map(Number);
  const msOfDay = (h * 60 + mi) * 60_000;
  const today = zonedParts(after.getTime(), AUDIT_TIME_ZONE);
  for (let i = 0; i <= 8; i++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    const isoWeekday = ((day.getUTCDay() + 6) % 7) + 1;
    if (s.mode === 'weekly' && isoWeekday !== s.weekday) continue;
    const at = wallTimeToEpoch(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), msOfDay, AUDIT_TIME_ZONE);
    if (at > after.getTime()) return new Date(at);
  }
  return null;
}

/** 配置准确率: CIs without any violation / CIs checked x 100, two decimals; null when nothing was checked. */
export function accuracyPct(checked: number, withViolations: number): number | null {
  if (checked <= 0) return null;
  return Math.round(((checked - withViolations) / checked) * 10_000) / 100;
}
