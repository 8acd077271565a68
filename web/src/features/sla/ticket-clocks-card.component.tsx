import { Card, Empty, Flex, Progress, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { formatDateTime } from '../../shared/format';
import { badgeView, formatDuration, metricLabel, progressPercent, RISK_PCT, TONE_COLORS } from './sla-format';
import type { SlaMetric, TicketClock } from './sla-types';
import { useTicketClocks } from './use-sla.query';

const METRIC_ORDER: Record<SlaMetric, number> = { response: 0, resolution: 1, update: 2 };

function ClockRow({ clock }: { clock: TicketClock }) {
  const { t } = useTranslation();
  const view = badgeView(t, clock);
  const live = clock.state === 'running' || clock.state === 'paused';
  const strokeColor = clock.breached ? undefined : clock.percent >= RISK_PCT ? '#fa8c16' : '#52c41a';

  // A clock stopped in time has no due instant worth showing; a breached one shows when it breached.
  const showDue = clock.state === 'running' || clock.state === 'paused' || clock.dueAt !== null;
  let due: string;
  if (clock.state === 'paused') due = t('sla.clock.pausedDue');
  else if (clock.dueAt) due = formatDateTime(clock.dueAt);
  else due = t('common.none');

  return (
    <Flex
      vertical
      gap={4}
      data-testid={`sla-clock-${clock.metric}`}
      data-definition-id={clock.definitionId}
      data-state={clock.state}
      data-breached={clock.breached}
      style={{ paddingBlock: 8, borderBlockEnd: '1px solid rgba(5, 5, 5, 0.06)' }}
    >
      <Flex wrap gap={6} align="center" justify="space-between">
        <Flex wrap gap={6} align="center">
          <Typography.Text strong>{metricLabel(t, clock.metric)}</Typography.Text>
          <Typography.Text type="secondary" ellipsis style={{ maxWidth: 180 }} title={clock.definitionName}>
            {clock.definitionName}
          </Typography.Text>
          <Tag style={{ marginInlineEnd: 0 }}>{t(`sla.kind.${clock.kind}`)}</Tag>
        </Flex>
        <Tag color={TONE_COLORS[view.tone]} data-testid="sla-clock-state" style={{ marginInlineEnd: 0 }}>
          {view.text}
        </Tag>
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('common.labelValue', { label: t('sla.clock.target'), value: formatDuration(t, clock.targetMinutes) })}
        {showDue && (
          <>
            {' · '}
            {t('common.labelColon', { label: t('sla.clock.due') })}
            <span data-testid="sla-clock-due" data-due-at={clock.dueAt ?? ''}>
              {due}
            </span>
          </>
        )}
      </Typography.Text>
      {live && (
        <Typography.Text type={clock.remainingMinutes < 0 ? 'danger' : 'secondary'} style={{ fontSize: 12 }} data-testid="sla-clock-remaining" data-minutes={clock.remainingMinutes}>
          {clock.remainingMinutes < 0
            ? t('sla.clock.overdueBy', { duration: formatDuration(t, clock.remainingMinutes) })
            : t('sla.clock.remaining', { duration: formatDuration(t, clock.remainingMinutes) })}
          {clock.state === 'paused' && clock.pausedSince && ` · ${t('sla.clock.pausedSince', { time: formatDateTime(clock.pausedSince) })}`}
        </Typography.Text>
      )}
      {clock.state === 'stopped' && clock.stoppedAt && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('sla.clock.stoppedAt', { time: formatDateTime(clock.stoppedAt) })}
        </Typography.Text>
      )}
      {clock.state !== 'cancelled' && (
        <Progress
          percent={progressPercent(clock.percent)}
          size="small"
          status={clock.breached ? 'exception' : clock.state === 'stopped' ? 'success' : 'normal'}
          strokeColor={strokeColor}
          format={() => `${Math.round(clock.percent)}%`}
          data-testid="sla-clock-progress"
        />
      )}
      {clock.breached && clock.breachedAt && (
        <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="sla-clock-breached">
          {t('sla.clock.breachedAt', { time: formatDateTime(clock.breachedAt) })}
        </Typography.Text>
      )}
    </Flex>
  );
}

/** The SLA clocks of one ticket, for the incident page's side column (users with sla.read only). */
export function TicketClocksCard({ ticketId }: { ticketId: number }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const allowed = can('sla.read');
  const clocks = useTicketClocks(ticketId, allowed);
  if (!allowed) return null;
  const list = [...(clocks.data ?? [])].sort(
    (a, b) => a.definitionName.localeCompare(b.definitionName) || a.definitionId - b.definitionId || METRIC_ORDER[a.metric] - METRIC_ORDER[b.metric],
  );
  return (
    <Card size="small" title={t('sla.clock.title')} data-testid="ticket-clocks-card">
      {clocks.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : list.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sla.clock.empty')} />
      ) : (
        list.map((clock) => <ClockRow key={clock.id} clock={clock} />)
      )}
    </Card>
  );
}
