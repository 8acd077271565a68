import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Card, Col, Descriptions, Flex, Progress, Result, Row, Skeleton, Statistic, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { testId } from '../../shared/test-id';
import { ContractFormModal } from './contract-form-modal.component';
import { EvaluationFormModal } from './evaluation-form-modal.component';
import { EvaluationTrend } from './evaluation-trend.component';
import { RepairTable } from './repair-table.component';
import { useRepairs, useVendor } from './use-vendors.query';
import { ContractExpiryTag, GradeTag, useTurnaroundText } from './vendor-presentation.component';
import { VendorFormModal } from './vendor-form-modal.component';
import type { VendorContact, VendorContract, VendorEvaluation } from './vendor-types';

export function VendorDetailPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const id = Number(useParams().id);
  const vendor = useVendor(id);
  const repairs = useRepairs({ vendorId: id, pageSize: 50 }, Number.isSafeInteger(id) && id > 0);
  const turnaround = useTurnaroundText();
  const [editing, setEditing] = useState(false);
  const [contract, setContract] = useState<VendorContract | 'new' | null>(null);
  const [evaluating, setEvaluating] = useState(false);
  const manage = can('vendor.manage');

  if (vendor.isPending) return <Skeleton active />;
  if (vendor.isError || !vendor.data)
    return (
      <Result
        status="404"
        title={t('vendor.notFound')}
        extra={
          <Link to="/vendors">
            <Button>{t('vendor.back')}</Button>
          </Link>
        }
      />
    );
  const v = vendor.data;
  const s = v.repairStats;

  const contactColumns: TableColumnsType<VendorContact> = [
    { title: t('vendor.contactName'), key: 'name', render: (_x, c) => (c.primary ? <>{c.name} <Tag color="blue">{t('vendor.contactPrimary')}</Tag></> : c.name) },
    { title: t('vendor.contactRole'), key: 'role', dataIndex: 'role' },
    { title: t('vendor.contactPhone'), key: 'phone', dataIndex: 'phone' },
    { title: t('vendor.contactEmail'), key: 'email', dataIndex: 'email' },
  ];
  const contractColumns: TableColumnsType<VendorContract> = [
    { title: t('vendor.contract.number'), key: 'number', dataIndex: 'number' },
    { title: t('vendor.contract.name'), key: 'title', dataIndex: 'title' },
    { title: t('vendor.contract.kind'), key: 'kind', render: (_x, c) => t(`vendor.contract.kindValues.${c.kind}`) },
    { title: t('vendor.contract.period'), key: 'period', render: (_x, c) => <>{c.startDate} ~ {c.endDate} <ContractExpiryTag contract={c} /></> },
    { title: t('vendor.contract.amount'), key: 'amount', render: (_x, c) => (c.amount === null ? '-' : `${c.amount} ${c.currency}`) },
    {
      title: t('vendor.contract.serviceLevel'),
      key: 'sl',
      render: (_x, c) => {
        const sl = c.serviceLevel;
        const parts = [t(`vendor.contract.coverageValues.${sl.coverage}`)];
        if (sl.responseHours !== null) parts.push(`${t('vendor.contract.responseHours')} ${sl.responseHours}`);
        if (sl.onsiteHours !== null) parts.push(`${t('vendor.contract.onsiteHours')} ${sl.onsiteHours}`);
        if (sl.resolutionHours !== null) parts.push(`${t('vendor.contract.resolutionHours')} ${sl.resolutionHours}`);
        if (sl.sparePartsHours !== null) parts.push(`${t('vendor.contract.sparePartsHours')} ${sl.sparePartsHours}`);
        return parts.join(' / ');
      },
    },
    { title: t('vendor.contract.org'), key: 'org', render: (_x, c) => c.orgName ?? t('vendor.contract.orgNone') },
    { title: t('vendor.contract.sla'), key: 'sla', render: (_x, c) => c.slaDefinitionName ?? '-' },
    ...(manage
      ? [
          {
            title: '',
            key: 'edit',
            render: (_x: unknown, c: VendorContract) => (
              <Button size="small" icon={<EditOutlined />} onClick={() => setContract(c)} data-testid={`contract-edit-${c.id}`}>
                {t('vendor.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  const evaluationColumns: TableColumnsType<VendorEvaluation> = [
    { title: t('vendor.evaluation.year'), key: 'year', dataIndex: 'year' },
    { title: t('vendor.evaluation.total'), key: 'total', render: (_x, e) => <Progress percent={Number(e.total)} format={() => e.total} size="small" style={{ width: 160 }} /> },
    { title: t('vendor.evaluation.grade'), key: 'grade', render: (_x, e) => <GradeTag grade={e.grade} /> },
    ...(['quality', 'response', 'price', 'service', 'compliance'] as const).map((k) => ({
      title: t(`vendor.evaluation.criteria.${k}`),
      key: k,
      render: (_x: unknown, e: VendorEvaluation) => e.scores[k],
    })),
    { title: t('vendor.evaluation.comment'), key: 'comment', dataIndex: 'comment' },
    { title: t('vendor.evaluation.evaluatedBy'), key: 'by', render: (_x, e) => `${e.evaluatedByName} ${formatDateTime(e.evaluatedAt)}` },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }} wrap gap={8}>
        <Flex align="center" gap={8}>
          <Link to="/vendors">
            <Button icon={<ArrowLeftOutlined />} aria-label={t('vendor.back')} />
          </Link>
          <h2 style={{ margin: 0 }} data-testid="page-title">
            {v.name}
          </h2>
          {!v.active && <Tag>{t('vendor.activeValues.false')}</Tag>}
        </Flex>
        {manage && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="vendor-edit">
            {t('vendor.edit')}
          </Button>
        )}
      </Flex>
      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Card style={{ marginBottom: 16 }}>
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('vendor.kind')}>{t(`vendor.kindValues.${v.kind}`)}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.creditCode')}>{v.creditCode ?? '-'}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.address')}>{v.address || '-'}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.website')}>{v.website || '-'}</Descriptions.Item>
              <Descriptions.Item label={t('vendor.notes')} span={2}>
                {v.notes || '-'}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('vendor.stats.title')} size="small" style={{ marginBottom: 16 }} data-testid="vendor-repair-stats">
            <Row gutter={8}>
              <Col span={8}>
                <Statistic title={t('vendor.stats.total')} value={s.total} />
              </Col>
              <Col span={8}>
                <Statistic title={t('vendor.stats.open')} value={s.open} />
              </Col>
              <Col span={8}>
                <Statistic title={t('vendor.stats.overdue')} value={s.overdue} valueStyle={s.overdue ? { color: '#cf1322' } : undefined} />
              </Col>
              <Col span={12}>
                <Statistic title={t('vendor.stats.avgTurnaround')} value={turnaround(s.avgTurnaroundHours)} />
              </Col>
              <Col span={12}>
                <Statistic title={t('vendor.stats.maxTurnaround')} value={turnaround(s.maxTurnaroundHours)} />
              </Col>
            </Row>
          </Card>
        </Col>
      </Row>
      <Card title={t('vendor.contacts')} size="small" style={{ marginBottom: 16 }}>
        <Table<VendorContact> rowKey={(c) => `${c.name}-${c.phone}`} columns={contactColumns} dataSource={v.contacts} pagination={false} size="small" locale={{ emptyText: t('vendor.noContacts') }} />
      </Card>
      <Card
        title={t('vendor.contract.title')}
        size="small"
        style={{ marginBottom: 16 }}
        extra={
          manage && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setContract('new')} data-testid="contract-new">
              {t('vendor.contract.create')}
            </Button>
          )
        }
      >
        <Table<VendorContract>
          rowKey="id"
          columns={contractColumns}
          dataSource={v.contracts}
          pagination={false}
          size="small"
          locale={{ emptyText: t('vendor.contract.empty') }}
          onRow={(c) => testId(`contract-row-${c.id}`, {})}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <Card
        title={t('vendor.evaluation.title')}
        size="small"
        style={{ marginBottom: 16 }}
        extra={
          manage && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setEvaluating(true)} data-testid="evaluation-new">
              {t('vendor.evaluation.create')}
            </Button>
          )
        }
      >
        <EvaluationTrend evaluations={v.evaluations} />
        <Table<VendorEvaluation>
          rowKey="id"
          columns={evaluationColumns}
          dataSource={v.evaluations}
          pagination={false}
          size="small"
          locale={{ emptyText: t('vendor.evaluation.empty') }}
          onRow={(e) => testId(`evaluation-row-${e.year}`, {})}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <Card title={t('vendor.repair.title')} size="small">
        <RepairTable loading={repairs.isFetching} items={repairs.data?.items ?? []} />
      </Card>
      {editing && (
        <VendorFormModal
          vendor={v}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            notifySuccess(t('vendor.saved'));
          }}
        />
      )}
      {contract && (
        <ContractFormModal
          vendorId={v.id}
          {...(contract === 'new' ? {} : { contract })}
          onClose={() => setContract(null)}
          onSaved={() => {
            setContract(null);
            notifySuccess(t('vendor.contract.saved'));
          }}
        />
      )}
      {evaluating && (
        <EvaluationFormModal
          vendorId={v.id}
          onClose={() => setEvaluating(false)}
          onSaved={() => {
            setEvaluating(false);
            notifySuccess(t('vendor.evaluation.saved'));
          }}
        />
      )}
    </>
  );
}
