import type { Locale } from '@tianshu/contracts';

/** Picks zh-CN or en-US from an Accept-Language header; Chinese first. */
export function localeFromHeader(header: string | undefined): Locale {
  if (!header) return 'zh-CN';
  const parts = header
    .split(',')
    .map((p) => {
      const [tag = '', ...params] = p.trim().split(';');
      const q = params.map((x) => x.trim()).find((x) => x.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of parts) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en-US';
  }
  return 'zh-CN';
}

/** Names of objects used inside error messages. */
const OBJECT_NAMES: Record<string, Record<Locale, string>> = {
  ticket: { 'zh-CN': '工单', 'en-US': 'Ticket' },
  user: { 'zh-CN': '用户', 'en-US': 'User' },
  organization: { 'zh-CN': '组织', 'en-US': 'Organisation' },
  group: { 'zh-CN': '支持组', 'en-US': 'Group' },
  attachment: { 'zh-CN': '附件', 'en-US': 'Attachment' },
  token: { 'zh-CN': 'API 令牌', 'en-US': 'API token' },
  assignee: { 'zh-CN': '处理人', 'en-US': 'Assignee' },
  requester: { 'zh-CN': '报障人', 'en-US': 'Requester' },
  calendar: { 'zh-CN': '工作日历', 'en-US': 'Calendar' },
  SLA: { 'zh-CN': 'SLA 定义', 'en-US': 'SLA definition' },
  service: { 'zh-CN': '服务', 'en-US': 'Service' },
  outage: { 'zh-CN': '服务中断记录', 'en-US': 'Outage' },
  maintenanceWindow: { 'zh-CN': '维护窗口', 'en-US': 'Maintenance window' },
  channel: { 'zh-CN': '通知渠道', 'en-US': 'Notification channel' },
  notification: { 'zh-CN': '通知', 'en-US': 'Notification' },
};

export function objectName(key: string, locale: Locale): string {
  return OBJECT_NAMES[key]?.[locale] ?? key;
}

const STATE_NAMES: Record<string, Record<Locale, string>> = {
  new: { 'zh-CN': '新建', 'en-US': 'New' },
  assigned: { 'zh-CN': '已分派', 'en-US': 'Assigned' },
  in_progress: { 'zh-CN': '处理中', 'en-US': 'In progress' },
  pending: { 'zh-CN': '挂起', 'en-US': 'Pending' },
  resolved: { 'zh-CN': '已解决', 'en-US': 'Resolved' },
  closed: { 'zh-CN': '已关闭', 'en-US': 'Closed' },
  cancelled: { 'zh-CN': '已取消', 'en-US': 'Cancelled' },
  assign: { 'zh-CN': '分派', 'en-US': 'Assign' },
  take: { 'zh-CN': '接单', 'en-US': 'Take' },
  start: { 'zh-CN': '开始处理', 'en-US': 'Start' },
  pend: { 'zh-CN': '挂起', 'en-US': 'Put on hold' },
  resume: { 'zh-CN': '恢复处理', 'en-US': 'Resume' },
  resolve: { 'zh-CN': '解决', 'en-US': 'Resolve' },
  close: { 'zh-CN': '确认关闭', 'en-US': 'Close' },
  reopen: { 'zh-CN': '重新打开', 'en-US': 'Reopen' },
  cancel: { 'zh-CN': '取消', 'en-US': 'Cancel' },
  resolutionCode: { 'zh-CN': '解决代码', 'en-US': 'resolution code' },
  resolutionNotes: { 'zh-CN': '解决说明', 'en-US': 'resolution notes' },
  pendingReason: { 'zh-CN': '挂起原因', 'en-US': 'pending reason' },
  comment: { 'zh-CN': '说明', 'en-US': 'comment' },
  assignmentGroupId: { 'zh-CN': '支持组', 'en-US': 'group' },
  assigneeId: { 'zh-CN': '处理人', 'en-US': 'assignee' },
  orgId: { 'zh-CN': '组织', 'en-US': 'organisation' },
};

export function termName(key: string, locale: Locale): string {
  return STATE_NAMES[key]?.[locale] ?? key;
}
