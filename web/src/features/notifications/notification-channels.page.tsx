import { useState } from 'react';
import { Button, Card, Flex, Popconfirm, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { NotificationChannel, NotificationDelivery } from '@tianshu/contracts';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { ChannelFormModal } from './channel-form-modal.component';
import { DELIVERY_STATUSES, type DeliveryStatus, deliveryStatusColor, eventLabel, kindLabel } from './notification-types';
import { useDeleteChannel, useTestChannel } from './use-notifications.mutation';
import { useNotificationChannels, useNotificationDeliveries } from './use-notifications.query';

type TestOutcome = { ok: boolean; text: string };

function ChannelsTab() {
  const { t } = useTranslation();
  const channels = useNotificationChannels();
  const remove = useDeleteChannel();
  const test = useTestChannel();
  const [editing, setEditing] = useState<NotificationChannel | null | undefined>(undefined);
  const [outcomes, setOutcomes] = useState<Record<number, TestOutcome>>({});
  const [testing, setTesting] = useState<number | null>(null);

  const runTest = async (channel: NotificationChannel) => {
    setTesting(channel.id);
    try {
      const r = await test.mutateAsync(channel.id);
      setOutcomes((o) => ({ ...o, [channel.id]: { ok: true, text: t('notification.channels.testOk', { status: r.status, ms: r.durationMs }) } }));
    } catch (error) {
      setOutcomes((o) => ({ ...o, [channel.id]: { ok: false, text: errorText(error) } }));
    } finally {
      setTesting(null);
    }
  };

  const columns: TableColumnsType<NotificationChannel> = [
    {
      title: t('notification.channels.name'),
      key: 'name',
      render: (_v, c) => (
        <Typography.Link onClick={() => setEditing(c)} data-testid={`channel-edit-${c.id}`}>
          {c.name}
        </Typography.Link>
      ),
    },
    { title: t('notification.channels.kind'), key: 'kind', render: (_v, c) => <Tag>{kindLabel(t, c.kind)}</Tag> },
    {
      title: t('notification.channels.url'),
      key: 'url',
      render: (_v, c) => (
        <Typography.Text ellipsis={{ tooltip: c.url }} style={{ maxWidth: 280 }} code>
          {c.url}
        </Typography.Text>
      ),
    },
    { title: t('notification.channels.secret'), key: 'secret', render: (_v, c) => (c.hasSecret ? t('notification.channels.secretSet') : t('notification.channels.secretNone')) },
    {
      title: t('notification.channels.events'),
      key: 'events',
      render: (_v, c) =>
        c.events.length === 0 ? (
          t('notification.channels.eventsAll')
        ) : (
          <Flex wrap gap={4}>
            {c.events.map((e) => (
              <Tag key={e}>{eventLabel(t, e)}</Tag>
            ))}
          </Flex>
        ),
    },
    { title: t('notification.channels.org'), key: 'org', render: (_v, c) => c.orgName ?? t('notification.channels.orgAll') },
    {
      title: t('common.status'),
      key: 'enabled',
      render: (_v, c) => <Tag color={c.enabled ? 'green' : 'default'}>{c.enabled ? t('notification.channels.on') : t('notification.channels.off')}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_v, c) => (
        <Flex vertical gap={4}>
          <Space wrap>
            <Button size="small" loading={testing === c.id} onClick={() => void runTest(c)} data-testid={`channel-test-${c.id}`}>
              {t('notification.channels.test')}
            </Button>
            <Button size="small" onClick={() => setEditing(c)}>
              {t('common.edit')}
            </Button>
            <Popconfirm
              title={t('notification.channels.deleteConfirm')}
              okText={t('common.delete')}
              cancelText={t('common.cancel')}
              okButtonProps={testId('modal-ok', { danger: true })}
              onConfirm={() => remove.mutateAsync(c.id).then(() => notifySuccess(t('notification.channels.deleted')))}
            >
              <Button size="small" danger data-testid={`channel-delete-${c.id}`}>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          </Space>
          {outcomes[c.id] && (
            <Typography.Text type={outcomes[c.id]?.ok ? 'success' : 'danger'} style={{ fontSize: 12, maxWidth: 320 }} data-testid={`channel-test-result-${c.id}`}>
              {outcomes[c.id]?.text}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary" style={{ flex: 1, minWidth: 240 }}>
          {t('notification.channels.intro')}
        </Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="channel-new">
          {t('notification.channels.create')}
        </Button>
      </Flex>
      <Table<NotificationChannel>
        rowKey="id"
        loading={channels.isPending}
        columns={columns}
        dataSource={channels.data ?? []}
        pagination={false}
        locale={{ emptyText: t('notification.channels.empty') }}
        onRow={(c) => testId(`channel-row-${c.id}`, {})}
        scroll={{ x: 'max-content' }}
      />
      <ChannelFormModal
        open={editing !== undefined}
        channel={editing ?? null}
        onClose={() => setEditing(undefined)}
        onSaved={(_c, created) => {
          setEditing(undefined);
          notifySuccess(created ? t('notification.channels.created') : t('notification.channels.updated'));
        }}
      />
    </>
  );
}

function DeliveriesTab() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<DeliveryStatus | undefined>(undefined);
  const log = useNotificationDeliveries(status);
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: TableColumnsType<NotificationDelivery> = [
    { title: t('notification.deliveries.createdAt'), key: 'createdAt', render: (_v, d) => formatDateTime(d.createdAt) },
    { title: t('notification.deliveries.event'), key: 'event', render: (_v, d) => eventLabel(t, d.event) },
    {
      title: t('notification.deliveries.channel'),
      key: 'channel',
      render: (_v, d) => (
        <Space size={4}>
          <Tag>{kindLabel(t, d.channel)}</Tag>
          {d.channelName ?? d.userName ?? ''}
        </Space>
      ),
    },
    {
      title: t('notification.deliveries.target'),
      key: 'target',
      render: (_v, d) => (
        <Typography.Text ellipsis={{ tooltip: d.target }} style={{ maxWidth: 240 }}>
          {d.target}
        </Typography.Text>
      ),
    },
    {
      title: t('notification.deliveries.status'),
      key: 'status',
      render: (_v, d) => (
        <Tag color={deliveryStatusColor(d.status)} data-testid={`delivery-status-${d.id}`}>
          {t(`notification.deliveries.statuses.${d.status}`)}
        </Tag>
      ),
    },
    { title: t('notification.deliveries.attempts'), dataIndex: 'attempts', key: 'attempts', align: 'right' },
    {
      title: t('notification.deliveries.nextAttemptAt'),
      key: 'next',
      render: (_v, d) => (d.status === 'pending' ? formatDateTime(d.nextAttemptAt) : t('common.none')),
    },
    { title: t('notification.deliveries.sentAt'), key: 'sentAt', render: (_v, d) => (d.sentAt ? formatDateTime(d.sentAt) : t('common.none')) },
    {
      title: t('notification.deliveries.lastError'),
      key: 'lastError',
      render: (_v, d) =>
        d.lastError ? (
          <Tooltip title={d.lastError}>
            <Typography.Text type="danger" ellipsis style={{ maxWidth: 260 }}>
              {d.lastError}
            </Typography.Text>
          </Tooltip>
        ) : (
          t('common.none')
        ),
    },
  ];

  return (
    <>
      <Select<DeliveryStatus | 'all'>
        value={status ?? 'all'}
        onChange={(v) => setStatus(v === 'all' ? undefined : v)}
        options={[
          { value: 'all', label: t('notification.deliveries.statusAll') },
          ...DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`notification.deliveries.statuses.${s}`) })),
        ]}
        style={{ width: 180, marginBottom: 16 }}
        aria-label={t('notification.deliveries.status')}
        data-testid="delivery-status-filter"
      />
      <Table<NotificationDelivery>
        rowKey="id"
        loading={log.isPending}
        columns={columns}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('notification.deliveries.empty') }}
        onRow={(d) => testId(`delivery-row-${d.id}`, {})}
        scroll={{ x: 'max-content' }}
        size="small"
      />
      {log.hasNextPage && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
            {t('notification.deliveries.loadMore')}
          </Button>
        </Flex>
      )}
    </>
  );
}

/** Admin: outgoing channels (webhooks and group robots) and the delivery log. */
export function NotificationChannelsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('notification.channels.title')} testId="page-title" />
      <Card>
        <Tabs
          destroyOnHidden
          items={[
            { key: 'channels', label: <span data-testid="tab-channels">{t('notification.channels.tabChannels')}</span>, children: <ChannelsTab /> },
            { key: 'deliveries', label: <span data-testid="tab-deliveries">{t('notification.channels.tabDeliveries')}</span>, children: <DeliveriesTab /> },
          ]}
        />
      </Card>
    </>
  );
}
