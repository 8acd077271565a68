import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Card, Flex, Popconfirm, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { useAuth } from '../../app/auth-context';
import { errorText, notifySuccess } from '../../app/notifier';
import { useIsMobile } from '../../shared/use-is-mobile';
import { AvailabilityCards } from './availability-cards.component';
import { MaintenanceWindowsCard } from './maintenance-windows-card.component';
import { OutageFormModal } from './outage-form-modal.component';
import { OutagesTable } from './outages-table.component';
import { ServiceFormModal } from './service-form-modal.component';
import { ServiceStatusTag, TargetText } from './service-presentation.component';
import type { Outage } from './service-types';
import { useDeleteOutage, useRetireService } from './use-services.mutation';
import { useOutages, useService, useServiceAvailability } from './use-services.query';

export function ServiceDetailPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const isMobile = useIsMobile();
  const id = Number(useParams().id);
  const serviceQuery = useService(id);
  const service = serviceQuery.data;
  const availability = useServiceAvailability(id, service !== undefined);
  const outages = useOutages(id, service !== undefined);
  const retire = useRetireService(id);
  const deleteOutage = useDeleteOutage();
  const [editingService, setEditingService] = useState(false);
  const [editingOutage, setEditingOutage] = useState<Outage | 'new' | null>(null);

  if (serviceQuery.isPending && Number.isSafeInteger(id) && id > 0) return <Skeleton active />;
  if (!service) {
    const error = serviceQuery.error;
    const notFound = !error || (isApiError(error) && (error.status === 404 || error.status === 403));
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('service.notFound') : t('common.loadFailed')}
        subTitle={!notFound && error ? errorText(error) : undefined}
        data-testid="service-not-found"
        extra={
          <Link to="/services">
            <Button>{t('service.backToList')}</Button>
          </Link>
        }
      />
    );
  }

  const canManage = can('service.manage');
  const canRecord = can('outage.manage');
  const zone = service.timeZone;

  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Space wrap size={8}>
          <Link to="/services" aria-label={t('service.backToList')}>
            <ArrowLeftOutlined />
          </Link>
          <ServiceStatusTag active={service.active} />
          <Tag data-testid="service-target">
            <TargetText service={service} />
          </Tag>
          <Tag>{service.calendarName}</Tag>
          <Tag>{service.orgName ?? t('service.orgNone')}</Tag>
        </Space>
        <Flex wrap justify="space-between" align="center" gap={8}>
          <Typography.Title level={isMobile ? 4 : 3} style={{ margin: 0 }} data-testid="service-detail-title">
            {service.name}
          </Typography.Title>
          {canManage && (
            <Space wrap>
              <Button icon={<EditOutlined />} onClick={() => setEditingService(true)} data-testid="service-edit">
                {t('common.edit')}
              </Button>
              {service.active && (
                <Popconfirm
                  title={t('service.retireConfirm')}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => retire.mutate(undefined, { onSuccess: () => notifySuccess(t('service.retiredDone')) })}
                >
                  <Button danger icon={<StopOutlined />} data-testid="service-retire">
                    {t('service.retire')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          )}
        </Flex>
        {service.description && <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{service.description}</Typography.Paragraph>}
      </Flex>

      <Flex vertical gap={16}>
        <AvailabilityCards availability={availability.data} loading={availability.isPending} error={availability.error ? errorText(availability.error) : null} />
        <Card
          size="small"
          title={t('service.outages.title')}
          data-testid="outages-card"
          extra={
            canRecord && (
              <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setEditingOutage('new')} data-testid="outage-new">
                {t('service.outages.add')}
              </Button>
            )
          }
        >
          <OutagesTable
            outages={outages.data ?? []}
            loading={outages.isPending}
            timeZone={zone}
            canManage={canRecord}
            show="ticket"
            onEdit={(o) => setEditingOutage(o)}
            onDelete={(o) => deleteOutage.mutate({ serviceId: o.serviceId, id: o.id }, { onSuccess: () => notifySuccess(t('service.outages.deleted')) })}
          />
        </Card>
        <MaintenanceWindowsCard serviceId={service.id} timeZone={zone} canManage={canManage} />
      </Flex>

      {editingService && (
        <ServiceFormModal
          open
          service={service}
          onClose={() => setEditingService(false)}
          onSaved={() => {
            setEditingService(false);
            notifySuccess(t('service.saved'));
          }}
        />
      )}
      {editingOutage !== null && (
        <OutageFormModal
          open
          outage={editingOutage === 'new' ? undefined : editingOutage}
          serviceId={service.id}
          timeZone={zone}
          onClose={() => setEditingOutage(null)}
          onSaved={() => {
            setEditingOutage(null);
            notifySuccess(t('service.outages.saved'));
          }}
        />
      )}
    </>
  );
}
