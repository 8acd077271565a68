import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Col, Empty, Flex, Row, Select, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlayCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CmdbAuditReport, CmdbAuditViolation } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { AuditRulesCard } from './audit-rules.component';
import { AuditScheduleCard } from './audit-schedule.component';
import { useAuditReport, useAuditRuns, useAuditViolations, useRunAudit } from './use-cmdb-quality.query';

const PAGE_SIZE = 20;
type ClassRow = CmdbAuditReport['byClass'][number];
type OwnerRow = CmdbAuditReport['byOwner'][number];

const pctText = (pct: number | null, none: string) => (pct === null ? none : `${pct.toFixed(2)}%`);

/** The human line for a violation's detail, by rule kind. */
function useViolationText() {
  const { t } = useTranslation();
  return (v: CmdbAuditViolation): string => {
    const d = v.detail;
    switch (v.kind) {
      case 'required_missing':
        return t('cmdbQuality.audits.details.missing', { keys: Array.isArray(d.missing) ? d.missing.join(t('common.listSeparator')) : '' });
      case 'stale':
        return t('cmdbQuality.audits.details.stale', { at: typeof d.updatedAt === 'string' ? formatDateTime(d.updatedAt) : '', days: Number(d.days ?? 0) });
      case 'duplicate_identifier':
        return t('cmdbQuality.audits.details.duplicate', { identifier: String(d.identifier ?? ''), value: String(d.value ?? ''), others: Math.max(0, Number(d.count ?? 1) - 1) });
      case 'no_owner':
        return t('cmdbQuality.audits.details.noOwner');
      case 'no_service_relation':
        return t('cmdbQuality.audits.details.noService');
    }
  };
}

function ReportView({ report }: { report: CmdbAuditReport }) {
  const { t } = useTranslation();
  const none = t('common.none');
  const [ruleId, setRuleId] = useState<number | undefined>();
  const [classId, setClassId] = useState<number | undefined>();
  const [page, setPage] = useState(1);
  const violations = useAuditViolations(report.run.id, { ruleId, classId, page, pageSize: PAGE_SIZE });
  const filterClass = report.byClass.find((c) => c.classId === classId);
  const detailText = useViolationText();
  const run = report.run;

  const tallyColumns = [
    { title: t('cmdbQuality.audits.cisChecked'), key: 'checked', dataIndex: 'cisChecked', align: 'right' as const },
    { title: t('cmdbQuality.audits.cisWithViolations'), key: 'bad', dataIndex: 'cisWithViolations', align: 'right' as const },
    { title: t('cmdbQuality.audits.violations'), key: 'violations', dataIndex: 'violations', align: 'right' as const },
    { title: t('cmdbQuality.audits.accuracy'), key: 'pct', align: 'right' as const, render: (_v: unknown, r: { accuracyPct: number | null }) => pctText(r.accuracyPct, none) },
  ];
  const classColumns: TableColumnsType<ClassRow> = [{ title: t('cmdbQuality.audits.class'), key: 'class', render: (_v, c) => c.className || c.classKey }, ...tallyColumns];
  const ownerColumns: TableColumnsType<OwnerRow> = [
    {
      title: t('cmdbQuality.audits.owner'),
      key: 'owner',
      render: (_v, o) =>
        o.ownerKind === 'none'
          ? t('cmdbQuality.audits.ownerNone')
          : o.ownerKind === 'group'
            ? t('cmdbQuality.audits.ownerGroup', { name: o.ownerName ?? `#${o.ownerId}` })
            : (o.ownerName ?? `#${o.ownerId}`),
    },
    ...tallyColumns,
  ];
  const violationColumns: TableColumnsType<CmdbAuditViolation> = [
    {
      title: t('cmdbQuality.audits.ci'),
      key: 'ci',
      render: (_v, v) => (
        <Link to={`/cmdb/cis/${v.ciId}`} data-testid={`violation-ci-link-${v.ciId}`}>
          {v.ciName}
        </Link>
      ),
    },
    { title: t('cmdbQuality.audits.ruleFilter'), key: 'rule', render: (_v, v) => <Tag>{v.ruleName}</Tag> },
    { title: t('cmdbQuality.audits.detail'), key: 'detail', render: (_v, v) => detailText(v) },
    { title: t('cmdbQuality.audits.class'), key: 'class', dataIndex: 'className' },
    { title: t('cmdbQuality.audits.org'), key: 'org', dataIndex: 'orgName' },
    { title: t('cmdbQuality.audits.owner'), key: 'owner', render: (_v, v) => v.ownerUserName ?? (v.ownerGroupName ? t('cmdbQuality.audits.ownerGroup', { name: v.ownerGroupName }) : t('cmdbQuality.audits.ownerNone')) },
  ];

  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Row gutter={16}>
          <Col xs={24} md={6}>
            <Tooltip title={t('cmdbQuality.audits.accuracyHint')}>
              <Statistic title={t('cmdbQuality.audits.accuracy')} value={pctText(run.accuracyPct, none)} data-testid="audit-accuracy" />
            </Tooltip>
          </Col>
          <Col xs={8} md={4}>
            <Statistic title={t('cmdbQuality.audits.cisChecked')} value={run.cisChecked} data-testid="audit-checked" />
          </Col>
          <Col xs={8} md={4}>
            <Statistic title={t('cmdbQuality.audits.cisWithViolations')} value={run.cisWithViolations} data-testid="audit-bad" />
          </Col>
          <Col xs={8} md={4}>
            <Statistic title={t('cmdbQuality.audits.violations')} value={run.violations} data-testid="audit-violations" />
          </Col>
          <Col xs={24} md={6}>
            <Typography.Text type="secondary">
              {t('cmdbQuality.audits.startedAt')}: {formatDateTime(run.startedAt)}
              <br />
              {t('cmdbQuality.audits.startedBy')}: {run.startedByName ?? t('common.system')} ({t(`cmdbQuality.audits.triggers.${run.trigger}`)})
            </Typography.Text>
          </Col>
        </Row>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t('cmdbQuality.audits.byClass')} size="small" style={{ marginBottom: 16 }}>
            <Table<ClassRow>
              rowKey="classId"
              size="small"
              columns={classColumns}
              dataSource={report.byClass}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              // A click filters the violation list to the class.
              onRow={(c) =>
                testId(`audit-class-row-${c.classKey}`, {
                  onClick: () => {
                    setClassId(c.classId);
                    setPage(1);
                  },
                  style: { cursor: 'pointer' },
                })
              }
              data-testid="audit-by-class"
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('cmdbQuality.audits.byOwner')} size="small" style={{ marginBottom: 16 }}>
            <Table<OwnerRow>
              rowKey={(o) => `${o.ownerKind}-${o.ownerId ?? 0}`}
              size="small"
              columns={ownerColumns}
              dataSource={report.byOwner}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              data-testid="audit-by-owner"
            />
          </Card>
        </Col>
      </Row>
      <Card title={t('cmdbQuality.audits.violationList')} style={{ marginBottom: 16 }}>
        {!run.violationsKept && <Alert type="info" showIcon title={t('cmdbQuality.audits.violationsPruned')} style={{ marginBottom: 16 }} />}
        {filterClass && (
          <Tag
            closable
            onClose={() => {
              setClassId(undefined);
              setPage(1);
            }}
            style={{ marginInlineEnd: 8 }}
            data-testid="violation-class-filter"
          >
            {filterClass.className || filterClass.classKey}
          </Tag>
        )}
        <Select<number>
          allowClear
          placeholder={t('cmdbQuality.audits.ruleFilter')}
          value={ruleId}
          onChange={(v) => {
            setRuleId(v ?? undefined);
            setPage(1);
          }}
          options={report.byRule.map((r) => ({ value: r.ruleId, label: `${r.name} (${r.violations})` }))}
          style={{ minWidth: 260, marginBottom: 16 }}
          data-testid="violation-rule-filter"
        />
        <Table<CmdbAuditViolation>
          rowKey="id"
          loading={violations.isFetching}
          columns={violationColumns}
          dataSource={violations.data?.items ?? []}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: violations.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          onRow={(v) => testId(`violation-row-${v.id}`, {})}
          scroll={{ x: 'max-content' }}
          data-testid="violation-table"
        />
      </Card>
    </>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [runId, setRunId] = useState<number | undefined>();
  const runs = useAuditRuns();
  const report = useAuditReport(runId);
  const runNow = useRunAudit();
  const canManage = can('cmdb.class.manage');

  return (
    <>
      <PageHeader
        title={t('cmdbQuality.audits.title')}
        testId="page-title"
        extra={
          <Flex wrap gap={8}>
            <Select<number>
              allowClear
              placeholder={t('cmdbQuality.audits.run')}
              value={runId}
              onChange={(v) => setRunId(v ?? undefined)}
              options={(runs.data?.items ?? []).map((r) => ({
                value: r.id,
                label: t('cmdbQuality.audits.runLabel', { id: r.id, at: formatDateTime(r.startedAt), trigger: t(`cmdbQuality.audits.triggers.${r.trigger}`) }),
              }))}
              style={{ minWidth: 280 }}
              data-testid="audit-run-select"
            />
            <Button
              type="primary"
              icon={<PlayCircleOutlined />}
              loading={runNow.isPending}
              onClick={() =>
                void runNow.mutateAsync().then((r) => {
                  setRunId(undefined);
                  notifySuccess(t('cmdbQuality.audits.ran', { pct: pctText(r.run.accuracyPct, t('common.none')) }));
                })
              }
              data-testid="audit-run-now"
            >
              {t('cmdbQuality.audits.runNow')}
            </Button>
          </Flex>
        }
      />
      {report.isPending ? (
        <Card loading style={{ marginBottom: 16 }} />
      ) : report.data ? (
        <ReportView key={report.data.run.id} report={report.data} />
      ) : (
        <Card style={{ marginBottom: 16 }}>
          <Empty description={t('cmdbQuality.audits.noRun')} data-testid="audit-no-run" />
        </Card>
      )}
      <AuditScheduleCard canManage={canManage} />
      <AuditRulesCard canManage={canManage} />
    </>
  );
}
