import type { TFunction } from 'i18next';
import type { TicketSlaBadge } from '@tianshu/contracts';
import type { PendingReason } from '../../shared/contract-types';
import { PENDING_REASONS } from '../../shared/enums';
import { pendingReasonLabel, priorityLabel } from '../../shared/labels';
import type { SlaMetric, SlaRules } from './sla-types';

/** Pure helpers of the SLA pages: durations, badge states, timeline texts. */

export const SLA_METRICS: readonly SlaMetric[] = ['response', 'resolution', 'update'];
/** The list's "at risk" filter and the orange colour start here, as on the server. */
export const RISK_PCT = 75;

/** Whole minutes split into hours and minutes (sign dropped; the caller says "overdue"). */
export function splitMinutes(minutes: number): { hours: number; minutes: number } {
  const total = Math.round(Math.abs(minutes));
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}

/** "2小时15分", "4小时", "35分" (business time; no days, as working days differ by calendar). */
export function formatDuration(t: TFunction, minutes: number): string {
  const { hours, minutes: rest } = splitMinutes(minutes);
  if (hours === 0) return t('sla.duration.m', { minutes: rest });
  if (rest === 0) return t('sla.duration.h', { hours });
  return t('sla.duration.hm', { hours, minutes: rest });
}

export const metricLabel = (t: TFunction, metric: SlaMetric): string => t(`sla.metric.${metric}`);

function isPendingReason(value: unknown): value is PendingReason {
  return typeof value === 'string' && (PENDING_REASONS as readonly string[]).includes(value);
}

/** A pending reason in words; an unknown one as it is stored. */
export function pauseReasonLabel(t: TFunction, reason: string | null | undefined): string {
  if (!reason) return '';
  return isPendingReason(reason) ? pendingReasonLabel(t, reason) : reason;
}

/** "P1 响应 15分 / 解决 1小时；P2 …" for the definitions list. */
export function targetsSummary(t: TFunction, rules: Pick<SlaRules, 'targets'>): string[] {
  return [...rules.targets]
    .sort((a, b) => a.priority - b.priority)
    .map((target) => {
      const items = SLA_METRICS.flatMap((metric) => {
        const value = target[`${metric}Minutes`];
        return value === null || value === undefined ? [] : [t('sla.target.summaryItem', { metric: metricLabel(t, metric), duration: formatDuration(t, value) })];
      });
      return `P${target.priority} ${items.join(' / ')}`;
    });
}

export type SlaTone = 'ok' | 'warning' | 'breached' | 'paused' | 'done' | 'cancelled';

export interface BadgeView {
  tone: SlaTone;
  text: string;
}

/** Colour band and text of a clock or list badge: green, orange from 75 %, red once breached. */
export function badgeView(t: TFunction, badge: Pick<TicketSlaBadge, 'state' | 'breached' | 'percent' | 'remainingMinutes' | 'pauseReason'>): BadgeView {
  switch (badge.state) {
    case 'running':
      if (badge.breached || badge.remainingMinutes < 0) {
        return { tone: 'breached', text: t('sla.clock.overdueBy', { duration: formatDuration(t, badge.remainingMinutes) }) };
      }
      return { tone: badge.percent >= RISK_PCT ? 'warning' : 'ok', text: t('sla.clock.remaining', { duration: formatDuration(t, badge.remainingMinutes) }) };
    case 'paused': {
      const reason = pauseReasonLabel(t, badge.pauseReason);
      return { tone: badge.breached ? 'breached' : 'paused', text: reason ? t('sla.clock.pausedReason', { reason }) : t('sla.clock.paused') };
    }
    case 'stopped':
      return badge.breached ? { tone: 'breached', text: t('sla.clock.missed') } : { tone: 'done', text: t('sla.clock.met') };
    default:
      return { tone: 'cancelled', text: t('sla.clock.cancelled') };
  }
}

/** antd Tag colours per tone. */
export const TONE_COLORS: Record<SlaTone, string> = {
  ok: 'green',
  warning: 'orange',
  breached: 'red',
  paused: 'blue',
  done: 'green',
  cancelled: 'default',
};

/** A progress bar value: 0-100. */
export function progressPercent(percent: number): number {
  if (!Number.isFinite(percent)) return 0;
  return Math.min(100, Math.max(0, Math.round(percent * 10) / 10));
}

/* ----------------------------- timeline ----------------------------- */

const EVENT_KINDS = ['start', 'pause', 'resume', 'stop', 'breach', 'cancel', 'retarget', 'restart', 'update', 'warning', 'escalation', 'replay'] as const;
type SlaEventKind = (typeof EVENT_KINDS)[number];
const STOP_REASONS = ['reply', 'accepted', 'resolved', 'closed', 'priority', 'ticket_cancelled'] as const;
type StopReason = (typeof STOP_REASONS)[number];
const ESCALATION_ACTIONS = ['notify', 'reassign', 'raise_priority'] as const;

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

/**
 * One line for an 'sla' timeline event: "SLA「标准服务」解决时限 已暂停：等待客户". `names` gives
 * definition names for events that carry only the id (warnings, escalations).
 */
export function slaEventText(t: TFunction, data: Record<string, unknown>, names?: ReadonlyMap<number, string>): string {
  const event = data['event'];
  if (event === 'replay') {
    const changes = Array.isArray(data['changes']) ? data['changes'].length : 0;
    return t('sla.event.replay', { count: changes });
  }
  const metric = oneOf<SlaMetric>(data['metric'], SLA_METRICS) ? t(`sla.metricLong.${data['metric']}`) : '';
  const id = typeof data['definitionId'] === 'number' ? data['definitionId'] : undefined;
  const definition = typeof data['definition'] === 'string' && data['definition'] ? data['definition'] : id !== undefined ? names?.get(id) : undefined;
  const subject = definition ? t('sla.event.subject', { definition, metric }) : t('sla.event.subjectNoName', { metric });
  if (!oneOf<SlaEventKind>(event, EVENT_KINDS)) return t('sla.event.unknown', { subject, event: String(event ?? '') });
  const reason = data['reason'];
  const pct = typeof data['pct'] === 'number' ? data['pct'] : 0;
  switch (event) {
    case 'start': {
      const target = data['targetMinutes'];
      return typeof target === 'number' ? t('sla.event.startTarget', { subject, duration: formatDuration(t, target) }) : t('sla.event.start', { subject });
    }
    case 'pause':
      return typeof reason === 'string' && reason ? t('sla.event.pause', { subject, reason: pauseReasonLabel(t, reason) }) : t('sla.event.pausePlain', { subject });
    case 'stop':
    case 'cancel': {
      if (!oneOf<StopReason>(reason, STOP_REASONS)) return t(`sla.event.${event}`, { subject });
      const words = t(`sla.event.reason.${reason}`);
      return event === 'stop' ? t('sla.event.stopReason', { subject, reason: words }) : t('sla.event.cancelReason', { subject, reason: words });
    }
    case 'retarget': {
      const from = typeof data['from'] === 'number' ? priorityLabel(t, data['from']) : '';
      const to = typeof data['to'] === 'number' ? priorityLabel(t, data['to']) : '';
      return t('sla.event.retarget', { subject, from, to });
    }
    case 'warning':
      return t('sla.event.warning', { subject, pct });
    case 'escalation': {
      const done = Array.isArray(data['actions']) ? data['actions'].filter((a): a is (typeof ESCALATION_ACTIONS)[number] => oneOf(a, ESCALATION_ACTIONS)) : [];
      if (!done.length) return t('sla.event.escalation', { subject, pct });
      return t('sla.event.escalationActions', { subject, pct, actions: done.map((a) => t(`sla.event.action.${a}`)).join(t('common.listSeparator')) });
    }
    default:
      return t(`sla.event.${event}`, { subject });
  }
}

/** Escalation steps and warnings are worth a colour of their own on the timeline. */
export function slaEventColor(data: Record<string, unknown>): string {
  switch (data['event']) {
    case 'breach':
    case 'escalation':
      return 'red';
    case 'warning':
      return 'orange';
    case 'pause':
      return 'blue';
    default:
      return 'gray';
  }
}
