import { useMemo, useState } from 'react';
import { Button, Calendar as MonthCalendar, Card, DatePicker, Flex, Input, Popconfirm, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Calendar, CalendarDay } from '@tianshu/contracts';
import { notifySuccess } from '../../app/notifier';
import { DayKindTag, DaySourceText } from './calendar-presentation.component';
import type { CalendarDayKind, SetCalendarDaysRequest } from './calendar-types';
import { useSetCalendarDays } from './use-calendars.mutation';

const DATE_FORMAT = 'YYYY-MM-DD';
const KINDS: readonly CalendarDayKind[] = ['holiday', 'workday'];

/** Holidays (休) and make-up workdays (班): a month view to look at, a table per year to edit. */
export function CalendarDaysCard({ calendar }: { calendar: Calendar }) {
  const { t } = useTranslation();
  const setDays = useSetCalendarDays(calendar.id);
  const [panel, setPanel] = useState<Dayjs>(() => dayjs());
  const [date, setDate] = useState<Dayjs | null>(null);
  const [kind, setKind] = useState<CalendarDayKind>('holiday');
  const [name, setName] = useState('');

  const byDate = useMemo(() => new Map(calendar.days.map((day) => [day.date, day])), [calendar.days]);
  const year = panel.year();
  const yearDays = useMemo(
    () => calendar.days.filter((day) => day.date.startsWith(`${year}-`)).sort((a, b) => a.date.localeCompare(b.date)),
    [calendar.days, year],
  );

  const send = (request: SetCalendarDaysRequest, onDone?: () => void) =>
    setDays.mutate(request, {
      onSuccess: () => {
        notifySuccess(t('calendar.days.saved'));
        onDone?.();
      },
    });

  const add = () => {
    if (!date) return;
    send({ upsert: [{ date: date.format(DATE_FORMAT), kind, name: name.trim() }], remove: [] }, () => {
      setPanel(date);
      setDate(null);
      setName('');
    });
  };

  const columns: TableColumnsType<CalendarDay> = [
    { title: t('calendar.days.date'), dataIndex: 'date', key: 'date', render: (value: string) => `${value} ${dayjs(value).format('ddd')}` },
    { title: t('calendar.days.kind'), key: 'kind', render: (_value, day) => <DayKindTag kind={day.kind} /> },
    { title: t('calendar.days.name'), dataIndex: 'name', key: 'name', render: (value: string) => value || t('common.none') },
    { title: t('calendar.days.source'), key: 'source', render: (_value, day) => <DaySourceText source={day.source} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_value, day) => (
        <Popconfirm
          title={t('calendar.days.removeConfirm', { date: day.date })}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          onConfirm={() => send({ upsert: [], remove: [day.date] })}
        >
          <Button type="link" danger size="small" icon={<DeleteOutlined />} data-testid={`calendar-day-remove-${day.date}`}>
            {t('calendar.days.remove')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <Card size="small" title={t('calendar.days.title')}>
      <MonthCalendar
        value={panel}
        onPanelChange={(value) => setPanel(value)}
        onSelect={(value, info) => {
          setPanel(value);
          if (info.source !== 'date') return;
          setDate(value);
          const existing = byDate.get(value.format(DATE_FORMAT));
          if (existing) {
            setKind(existing.kind);
            setName(existing.name);
          }
        }}
        cellRender={(value, info) => {
          if (info.type !== 'date') return null;
          const day = byDate.get(value.format(DATE_FORMAT));
          if (!day) return null;
          return (
            <Flex vertical gap={2} align="flex-start">
              <DayKindTag kind={day.kind} testId={`calendar-cell-${day.date}`} />
              {day.name && (
                <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: '100%' }}>
                  {day.name}
                </Typography.Text>
              )}
            </Flex>
          );
        }}
        data-testid="calendar-month"
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('calendar.days.selectHint')}
      </Typography.Paragraph>
      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <DatePicker
          value={date}
          onChange={(value) => setDate(value)}
          placeholder={t('calendar.days.date')}
          data-testid="calendar-day-date"
        />
        <Select<CalendarDayKind>
          value={kind}
          onChange={setKind}
          options={KINDS.map((value) => ({ value, label: <DayKindTag kind={value} long /> }))}
          style={{ width: 170 }}
          aria-label={t('calendar.days.kind')}
          data-testid="calendar-day-kind"
        />
        <Input
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={100}
          placeholder={t('calendar.days.namePlaceholder')}
          aria-label={t('calendar.days.name')}
          style={{ width: 200 }}
          data-testid="calendar-day-name"
        />
        <Button type="primary" icon={<PlusOutlined />} disabled={!date} loading={setDays.isPending} onClick={add} data-testid="calendar-day-add">
          {t('calendar.days.add')}
        </Button>
      </Flex>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('calendar.days.year', { year })}
      </Typography.Title>
      <Table<CalendarDay>
        rowKey="date"
        size="small"
        columns={columns}
        dataSource={yearDays}
        // A year of statutory days is about 35 rows: one page, so a new day is never out of sight.
        pagination={{ pageSize: 100, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: t('calendar.days.empty') }}
        scroll={{ x: 'max-content' }}
        data-testid="calendar-days-table"
      />
    </Card>
  );
}
