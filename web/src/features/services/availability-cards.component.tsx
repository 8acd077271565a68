import { Alert, Card, Col, Descriptions, Progress, Row, Skeleton, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatInZone } from '../calendars/calendar-time';
import { budgetLevel, formatPct, formatRate, progressPercent } from './service-format';
import { useDurationText } from './service-presentation.component';
import type { PeriodAvailabilityDto, PeriodKind, ServiceAvailability } from './service-types';

const KINDS: readonly PeriodKind[] = ['month', 'quarter', 'year'];

const LEVEL_COLORS = { ok: '#52c41a', warning: '#faad14', danger: '#fa541c', exhausted: '#f5222d' } as const;

function PeriodCard({ period, timeZone }: { period: PeriodAvailabilityDto; timeZone: string }) {
  const { t } = useTranslation();
  const duration = useDurationText();
  const level = budgetLevel(period.usedPct);
  const lastDay = new Date(Date.parse(period.to) - 1).toISOString();
  const range = t('service.periodRange', { from: formatInZone(period.from, timeZone).slice(0, 10), to: formatInZone(lastDay, timeZone).slice(0, 10) });
  const id = `availability-${period.kind}`;
  let runOut: string;
  if (period.exhausted) runOut = t('service.exhausted');
  else if (period.projectedExhaustionAt) runOut = formatInZone(period.projectedExhaustionAt, timeZone);
  else runOut = t('service.runOutNever');

  return (
    <Card size="small" title={t(`service.period.${period.kind}`)} extra={<Typography.Text type="secondary">{range}</Typography.Text>} data-testid={id}>
      <Statistic
        title={t('service.availability')}
        value={period.availabilityPct === null ? t('common.none') : `${formatPct(period.availabilityPct, 3)}%`}
        styles={{ content: { color: level === 'ok' ? undefined : LEVEL_COLORS[level] } }}
        data-testid={`${id}-pct`}
      />
      {period.availabilityPct === null && <Typography.Text type="secondary">{t('service.availabilityNone')}</Typography.Text>}
      <Progress
        percent={progressPercent(period.usedPct)}
        strokeColor={LEVEL_COLORS[level]}
        status={level === 'exhausted' ? 'exception' : 'normal'}
        format={() => (period.usedPct === null ? t('common.none') : `${formatPct(period.usedPct, 1)}%`)}
        style={{ margin: '12px 0' }}
        data-testid={`${id}-progress`}
      />
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('service.budgetUsed')}>
          <span data-testid={`${id}-used`}>{duration(period.usedMinutes)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('service.budgetLeft')}>
          <span data-testid={`${id}-left`}>
            {period.leftMinutes < 0 ? <Typography.Text type="danger">{t('service.overspent', { duration: duration(period.leftMinutes) })}</Typography.Text> : duration(period.leftMinutes)}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('service.budgetTotal')}>{duration(period.budgetMinutes)}</Descriptions.Item>
        <Descriptions.Item label={t('service.burnRate')}>
          <span data-testid={`${id}-burn`}>{period.burnRate === null ? t('service.burnRateNone') : t('service.burnRateValue', { rate: formatRate(period.burnRate) })}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('service.runOut')}>
          <span data-testid={`${id}-runout`}>{period.exhausted ? <Typography.Text type="danger">{runOut}</Typography.Text> : runOut}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('service.ast')}>{duration(period.astMinutes)}</Descriptions.Item>
        {period.maintenanceMinutes > 0 && <Descriptions.Item label={t('service.maintenance')}>{duration(period.maintenanceMinutes)}</Descriptions.Item>}
      </Descriptions>
    </Card>
  );
}

/** Month, quarter and year to date: availability, budget used and left, burn rate, run-out. */
export function AvailabilityCards({ availability, loading, error }: { availability: ServiceAvailability | undefined; loading: boolean; error?: string | null }) {
  if (error) return <Alert type="error" showIcon title={error} />;
  if (loading || !availability) return <Skeleton active />;
  return (
    <Row gutter={[16, 16]}>
      {KINDS.map((kind) => (
        <Col key={kind} xs={24} md={8}>
          <PeriodCard period={availability[kind]} timeZone={availability.timeZone} />
        </Col>
      ))}
    </Row>
  );
}
