import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { useAuth } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { testId } from '../../shared/test-id';
import { AssetFormModal } from './asset-form-modal.component';
import { AssetImportanceTag, AssetStatusTag, formatMoney } from './asset-presentation.component';
import { AssetTransitionModal } from './asset-transition-modal.component';
import { nextStatuses, type AssetEvent, type AssetStatus } from './asset-types';
import { useAsset, useAssetEvents } from './use-assets.query';
import { AssetRepairsCard } from '../vendors/asset-repairs-card.component';

/** The label of each field named in an 'updated' event's note (the server lists the changed fields). */
const FIELD_LABELS = {
  assetTag: 'asset.tag',
  name: 'asset.name',
  kind: 'asset.kind',
  orgId: 'asset.org',
  ciId: 'asset.ci',
  category: 'asset.category',
  model: 'asset.model',
  manufacturer: 'asset.manufacturer',
  serialNumber: 'asset.serialNumber',
  department: 'asset.department',
  userId: 'asset.user',
  location: 'asset.location',
  importance: 'asset.importance',
  purchaseDate: 'asset.purchaseDate',
  purchasePrice: 'asset.purchasePrice',
  warrantyEnd: 'asset.warrantyEnd',
  vendorId: 'asset.vendor',
  contractId: 'asset.contract',
  notes: 'asset.notes',
} as const;
const isField = (f: string): f is keyof typeof FIELD_LABELS => f in FIELD_LABELS;

const isStatus = (s: string | null): s is AssetStatus => s === 'in_stock' || s === 'in_use' || s === 'under_repair' || s === 'retired' || s === 'disposed';

export function AssetDetailPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const assetQuery = useAsset(id);
  const asset = assetQuery.data;
  const events = useAssetEvents(asset ? id : 0);
  const [editing, setEditing] = useState(false);
  const [moveTo, setMoveTo] = useState<AssetStatus | null>(null);

  if (assetQuery.isPending && Number.isSafeInteger(id) && id > 0) return <Skeleton active />;
  if (!asset) {
    const error = assetQuery.error;
    const notFound = !error || (isApiError(error) && (error.status === 404 || error.status === 403));
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('asset.notFound') : t('asset.loadFailed')}
        subTitle={!notFound && error ? errorText(error) : undefined}
        data-testid="asset-not-found"
        extra={
          <Link to="/assets">
            <Button>{t('asset.backToList')}</Button>
          </Link>
        }
      />
    );
  }

  const none = t('common.none');
  const canManage = can('asset.manage');
  const statusText = (s: string | null) => (isStatus(s) ? t(`asset.statusValues.${s}`) : (s ?? none));
  const eventColumns: TableColumnsType<AssetEvent> = [
    {
      title: t('asset.eventKind'),
      key: 'kind',
      render: (_v, e) =>
        e.kind === 'status' ? (
          <span>
            {statusText(e.fromStatus)} → {statusText(e.toStatus)}
          </span>
        ) : e.kind === 'created' || e.kind === 'updated' ? (
          t(`asset.eventKinds.${e.kind}`)
        ) : (
          e.kind
        ),
    },
    { title: t('asset.eventActor'), key: 'actor', render: (_v, e) => e.actorName ?? t('asset.system') },
    { title: t('asset.eventAt'), key: 'at', render: (_v, e) => formatDateTime(e.at) },
    { title: t('asset.eventTicket'), key: 'ticket', render: (_v, e) => (e.ticketId === null ? none : <Link to={`/incidents/${e.ticketId}`}>#{e.ticketId}</Link>) },
    {
      title: t('asset.eventNote'),
      key: 'note',
      render: (_v, e) =>
        e.kind === 'updated'
          ? e.note
              .split(', ')
              .map((f) => (isField(f) ? t(FIELD_LABELS[f]) : f))
              .join('、')
          : e.note || none,
    },
  ];

  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Link to="/assets">
          <ArrowLeftOutlined /> {t('asset.backToList')}
        </Link>
        <Flex wrap justify="space-between" align="center" gap={8}>
          <Flex wrap align="center" gap={8}>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="asset-title">
              {asset.name}
            </Typography.Title>
            <Tag data-testid="asset-tag-value">{asset.assetTag}</Tag>
            <AssetStatusTag status={asset.status} />
            <AssetImportanceTag importance={asset.importance} />
          </Flex>
          <Flex wrap gap={8}>
            <Button icon={<PrinterOutlined />} onClick={() => navigate(`/assets/labels?ids=${asset.id}`)} data-testid="asset-print-label">
              {t('asset.printLabels')}
            </Button>
            {canManage && asset.status !== 'disposed' && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="asset-edit">
                {t('common.edit')}
              </Button>
            )}
          </Flex>
        </Flex>
      </Flex>
      {canManage && nextStatuses(asset.status).length > 0 && (
        <Card size="small" title={t('asset.lifecycle')} style={{ marginBottom: 16 }} data-testid="asset-lifecycle">
          <Flex wrap gap={8}>
            {nextStatuses(asset.status).map((s) => (
              <Button key={s} danger={s === 'disposed'} onClick={() => setMoveTo(s)} data-testid={`asset-move-${s}`}>
                {t('asset.moveTo', { status: t(`asset.statusValues.${s}`) })}
              </Button>
            ))}
          </Flex>
        </Card>
      )}
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t('asset.basics')} style={{ marginBottom: 16 }} data-testid="asset-basics">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('asset.kind')}>{t(`asset.kindValues.${asset.kind}`)}</Descriptions.Item>
              <Descriptions.Item label={t('asset.org')}>{asset.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('asset.category')}>{asset.category || none}</Descriptions.Item>
              <Descriptions.Item label={t('asset.model')}>{asset.model || none}</Descriptions.Item>
              <Descriptions.Item label={t('asset.manufacturer')}>{asset.manufacturer || none}</Descriptions.Item>
              <Descriptions.Item label={t('asset.serialNumber')}>{asset.serialNumber ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('asset.ci')}>
                {asset.ciId === null ? (
                  none
                ) : (
                  <Link to={`/cmdb/cis/${asset.ciId}`} data-testid="asset-ci-link">
                    {asset.ciName ?? `#${asset.ciId}`}
                  </Link>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('asset.notes')}>{asset.notes || none}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('asset.usage')} style={{ marginBottom: 16 }} data-testid="asset-usage">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('asset.department')}>{asset.department || none}</Descriptions.Item>
              <Descriptions.Item label={t('asset.user')}>
                <span data-testid="asset-user-value">{asset.userName ?? none}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('asset.location')}>{asset.location || none}</Descriptions.Item>
              <Descriptions.Item label={t('asset.updatedAt')}>{formatDateTime(asset.updatedAt)}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t('asset.finance')} style={{ marginBottom: 16 }} data-testid="asset-finance">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('asset.purchaseDate')}>{asset.purchaseDate ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('asset.purchasePrice')}>
                <span data-testid="asset-price-value">{formatMoney(asset.purchasePrice, none)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('asset.warrantyEnd')}>{asset.warrantyEnd ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('asset.vendor')}>{asset.vendorName ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('asset.contract')}>{asset.contractNumber ?? none}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>
      {asset.wipeConfirmedAt !== null && (
        <Card title={t('asset.disposal')} style={{ marginBottom: 16 }} data-testid="asset-disposal">
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label={t('asset.wipeMethodLabel')}>
              <span data-testid="asset-wipe-method-value">
                {asset.wipeMethod === 'degauss' || asset.wipeMethod === 'shredding' || asset.wipeMethod === 'overwrite' || asset.wipeMethod === 'no_storage'
                  ? t(`asset.wipeMethods.${asset.wipeMethod}`)
                  : (asset.wipeMethod ?? none)}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('asset.wipeCertificate')}>{asset.wipeCertificate ?? none}</Descriptions.Item>
            <Descriptions.Item label={t('asset.wipeBy')}>{asset.wipeConfirmedByName ?? none}</Descriptions.Item>
            <Descriptions.Item label={t('asset.wipeAt')}>{formatDateTime(asset.wipeConfirmedAt)}</Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <AssetRepairsCard assetId={asset.id} />
      <Card title={t('asset.history')} style={{ marginBottom: 16 }} data-testid="asset-history">
        <Table<AssetEvent>
          rowKey="id"
          size="small"
          loading={events.isPending}
          columns={eventColumns}
          dataSource={events.data ?? []}
          pagination={false}
          onRow={(e) => testId(`asset-event-${e.id}`, {})}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      {editing && (
        <AssetFormModal
          open
          asset={asset}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            notifySuccess(t('asset.saved'));
          }}
        />
      )}
      {moveTo && (
        <AssetTransitionModal
          asset={asset}
          to={moveTo}
          onClose={() => setMoveTo(null)}
          onDone={() => {
            setMoveTo(null);
            notifySuccess(t('asset.transitioned'));
          }}
        />
      )}
    </>
  );
}
