import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CalendarSummary } from '@tianshu/contracts';
import { notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { minutesAsHours } from './calendar-time';
import { CalendarFormModal } from './calendar-form-modal.component';
import { PresetTag } from './calendar-presentation.component';
import { useCalendars } from './use-calendars.query';

export function CalendarListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const calendars = useCalendars();
  const [creating, setCreating] = useState(false);

  const columns: TableColumnsType<CalendarSummary> = [
    {
      title: t('calendar.name'),
      key: 'name',
      render: (_value, calendar) => (
        <Link to={`/settings/calendars/${calendar.id}`} data-testid={`calendar-link-${calendar.id}`}>
          {calendar.name}
        </Link>
      ),
    },
    { title: t('calendar.timeZone'), dataIndex: 'timeZone', key: 'timeZone' },
    { title: t('calendar.preset'), key: 'preset', render: (_value, calendar) => <PresetTag preset={calendar.preset} /> },
    {
      title: t('calendar.weeklyHours'),
      key: 'weeklyMinutes',
      align: 'right',
      render: (_value, calendar) => t('calendar.hours', { hours: minutesAsHours(calendar.weeklyMinutes) }),
    },
    { title: t('common.updatedAt'), key: 'updatedAt', render: (_value, calendar) => formatDateTime(calendar.updatedAt) },
  ];

  return (
    <>
      <PageHeader
        title={t('calendar.title')}
        testId="page-title"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="calendar-new">
            {t('calendar.create')}
          </Button>
        }
      />
      <Card>
        <Typography.Paragraph type="secondary">{t('calendar.intro')}</Typography.Paragraph>
        <Table<CalendarSummary>
          rowKey="id"
          loading={calendars.isPending}
          columns={columns}
          dataSource={calendars.data ?? []}
          pagination={false}
          locale={{ emptyText: t('calendar.empty') }}
          onRow={(calendar) =>
            testId(`calendar-row-${calendar.id}`, { onClick: () => navigate(`/settings/calendars/${calendar.id}`), style: { cursor: 'pointer' } })
          }
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <CalendarFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(calendar) => {
          setCreating(false);
          notifySuccess(t('calendar.created'));
          navigate(`/settings/calendars/${calendar.id}`);
        }}
      />
    </>
  );
}
