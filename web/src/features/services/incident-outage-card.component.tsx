import { useState } from 'react';
import { Button, Card, Typography } from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { OutageFormModal } from './outage-form-modal.component';
import { OutagesTable } from './outages-table.component';
import type { Outage } from './service-types';
import { useDeleteOutage } from './use-services.mutation';
import { useServices, useTicketOutages } from './use-services.query';

const DEFAULT_ZONE = 'Asia/Shanghai';

/**
 * For the incident page: the outages recorded against this incident, and (with outage.manage)
 * marking it as service-impacting: pick the service, start, end, full or partial with a weight.
 */
export function IncidentOutageCard({ ticketId, ticketService }: { ticketId: number; ticketService: string | null }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canRecord = can('outage.manage');
  const outages = useTicketOutages(ticketId);
  const services = useServices(canRecord && can('service.read'));
  const remove = useDeleteOutage();
  const [editing, setEditing] = useState<Outage | 'new' | null>(null);

  const zoneOf = (serviceId: number | undefined) => services.data?.find((s) => s.id === serviceId)?.timeZone ?? DEFAULT_ZONE;
  const named = ticketService?.trim() ? services.data?.find((s) => s.active && s.name === ticketService.trim()) : undefined;
  const list = outages.data ?? [];

  return (
    <Card
      size="small"
      title={t('service.incident.title')}
      data-testid="incident-outage-card"
      extra={
        canRecord && (
          <Button size="small" icon={<ThunderboltOutlined />} onClick={() => setEditing('new')} data-testid="incident-outage-new">
            {t('service.incident.mark')}
          </Button>
        )
      }
    >
      {ticketService && <Typography.Paragraph type="secondary">{t('service.incident.ticketService', { service: ticketService })}</Typography.Paragraph>}
      {list.length === 0 && !outages.isPending ? (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }} data-testid="incident-outage-empty">
          {canRecord ? t('service.incident.intro') : t('service.incident.empty')}
        </Typography.Paragraph>
      ) : (
        <OutagesTable
          outages={list}
          loading={outages.isPending}
          timeZone={zoneOf(list[0]?.serviceId)}
          canManage={canRecord}
          show="service"
          onEdit={(o) => setEditing(o)}
          onDelete={(o) => remove.mutate({ serviceId: o.serviceId, id: o.id }, { onSuccess: () => notifySuccess(t('service.outages.deleted')) })}
        />
      )}
      {editing !== null && (
        <OutageFormModal
          open
          outage={editing === 'new' ? undefined : editing}
          services={services.data ?? []}
          ticketId={ticketId}
          defaultServiceId={named?.id}
          timeZone={editing === 'new' ? zoneOf(named?.id) : zoneOf(editing.serviceId)}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            notifySuccess(t('service.outages.saved'));
          }}
        />
      )}
    </Card>
  );
}
