import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { Alert, Button, Card, Col, Descriptions, Flex, Form, Input, Modal, Popconfirm, Result, Row, Select, Skeleton, Statistic, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CiBaseline, CiBaselineItem, CiDrift, CiDriftKind } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { testId } from '../../shared/test-id';
import { useBaseline, useBaselineItems, useDeleteBaseline, useDrift, useUpdateBaseline } from './use-cmdb-quality.query';

const PAGE_SIZE = 50;
const KINDS: readonly CiDriftKind[] = ['changed', 'retired', 'added'];
const KIND_COLOR: Record<CiDriftKind, string> = { changed: 'orange', retired: 'red', added: 'blue' };
const FIELDS = ['classId', 'name', 'orgId', 'ownerUserId', 'ownerGroupId', 'location', 'importance', 'status', 'serialNumber', 'assetTag', 'hostname', 'ip', 'cloudId'] as const;
type Field = (typeof FIELDS)[number];
const isField = (f: string): f is Field => (FIELDS as readonly string[]).includes(f);

/** A snapshot value as text: blank for null, JSON for anything that is not a string or number. */
function valueText(v: unknown, none: string): string {
  if (v === null || v === undefined || v === '') return none;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function RenameModal({ baseline, onClose }: { baseline: CiBaseline; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; description: string }>();
  const update = useUpdateBaseline(baseline.id);
  const submit = async () => {
    const v = await form.validateFields();
    await update.mutateAsync({ version: baseline.version, name: v.name, description: v.description ?? '' });
    notifySuccess(t('cmdbQuality.baselines.renamed'));
    onClose();
  };
  return (
    <Modal
      open
      title={t('cmdbQuality.baselines.renameTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
      okButtonProps={testId('baseline-rename-save', {})}
      destroyOnHidden
    >
      {update.error && <Alert type="error" showIcon title={errorText(update.error)} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={{ name: baseline.name, description: baseline.description }}>
        <Form.Item name="name" label={t('cmdbQuality.baselines.name')} rules={[{ required: true, whitespace: true, message: t('cmdbQuality.baselines.nameRequired') }]}>
          <Input maxLength={120} data-testid="baseline-rename-name" />
        </Form.Item>
        <Form.Item name="description" label={t('cmdbQuality.baselines.description')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The frozen items: each CI as it was when the baseline was taken. */
function BaselineItemsCard({ baselineId }: { baselineId: number }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const items = useBaselineItems(baselineId, page);
  const none = t('common.none');
  const columns: TableColumnsType<CiBaselineItem> = [
    {
      title: t('cmdbQuality.baselines.ci'),
      key: 'ci',
      render: (_v, i) => (
        <Link to={`/cmdb/cis/${i.ciId}`} data-testid={`baseline-item-link-${i.ciId}`}>
          {i.name}
        </Link>
      ),
    },
    { title: t('cmdbQuality.baselines.itemClass'), key: 'class', dataIndex: 'classKey' },
    { title: t('cmdbQuality.baselines.itemVersion'), key: 'version', render: (_v, i) => <Tag>v{i.ciVersion}</Tag> },
    {
      title: t('cmdbQuality.baselines.itemAttributes'),
      key: 'attributes',
      render: (_v, i) => {
        const attrs = i.snapshot.attributes;
        const list = attrs && typeof attrs === 'object' ? Object.entries(attrs as Record<string, unknown>) : [];
        return list.length ? (
          <Flex wrap gap={4}>
            {list.map(([k, v]) => (
              <Tag key={k} bordered={false}>
                {k}={valueText(v, none)}
              </Tag>
            ))}
          </Flex>
        ) : (
          none
        );
      },
    },
  ];
  return (
    <Card title={t('cmdbQuality.baselines.itemsTitle')} style={{ marginTop: 16 }}>
      <Table<CiBaselineItem>
        rowKey="ciId"
        size="small"
        loading={items.isFetching}
        columns={columns}
        dataSource={items.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: items.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        scroll={{ x: 'max-content' }}
        data-testid="baseline-items"
      />
    </Card>
  );
}

export function BaselineDetailPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const baselineQuery = useBaseline(id);
  const [params, setParams] = useSearchParams();
  const ciId = Number(params.get('ciId')) || undefined;
  const [kind, setKind] = useState<CiDriftKind | undefined>();
  const [page, setPage] = useState(1);
  const drift = useDrift(baselineQuery.data ? id : 0, { kind, ciId, page, pageSize: PAGE_SIZE });
  const remove = useDeleteBaseline(id);
  const [renaming, setRenaming] = useState(false);
  const baseline = baselineQuery.data;
  const none = t('common.none');

  if (baselineQuery.isPending && Number.isSafeInteger(id) && id > 0) return <Skeleton active />;
  if (!baseline) {
    const error = baselineQuery.error;
    const notFound = !error || (isApiError(error) && (error.status === 404 || error.status === 403));
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('cmdbQuality.baselines.notFound') : errorText(error)}
        data-testid="baseline-not-found"
        extra={
          <Link to="/cmdb/baselines">
            <Button>{t('common.back')}</Button>
          </Link>
        }
      />
    );
  }

  const fieldText = (f: string | null) => {
    if (f === null) return none;
    if (f.startsWith('attr.')) return t('cmdbQuality.baselines.attribute', { key: f.slice(5) });
    return isField(f) ? t(`cmdbQuality.baselines.fieldNames.${f}`) : f;
  };
  const columns: TableColumnsType<CiDrift> = [
    { title: t('cmdbQuality.baselines.kind'), key: 'kind', render: (_v, d) => <Tag color={KIND_COLOR[d.kind]}>{t(`cmdbQuality.baselines.kinds.${d.kind}`)}</Tag> },
    {
      title: t('cmdbQuality.baselines.ci'),
      key: 'ci',
      render: (_v, d) => (
        <Link to={`/cmdb/cis/${d.ciId}`} data-testid={`drift-ci-link-${d.ciId}`}>
          {d.ciName}
        </Link>
      ),
    },
    { title: t('cmdbQuality.baselines.field'), key: 'field', render: (_v, d) => fieldText(d.field) },
    { title: t('cmdbQuality.baselines.baselineValue'), key: 'baseline', render: (_v, d) => (d.kind === 'added' ? none : valueText(d.baseline, none)) },
    { title: t('cmdbQuality.baselines.currentValue'), key: 'current', render: (_v, d) => (d.kind === 'added' ? none : valueText(d.current, none)) },
    { title: t('cmdbQuality.baselines.versions'), key: 'versions', render: (_v, d) => `${d.baselineVersion === null ? none : `v${d.baselineVersion}`} → v${d.currentVersion}` },
  ];
  const s = drift.data?.summary;

  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Link to="/cmdb/baselines">
          <ArrowLeftOutlined /> {t('cmdbQuality.baselines.title')}
        </Link>
        <Flex wrap justify="space-between" align="center" gap={8}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="baseline-title">
            {baseline.name}
          </Typography.Title>
          <Flex wrap gap={8}>
            <Button icon={<EditOutlined />} onClick={() => setRenaming(true)} data-testid="baseline-rename">
              {t('cmdbQuality.baselines.rename')}
            </Button>
            <Popconfirm
              title={t('cmdbQuality.baselines.deleteConfirm')}
              okText={t('common.delete')}
              cancelText={t('common.cancel')}
              okButtonProps={testId('baseline-delete-ok', { danger: true })}
              onConfirm={() =>
                remove.mutateAsync().then(() => {
                  notifySuccess(t('cmdbQuality.baselines.deleted'));
                  void navigate('/cmdb/baselines');
                })
              }
            >
              <Button danger icon={<DeleteOutlined />} loading={remove.isPending} data-testid="baseline-delete">
                {t('common.delete')}
              </Button>
            </Popconfirm>
          </Flex>
        </Flex>
      </Flex>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('cmdbQuality.baselines.org')}>{baseline.orgName}</Descriptions.Item>
          <Descriptions.Item label={t('cmdbQuality.baselines.createdBy')}>{baseline.createdByName ?? t('common.system')}</Descriptions.Item>
          <Descriptions.Item label={t('cmdbQuality.baselines.createdAt')}>{formatDateTime(baseline.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('cmdbQuality.baselines.classes')}>{baseline.classKeys.length ? baseline.classKeys.join(t('common.listSeparator')) : none}</Descriptions.Item>
          <Descriptions.Item label={t('cmdbQuality.baselines.cis')}>{baseline.ciIds.length || none}</Descriptions.Item>
          <Descriptions.Item label={t('cmdbQuality.baselines.description')}>{baseline.description || none}</Descriptions.Item>
        </Descriptions>
        <Typography.Text type="secondary">{t('cmdbQuality.baselines.frozenHint')}</Typography.Text>
      </Card>
      <Card title={t('cmdbQuality.baselines.compare')} loading={drift.isPending}>
        {s && (
          <Row gutter={16} style={{ marginBottom: 16 }} data-testid="drift-summary">
            {(['items', 'unchanged', 'changed', 'retired', 'added', 'fieldChanges'] as const).map((k) => (
              <Col key={k} xs={12} md={4}>
                <Statistic title={t(`cmdbQuality.baselines.summary.${k}`)} value={s[k]} valueStyle={{ fontSize: 20 }} data-testid={`drift-summary-${k}`} />
              </Col>
            ))}
          </Row>
        )}
        {ciId && (
          <Tag closable onClose={() => setParams({})} style={{ marginInlineEnd: 8 }} data-testid="drift-ci-filter">
            {t('cmdbQuality.baselines.withCi', { id: ciId })}
          </Tag>
        )}
        <Select<CiDriftKind>
          allowClear
          placeholder={t('cmdbQuality.baselines.kindFilter')}
          value={kind}
          onChange={(v) => {
            setKind(v ?? undefined);
            setPage(1);
          }}
          options={KINDS.map((k) => ({ value: k, label: t(`cmdbQuality.baselines.kinds.${k}`) }))}
          style={{ minWidth: 160, marginBottom: 16 }}
          data-testid="drift-kind-filter"
        />
        <Table<CiDrift>
          rowKey={(d) => `${d.kind}-${d.ciId}-${d.field ?? ''}`}
          loading={drift.isFetching}
          columns={columns}
          dataSource={drift.data?.drifts.items ?? []}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: drift.data?.drifts.total ?? 0, showSizeChanger: false, onChange: setPage }}
          locale={{ emptyText: t('cmdbQuality.baselines.noDrift') }}
          onRow={(d) => testId(`drift-row-${d.ciId}-${d.field ?? d.kind}`, {})}
          scroll={{ x: 'max-content' }}
          data-testid="drift-table"
        />
      </Card>
      <BaselineItemsCard baselineId={baseline.id} />
      {renaming && <RenameModal baseline={baseline} onClose={() => setRenaming(false)} />}
    </>
  );
}
