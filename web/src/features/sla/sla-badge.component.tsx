import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { badgeView, TONE_COLORS } from './sla-format';
import type { TicketSlaBadge } from './sla-types';

/** The most telling clock of a ticket, for a list row: time left, overdue, paused, met or breached. */
export function SlaBadge({ badge, testId = 'sla-badge' }: { badge: TicketSlaBadge; testId?: string }) {
  const { t } = useTranslation();
  const view = badgeView(t, badge);
  const due = badge.dueAt ? t('common.labelValue', { label: t('sla.clock.due'), value: formatDateTime(badge.dueAt) }) : null;
  return (
    <Tooltip title={[t(`sla.metricLong.${badge.metric}`), due].filter(Boolean).join(' · ')}>
      <Tag color={TONE_COLORS[view.tone]} data-testid={testId} data-state={badge.state} data-tone={view.tone} data-breached={badge.breached} style={{ marginInlineEnd: 0 }}>
        {view.text}
      </Tag>
    </Tooltip>
  );
}
