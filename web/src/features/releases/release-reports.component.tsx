import { useState } from 'react';
import { Alert, Card, Col, DatePicker, Flex, Row, Statistic, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/notifier';
import { useReleaseReport } from './use-releases.query';

const percent = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** Success, on-time and rollback rates of releases that finished in a period (default: the last 90 days). */
export function ReleaseReports() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(90, 'day').startOf('day'), dayjs().add(1, 'day').startOf('day')]);
  const report = useReleaseReport(range[0].toISOString(), range[1].toISOString());
  const r = report.data;
  const rate = (title: string, value: number | null, testid: string, hint?: string) => (
    <Col xs={12} md={6}>
      <Card size="small">
        <Statistic title={<span title={hint}>{title}</span>} value={percent(value) ?? t('release.reports.none')} suffix={value === null ? undefined : '%'} valueStyle={{ fontSize: 22 }} />
        <span data-testid={testid} data-value={value ?? ''} hidden />
      </Card>
    </Col>
  );
  return (
    <Card>
      <Flex gap={8} align="center" wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(v) => {
            if (v?.[0] && v[1]) setRange([v[0].startOf('day'), v[1].add(1, 'day').startOf('day')]);
          }}
          data-testid="release-report-range"
        />
        <Typography.Text type="secondary">{t('release.reports.windowHint')}</Typography.Text>
      </Flex>
      {report.isError && <Alert type="error" showIcon title={errorText(report.error)} />}
      {r && (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={8}>
              <Statistic title={t('release.reports.finished')} value={r.finished} />
            </Col>
            <Col xs={8}>
              <Statistic title={t('release.reports.completed')} value={r.completed} />
            </Col>
            <Col xs={8}>
              <Statistic title={t('release.reports.rolledBack')} value={r.rolledBack} />
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            {rate(t('release.reports.successRate'), r.successRate, 'release-report-success')}
            {rate(t('release.reports.onTimeRate'), r.onTimeRate, 'release-report-ontime', t('release.reports.onTimeHint'))}
            {rate(t('release.reports.rollbackRate'), r.rollbackRate, 'release-report-rollback')}
            {rate(t('release.reports.deploymentRate'), r.deployments.successRate, 'release-report-deployments')}
          </Row>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
            {t('release.reports.onTimeHint')}
            <br />
            {t('release.reports.deployments', { ...r.deployments })}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
