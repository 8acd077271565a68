import { Button, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { testId } from '../../shared/test-id';
import { formatInZone } from '../calendars/calendar-time';
import { useDurationText } from './service-presentation.component';
import type { Outage } from './service-types';

interface OutagesTableProps {
  outages: readonly Outage[];
  loading: boolean;
  timeZone: string;
  /** Show edit / delete (outage.manage). */
  canManage: boolean;
  onEdit: (outage: Outage) => void;
  onDelete: (outage: Outage) => void;
  /** On the incident page the service is the interesting column; on the service page the incident is. */
  show: 'service' | 'ticket';
}

export function ImpactTag({ outage }: { outage: Pick<Outage, 'impact' | 'weight'> }) {
  const { t } = useTranslation();
  return outage.impact === 'full' ? (
    <Tag color="red">{t('service.outages.full')}</Tag>
  ) : (
    <Tag color="orange">{t('service.outages.impactValue', { weight: outage.weight })}</Tag>
  );
}

/** Outages with their duration (wall clock), impact and link; edit and delete for outage managers. */
export function OutagesTable({ outages, loading, timeZone, canManage, onEdit, onDelete, show }: OutagesTableProps) {
  const { t } = useTranslation();
  const duration = useDurationText();
  const columns: TableColumnsType<Outage> = [
    { title: t('service.outages.startedAt'), key: 'startedAt', render: (_v, o) => formatInZone(o.startedAt, timeZone) },
    {
      title: t('service.outages.endedAt'),
      key: 'endedAt',
      render: (_v, o) => (o.endedAt ? formatInZone(o.endedAt, timeZone) : <Tag color="volcano">{t('service.outages.ongoing')}</Tag>),
    },
    {
      title: t('service.outages.duration'),
      key: 'duration',
      render: (_v, o) => duration(((o.endedAt ? Date.parse(o.endedAt) : Date.now()) - Date.parse(o.startedAt)) / 60_000),
    },
    { title: t('service.outages.impact'), key: 'impact', render: (_v, o) => <ImpactTag outage={o} /> },
    show === 'ticket'
      ? {
          title: t('service.outages.ticket'),
          key: 'ticket',
          render: (_v, o) => (o.ticketId && o.ticketNumber ? <Link to={`/incidents/${o.ticketId}`}>{o.ticketNumber}</Link> : t('common.none')),
        }
      : {
          title: t('service.incident.service'),
          key: 'service',
          render: (_v, o) => <Link to={`/services/${o.serviceId}`}>{o.serviceName}</Link>,
        },
    {
      title: t('service.outages.note'),
      key: 'note',
      render: (_v, o) => (o.note ? <Typography.Text ellipsis={{ tooltip: o.note }} style={{ maxWidth: 240 }}>{o.note}</Typography.Text> : t('common.none')),
    },
    { title: t('service.outages.createdBy'), key: 'createdBy', render: (_v, o) => o.createdByName ?? t('common.system') },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_v, o) => (
        <Space size={0}>
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => onEdit(o)} data-testid={`outage-edit-${o.id}`}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('service.outages.deleteConfirm')} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={() => onDelete(o)}>
            <Button type="link" danger size="small" icon={<DeleteOutlined />} data-testid={`outage-delete-${o.id}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }
  return (
    <Table<Outage>
      rowKey="id"
      size="small"
      loading={loading}
      columns={columns}
      dataSource={[...outages]}
      pagination={outages.length > 10 ? { pageSize: 10 } : false}
      locale={{ emptyText: t('service.outages.empty') }}
      onRow={(o) => testId(`outage-row-${o.id}`, {})}
      scroll={{ x: 'max-content' }}
    />
  );
}
