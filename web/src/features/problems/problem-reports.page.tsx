import { useState } from 'react';
import { Link } from 'react-router';
import { Card, Col, DatePicker, Empty, Flex, Row, Statistic, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { ProblemReport } from '@tianshu/contracts';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { useProblemReport } from './use-problems.query';

type Repeat = ProblemReport['repeatIncidents'][number];

/** Resolution rate, time to root cause and repeat incidents for problems created in a period. */
export function ProblemReportsPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(90, 'day').startOf('day'), dayjs().add(1, 'day').startOf('day')]);
  const report = useProblemReport(range[0].toISOString(), range[1].toISOString());
  const r = report.data;
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(1)}%`);
  return (
    <>
      <PageHeader title={t('problem.report.title')} testId="page-title" />
      <Flex gap={8} align="center" style={{ marginBottom: 16 }}>
        <span>{t('problem.report.range')}</span>
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(v) => {
            if (v?.[0] && v[1]) setRange([v[0].startOf('day'), v[1].endOf('day')]);
          }}
          data-testid="problem-report-range"
        />
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small" loading={report.isPending}>
            <Statistic title={t('problem.report.created')} value={r?.created ?? 0} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" loading={report.isPending} data-testid="report-resolution-rate">
            <Statistic title={t('problem.report.resolutionRate')} value={pct(r?.resolutionRate)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" loading={report.isPending} data-testid="report-time-to-root-cause">
            <Statistic
              title={t('problem.report.avgTimeToRootCause')}
              value={r?.avgHoursToRootCause === null || r?.avgHoursToRootCause === undefined ? '-' : t('problem.report.hours', { value: r.avgHoursToRootCause })}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" loading={report.isPending}>
            <Statistic title={t('problem.report.avgIncidents')} value={r?.avgIncidentsPerProblem ?? '-'} />
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Card size="small" title={t('problem.report.repeatIncidents')}>
            <Table<Repeat>
              size="small"
              rowKey="problemId"
              pagination={false}
              dataSource={r?.repeatIncidents ?? []}
              locale={{ emptyText: t('problem.report.none') }}
              columns={[
                { title: t('problem.field.number'), key: 'n', render: (_v, x) => <Link to={`/problems/${x.problemId}`}>{x.number}</Link> },
                { title: t('problem.field.title'), key: 't', dataIndex: 'title' },
                { title: t('problem.field.incidentCount'), key: 'c', dataIndex: 'incidentCount' },
                { title: t('problem.field.firstOccurrence'), key: 'f', render: (_v, x) => formatDateTime(x.firstOccurrenceAt) },
                { title: t('problem.field.lastOccurrence'), key: 'l', render: (_v, x) => formatDateTime(x.lastOccurrenceAt) },
              ]}
              scroll={{ x: 'max-content' }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('problem.report.byCause')}>
            {r && r.byCause.length ? (
              <Flex vertical gap={4}>
                {r.byCause.map((c) => (
                  <Flex key={c.causeCategory ?? 'none'} justify="space-between">
                    <span>{c.causeCategory ? t(`problem.cause.${c.causeCategory}`) : t('problem.report.uncategorised')}</span>
                    <Tag>{c.count}</Tag>
                  </Flex>
                ))}
              </Flex>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('problem.report.none')} />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
