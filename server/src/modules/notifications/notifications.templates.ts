import type { Locale } from '@tianshu/contracts';
import type { NotificationEvent } from './notifications.service.ts';

/**
 * Message texts per event and language. `{name}` is filled from the event's params; a body line
 * whose placeholders are not all given is left out, so callers pass what they have.
 */
type Template = { title: string; lines: string[] };

const TEMPLATES: Record<NotificationEvent | 'channel.test', Record<Locale, Template>> = {
  'ticket.assigned': {
    'zh-CN': { title: '工单 {number} 已指派给您', lines: ['{title}', '优先级：{priority}', '指派人：{actor}'] },
    'en-US': { title: 'Ticket {number} was assigned to you', lines: ['{title}', 'Priority: {priority}', 'Assigned by: {actor}'] },
  },
  'ticket.customer_replied': {
    'zh-CN': { title: '客户回复了工单 {number}', lines: ['{title}', '{actor}：{excerpt}'] },
    'en-US': { title: 'The customer replied on ticket {number}', lines: ['{title}', '{actor}: {excerpt}'] },
  },
  'ticket.transition': {
    'zh-CN': { title: '工单 {number}：{actionZh}', lines: ['{title}', '操作人：{actor}', '说明：{comment}'] },
    'en-US': { title: 'Ticket {number}: {action}', lines: ['{title}', 'By: {actor}', 'Note: {comment}'] },
  },
  'ticket.resolved': {
    'zh-CN': { title: '工单 {number} 已解决', lines: ['{title}', '解决说明：{resolution}', '请确认处理结果。'] },
    'en-US': { title: 'Ticket {number} was resolved', lines: ['{title}', 'Resolution: {resolution}', 'Please confirm the result.'] },
  },
  'sla.warning': {
    'zh-CN': { title: '工单 {number} 的{metric} SLA 即将超时（已用 {pct}%）', lines: ['{title}', 'SLA：{sla}', '截止时间：{due}'] },
    'en-US': { title: 'Ticket {number}: {metric} SLA at {pct}%', lines: ['{title}', 'SLA: {sla}', 'Due: {due}'] },
  },
  'sla.breached': {
    'zh-CN': { title: '工单 {number} 的{metric} SLA 已超时', lines: ['{title}', 'SLA：{sla}', '截止时间：{due}'] },
    'en-US': { title: 'Ticket {number}: {metric} SLA breached', lines: ['{title}', 'SLA: {sla}', 'Was due: {due}'] },
  },
  'sla.escalated': {
    'zh-CN': { title: '工单 {number} 已升级', lines: ['{title}', '升级级别：{level}', 'SLA：{sla}', '截止时间：{due}', '原因：{reason}'] },
    'en-US': { title: 'Ticket {number} escalated', lines: ['{title}', 'Level: {level}', 'SLA: {sla}', 'Due: {due}', 'Reason: {reason}'] },
  },
  'service.budget': {
    'zh-CN': { title: '服务“{service}”的可用性预算已消耗 {pct}%', lines: ['统计周期：{period}', '可用性目标：{target}'] },
    'en-US': { title: 'Service "{service}" has used {pct}% of its availability budget', lines: ['Period: {period}', 'Target: {target}'] },
  },
  'spare_part.low_stock': {
    'zh-CN': { title: '备件“{name}”（{partNumber}）库存低于下限', lines: ['当前库存：{total} {unit}', '最低库存：{min} {unit}'] },
    'en-US': { title: 'Spare part "{name}" ({partNumber}) is below its minimum stock', lines: ['In stock: {total} {unit}', 'Minimum: {min} {unit}'] },
  },
  'asset.warranty': {
    'zh-CN': { title: '资产 {tag} 的保修将于 {date} 到期', lines: ['{name}', '剩余 {days} 天', '供应商：{vendor}'] },
    'en-US': { title: 'The warranty of asset {tag} ends on {date}', lines: ['{name}', '{days} days left', 'Vendor: {vendor}'] },
  },
  'vendor.contract_expiring': {
    'zh-CN': { title: '供应商合同 {number} 将于 {date} 到期', lines: ['{title}', '供应商：{vendor}', '剩余 {days} 天'] },
    'en-US': { title: 'Vendor contract {number} ends on {date}', lines: ['{title}', 'Vendor: {vendor}', '{days} days left'] },
  },
  'approval.requested': {
    'zh-CN': { title: '工单 {number} 待您审批：{approvalZh}', lines: ['{title}', '审批步骤：{stepZh}', '申请人：{requester}', '同意：{approveLink}', '拒绝：{rejectLink}', '以上链接仅可使用一次，有效期至 {linkExpires}。'] },
    'en-US': { title: 'Ticket {number} awaits your approval: {approval}', lines: ['{title}', 'Step: {step}', 'Requested by: {requester}', 'Approve: {approveLink}', 'Reject: {rejectLink}', 'Each link works once, until {linkExpires}.'] },
  },
  'approval.reminder': {
    'zh-CN': { title: '提醒：工单 {number} 仍待您审批（{approvalZh}）', lines: ['{title}', '审批步骤：{stepZh}', '已等待 {hours} 小时', '同意：{approveLink}', '拒绝：{rejectLink}', '以上链接仅可使用一次，有效期至 {linkExpires}。'] },
    'en-US': { title: 'Reminder: ticket {number} still awaits your approval ({approval})', lines: ['{title}', 'Step: {step}', 'Waiting for {hours} hours', 'Approve: {approveLink}', 'Reject: {rejectLink}', 'Each link works once, until {linkExpires}.'] },
  },
  'approval.decided': {
    'zh-CN': { title: '工单 {number} 的审批“{approvalZh}”已{outcomeZh}', lines: ['{title}', '审批人：{actor}', '意见：{comment}'] },
    'en-US': { title: 'Ticket {number}: approval "{approval}" was {outcome}', lines: ['{title}', 'Decided by: {actor}', 'Comment: {comment}'] },
  },
  'channel.test': {
    'zh-CN': { title: '天枢通知渠道测试', lines: ['这是一条来自天枢的测试消息，渠道“{channel}”配置正确。'] },
    'en-US': { title: 'Tianshu channel test', lines: ['This is a test message from Tianshu: the channel "{channel}" works.'] },
  },
};

const METRIC: Record<Locale, Record<string, string>> = {
  'zh-CN': { response: '响应', resolution: '解决', update: '定期更新' },
  'en-US': { response: 'response', resolution: 'resolution', update: 'periodic update' },
};

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;

// Building an Intl.DateTimeFormat costs ~0.2 ms: one per language and zone.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let f = dateFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: timeZone === 'Asia/Shanghai' ? undefined : 'short',
    });
    dateFormatters.set(key, f);
  }
  return f;
}

function formatValue(key: string, value: string | number, locale: Locale, timeZone: string): string {
  if (typeof value === 'string' && ISO_INSTANT.test(value)) {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) {
      return dateFormatter(locale, timeZone).format(d);
    }
  }
  if (key === 'metric' && typeof value === 'string') return METRIC[locale][value] ?? value;
  if (key === 'pct' && typeof value === 'number') return String(Math.round(value * 10) / 10);
  return String(value);
}

function fill(text: string, params: Record<string, string>): string | null {
  let missing = false;
  const out = text.replace(/\{(\w+)\}/g, (_m, k: string) => {
    const v = params[k];
    if (v === undefined || v === '') {
      missing = true;
      return '';
    }
    return v;
  });
  return missing ? null : out;
}

export type Rendered = { title: string; body: string };

/** Title and plain-text body of an event in a language; dates shown in `timeZone`. */
export function renderMessage(
  event: string,
  params: Record<string, string | number>,
  locale: Locale,
  timeZone = 'Asia/Shanghai',
): Rendered {
  const tpl = TEMPLATES[event as NotificationEvent]?.[locale] ?? { title: event, lines: [] };
  const shown: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) shown[k] = formatValue(k, v, locale, timeZone);
  const title = tpl.title
    .replace(/\{(\w+)\}/g, (_m, k: string) => shown[k] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  const body = tpl.lines
    .map((l) => fill(l, shown))
    .filter((l): l is string => l !== null)
    .join('\n');
  return { title, body };
}

/** An absolute link when PUBLIC_URL is known, else the app path as given. */
export function absoluteLink(link: string | null | undefined, publicUrl: string | undefined): string | null {
  if (!link) return null;
  if (/^https?:\/\//.test(link) || !publicUrl) return link;
  return `${publicUrl.replace(/\/+$/, '')}/${link.replace(/^\/+/, '')}`;
}

const OPEN: Record<Locale, string> = { 'zh-CN': '查看详情', 'en-US': 'Open' };
const COLON: Record<Locale, string> = { 'zh-CN': '：', 'en-US': ': ' };

/** Markdown for group robots (DingTalk / WeCom): a heading, the body lines, and the link. */
export function renderMarkdown(msg: Rendered, link: string | null, locale: Locale): string {
  const esc = (s: string) => s.replace(/([\\`*_[\]<>])/g, '\\$1');
  const lines = [`### ${esc(msg.title)}`, ...msg.body.split('\n').filter(Boolean).map((l) => `> ${esc(l)}`)];
  if (link) lines.push(`[${OPEN[locale]}](${link})`);
  return lines.join('\n\n');
}

/** Plain text for robots without markdown (Feishu text messages) and e-mail bodies. */
export function renderText(msg: Rendered, link: string | null, locale: Locale): string {
  return [msg.title, msg.body, link ? `${OPEN[locale]}${COLON[locale]}${link}` : '']
    .filter(Boolean)
    .join('\n\n');
}

const SUBJECT_TAG: Record<Locale, string> = { 'zh-CN': '[天枢]', 'en-US': '[Tianshu]' };

const EMAIL_FOOTER: Record<Locale, string> = {
  'zh-CN': '此邮件由天枢自动发送，请勿直接回复。可在“通知设置”中调整接收方式。',
  'en-US': 'Sent automatically by Tianshu; please do not reply. Change what you receive under notification settings.',
};

export function renderEmail(msg: Rendered, link: string | null, locale: Locale): { subject: string; text: string; html: string } {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const text = `${renderText(msg, link, locale)}\n\n--\n${EMAIL_FOOTER[locale]}\n`;
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.6">',
    `<h3>${esc(msg.title)}</h3>`,
    ...msg.body.split('\n').map((l) => `<p>${esc(l)}</p>`),
    link ? `<p><a href="${esc(link)}">${esc(OPEN[locale])}</a></p>` : '',
    `<hr><p style="color:#888;font-size:12px">${esc(EMAIL_FOOTER[locale])}</p>`,
    '</body></html>',
  ].join('');
  return { subject: `${SUBJECT_TAG[locale]} ${msg.title}`, text, html };
}
