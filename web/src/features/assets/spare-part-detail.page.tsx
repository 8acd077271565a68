import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Result, Row, Skeleton, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, EditOutlined, ExperimentOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { useAuth } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { testId } from '../../shared/test-id';
import type { SparePartMovement, SparePartStock, SparePartTest } from './asset-types';
import { SparePartFormModal } from './spare-part-form-modal.component';
import { SparePartMovementModal } from './spare-part-movement-modal.component';
import { SparePartTestModal } from './spare-part-test-modal.component';
import { useSparePart, useSparePartMovements, useSparePartTests } from './use-assets.query';

export function SparePartDetailPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const id = Number(useParams().id);
  const partQuery = useSparePart(id);
  const part = partQuery.data;
  const movements = useSparePartMovements(part ? id : 0);
  const tests = useSparePartTests(part ? id : 0);
  const [editing, setEditing] = useState(false);
  const [moving, setMoving] = useState(false);
  const [testing, setTesting] = useState(false);

  if (partQuery.isPending && Number.isSafeInteger(id) && id > 0) return <Skeleton active />;
  if (!part) {
    const error = partQuery.error;
    const notFound = !error || (isApiError(error) && (error.status === 404 || error.status === 403));
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('asset.spare.notFound') : t('asset.loadFailed')}
        subTitle={!notFound && error ? errorText(error) : undefined}
        data-testid="spare-not-found"
        extra={
          <Link to="/spare-parts">
            <Button>{t('asset.spare.backToList')}</Button>
          </Link>
        }
      />
    );
  }

  const none = t('common.none');
  const canManage = can('asset.manage');
  const stockColumns: TableColumnsType<SparePartStock> = [
    { title: t('asset.spare.location'), key: 'location', dataIndex: 'location' },
    { title: t('asset.spare.quantity'), key: 'quantity', render: (_v, s) => <span data-testid={`spare-stock-${s.location}`}>{`${s.quantity} ${part.unit}`}</span> },
    { title: t('common.updatedAt'), key: 'updatedAt', render: (_v, s) => formatDateTime(s.updatedAt) },
  ];
  const movementColumns: TableColumnsType<SparePartMovement> = [
    { title: t('asset.spare.at'), key: 'at', render: (_v, m) => formatDateTime(m.at) },
    { title: t('asset.spare.kind'), key: 'kind', render: (_v, m) => <Tag>{t(`asset.spare.kinds.${m.kind}`)}</Tag> },
    { title: t('asset.spare.quantity'), key: 'quantity', render: (_v, m) => `${m.quantity} ${part.unit}` },
    { title: t('asset.spare.fromLocation'), key: 'from', render: (_v, m) => m.fromLocation ?? none },
    { title: t('asset.spare.toLocation'), key: 'to', render: (_v, m) => m.toLocation ?? none },
    { title: t('asset.spare.reason'), key: 'reason', render: (_v, m) => m.reason || none },
    { title: t('asset.eventTicket'), key: 'ticket', render: (_v, m) => (m.ticketId === null ? none : <Link to={`/incidents/${m.ticketId}`}>#{m.ticketId}</Link>) },
    { title: t('asset.spare.actor'), key: 'actor', render: (_v, m) => m.actorName ?? t('asset.system') },
  ];
  const testColumns: TableColumnsType<SparePartTest> = [
    { title: t('asset.spare.testedAt'), key: 'testedAt', dataIndex: 'testedAt' },
    { title: t('asset.spare.result'), key: 'result', render: (_v, x) => <Tag color={x.result === 'pass' ? 'green' : 'red'}>{t(`asset.spare.results.${x.result}`)}</Tag> },
    { title: t('asset.spare.nextDue'), key: 'nextDue', render: (_v, x) => x.nextDue ?? none },
    { title: t('asset.spare.testedBy'), key: 'testedBy', render: (_v, x) => x.testedByName ?? none },
    { title: t('asset.spare.testNote'), key: 'note', render: (_v, x) => x.note || none },
  ];

  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Link to="/spare-parts">
          <ArrowLeftOutlined /> {t('asset.spare.backToList')}
        </Link>
        <Flex wrap justify="space-between" align="center" gap={8}>
          <Flex wrap align="center" gap={8}>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="spare-title">
              {part.name}
            </Typography.Title>
            <Tag>{part.partNumber}</Tag>
            {part.testOverdue && <Tag color="orange">{t('asset.spare.testOverdue')}</Tag>}
          </Flex>
          {canManage && (
            <Flex wrap gap={8}>
              <Button type="primary" icon={<SwapOutlined />} onClick={() => setMoving(true)} data-testid="spare-movement-new">
                {t('asset.spare.movement')}
              </Button>
              <Button icon={<ExperimentOutlined />} onClick={() => setTesting(true)} data-testid="spare-test-new">
                {t('asset.spare.testAdd')}
              </Button>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="spare-edit">
                {t('common.edit')}
              </Button>
            </Flex>
          )}
        </Flex>
      </Flex>
      {part.belowMinimum && (
        <Alert
          type="warning"
          showIcon
          title={t('asset.spare.lowStockWarning', { total: part.totalQuantity, min: part.minStock, unit: part.unit })}
          style={{ marginBottom: 16 }}
          data-testid="spare-low-stock"
        />
      )}
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card style={{ marginBottom: 16 }} data-testid="spare-info">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('asset.spare.total')}>
                <span data-testid="spare-total">{`${part.totalQuantity} ${part.unit}`}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('asset.spare.minStock')}>{`${part.minStock} ${part.unit}`}</Descriptions.Item>
              <Descriptions.Item label={t('asset.spare.category')}>{part.category || none}</Descriptions.Item>
              <Descriptions.Item label={t('asset.spare.model')}>{part.model || none}</Descriptions.Item>
              <Descriptions.Item label={t('asset.spare.org')}>{part.orgName ?? t('asset.spare.shared')}</Descriptions.Item>
              <Descriptions.Item label={t('asset.spare.nextTestDue')}>{part.nextTestDue ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('asset.spare.notes')}>{part.notes || none}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('asset.spare.stock')} style={{ marginBottom: 16 }} data-testid="spare-stock">
            {part.stock.length === 0 ? (
              <Empty description={t('asset.spare.noStock')} />
            ) : (
              <Table<SparePartStock> rowKey="location" size="small" columns={stockColumns} dataSource={part.stock} pagination={false} />
            )}
          </Card>
        </Col>
      </Row>
      <Card title={t('asset.spare.movements')} style={{ marginBottom: 16 }} data-testid="spare-movements">
        <Table<SparePartMovement>
          rowKey="id"
          size="small"
          loading={movements.isPending}
          columns={movementColumns}
          dataSource={movements.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          onRow={(m) => testId(`spare-movement-${m.id}`, {})}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <Card title={t('asset.spare.tests')} style={{ marginBottom: 16 }} data-testid="spare-tests">
        <Table<SparePartTest>
          rowKey="id"
          size="small"
          loading={tests.isPending}
          columns={testColumns}
          dataSource={tests.data ?? []}
          pagination={false}
          locale={{ emptyText: t('asset.spare.noTests') }}
          onRow={(x) => testId(`spare-test-${x.id}`, {})}
        />
      </Card>
      {editing && (
        <SparePartFormModal
          part={part}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            notifySuccess(t('asset.spare.saved'));
          }}
        />
      )}
      {moving && (
        <SparePartMovementModal
          part={part}
          onClose={() => setMoving(false)}
          onDone={() => {
            setMoving(false);
            notifySuccess(t('asset.spare.movementSaved'));
          }}
        />
      )}
      {testing && (
        <SparePartTestModal
          partId={part.id}
          onClose={() => setTesting(false)}
          onDone={() => {
            setTesting(false);
            notifySuccess(t('asset.spare.testSaved'));
          }}
        />
      )}
    </>
  );
}
