import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Col, DatePicker, Descriptions, Row, Statistic, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { UnapprovedChange } from '@tianshu/contracts';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { ChangeStateTag, ChangeTypeTag } from './change-labels.component';
import { useChangeReport } from './use-changes.query';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** Change reports for a period: success rate, emergency ratio, unapproved implementations (must be 0), outcomes, CIs per change. */
export function ChangeReportsPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('month').subtract(2, 'month'), dayjs().endOf('month')]);
  const from = range[0].startOf('day').toISOString();
  const to = range[1].endOf('day').toISOString();
  const report = useChangeReport(from, to);
  const r = report.data;

  return (
    <>
      <PageHeader
        title={t('change.reports.title')}
        testId="page-title"
        extra={<DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} data-testid="report-range" />}
      />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Card loading={report.isPending}>
            <Statistic title={t('change.reports.successRate')} value={pct(r?.successRate ?? null)} data-testid="report-success-rate" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card loading={report.isPending}>
            <Statistic title={t('change.reports.emergencyRatio')} value={pct(r?.emergencyRatio ?? null)} data-testid="report-emergency-ratio" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card loading={report.isPending}>
            <Statistic
              title={t('change.reports.unapproved')}
              value={r?.implementedWithoutApproval ?? 0}
              valueStyle={{ color: r && r.implementedWithoutApproval > 0 ? '#cf1322' : '#389e0d' }}
              data-testid="report-unapproved"
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card loading={report.isPending}>
            <Statistic title={t('change.reports.avgCis')} value={r?.averageCisPerChange ?? '—'} precision={r?.averageCisPerChange === null ? undefined : 2} />
          </Card>
        </Col>
      </Row>
      {r && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10}>
            <Card title={t('change.reports.created')} style={{ marginBottom: 16 }}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('common.total', { count: r.created.total })}>{r.created.total}</Descriptions.Item>
                <Descriptions.Item label={t('change.types.standard')}>{r.created.standard}</Descriptions.Item>
                <Descriptions.Item label={t('change.types.normal')}>{r.created.normal}</Descriptions.Item>
                <Descriptions.Item label={t('change.types.emergency')}>{r.created.emergency}</Descriptions.Item>
              </Descriptions>
            </Card>
            <Card title={t('change.reports.finished')}>
              <Descriptions column={1} size="small" data-testid="report-finished">
                <Descriptions.Item label={t('change.reports.completedSuccessful')}>{r.finished.completedSuccessful}</Descriptions.Item>
                <Descriptions.Item label={t('change.reports.completedWithIssues')}>{r.finished.completedWithIssues}</Descriptions.Item>
                <Descriptions.Item label={t('change.reports.rolledBack')}>{r.finished.rolledBack}</Descriptions.Item>
                <Descriptions.Item label={t('change.reports.failed')}>{r.finished.failed}</Descriptions.Item>
              </Descriptions>
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card title={t('change.reports.unapproved')}>
              <Alert type={r.implementedWithoutApproval ? 'error' : 'success'} showIcon message={t('change.reports.unapprovedHint')} style={{ marginBottom: 12 }} />
              <Table<UnapprovedChange>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={r.unapproved}
                locale={{ emptyText: t('change.reports.none') }}
                onRow={(x) => testId<HTMLAttributes<HTMLElement>>(`unapproved-row-${x.id}`)}
                columns={[
                  { title: t('change.field.number'), render: (_v, x) => <Link to={`/changes/${x.id}`}>{x.number}</Link> },
                  { title: t('change.field.title'), dataIndex: 'title' },
                  { title: t('change.field.type'), render: (_v, x) => <ChangeTypeTag type={x.changeType} /> },
                  { title: t('change.field.state'), render: (_v, x) => <ChangeStateTag state={x.state} /> },
                  { title: t('change.reports.reason'), render: (_v, x) => <Tag color="red">{t(`change.reports.reasons.${x.reason}`)}</Tag> },
                  { title: t('change.reports.implementingAt'), render: (_v, x) => formatDateTime(x.implementingAt) },
                  { title: t('change.reports.approvedAt'), render: (_v, x) => formatDateTime(x.approvedAt) },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
