import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Progress, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { budgetLevel, formatPct, progressPercent } from './service-format';
import { ServiceFormModal } from './service-form-modal.component';
import { ServiceStatusTag, TargetText, useDurationText } from './service-presentation.component';
import type { ServiceSummary } from './service-types';
import { useServices } from './use-services.query';

export function ServiceListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const services = useServices();
  const duration = useDurationText();
  const [creating, setCreating] = useState(false);

  const columns: TableColumnsType<ServiceSummary> = [
    {
      title: t('service.name'),
      key: 'name',
      render: (_v, s) => (
        <Link to={`/services/${s.id}`} data-testid={`service-link-${s.id}`} onClick={(e) => e.stopPropagation()}>
          {s.name}
        </Link>
      ),
    },
    { title: t('service.target'), key: 'target', render: (_v, s) => <TargetText service={s} /> },
    { title: t('service.org'), key: 'org', render: (_v, s) => s.orgName ?? t('service.orgNone') },
    {
      title: t('service.monthAvailability'),
      key: 'availability',
      align: 'right',
      render: (_v, s) => <span data-testid={`service-month-pct-${s.id}`}>{s.month.availabilityPct === null ? t('common.none') : `${formatPct(s.month.availabilityPct, 3)}%`}</span>,
    },
    {
      title: t('service.monthBudgetLeft'),
      key: 'left',
      render: (_v, s) => {
        const level = budgetLevel(s.month.usedPct);
        return (
          <div style={{ minWidth: 180 }} data-testid={`service-month-left-${s.id}`}>
            {s.month.leftMinutes < 0 ? (
              <Typography.Text type="danger">{t('service.overspent', { duration: duration(s.month.leftMinutes) })}</Typography.Text>
            ) : (
              duration(s.month.leftMinutes)
            )}
            <Progress percent={progressPercent(s.month.usedPct)} size="small" showInfo={false} status={level === 'exhausted' ? 'exception' : 'normal'} />
          </div>
        );
      },
    },
    { title: t('common.status'), key: 'active', render: (_v, s) => <ServiceStatusTag active={s.active} /> },
  ];

  return (
    <>
      <PageHeader
        title={t('service.title')}
        testId="page-title"
        extra={
          can('service.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="service-new">
              {t('service.create')}
            </Button>
          )
        }
      />
      <Card>
        <Typography.Paragraph type="secondary">{t('service.intro')}</Typography.Paragraph>
        <Table<ServiceSummary>
          rowKey="id"
          loading={services.isPending}
          columns={columns}
          dataSource={services.data ?? []}
          pagination={false}
          locale={{ emptyText: t('service.empty') }}
          onRow={(s) => testId(`service-row-${s.id}`, { onClick: () => navigate(`/services/${s.id}`), style: { cursor: 'pointer' } })}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      {creating && (
        <ServiceFormModal
          open
          onClose={() => setCreating(false)}
          onSaved={(service) => {
            setCreating(false);
            notifySuccess(t('service.created'));
            navigate(`/services/${service.id}`);
          }}
        />
      )}
    </>
  );
}
