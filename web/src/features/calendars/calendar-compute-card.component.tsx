import { useState } from 'react';
import { Button, Card, DatePicker, Descriptions, Form, InputNumber, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Calendar } from '@tianshu/contracts';
import { formatInZone, minutesAsHours, toZonedIso, wallClockToEpoch } from './calendar-time';
import type { CalendarComputeQuery } from './calendar-types';
import { useComputeBusinessTime } from './use-calendars.mutation';

const PICKER_FORMAT = 'YYYY-MM-DD HH:mm';

/** The picker shows a wall clock; it is read in the calendar's zone, not the browser's. */
function pickedToIso(value: Dayjs, timeZone: string): string {
  const epoch = wallClockToEpoch({ year: value.year(), month: value.month() + 1, day: value.date(), hour: value.hour(), minute: value.minute() }, timeZone);
  return toZonedIso(epoch, timeZone);
}

function nowInZone(timeZone: string): Dayjs {
  return dayjs(toZonedIso(Date.now(), timeZone).slice(0, 16));
}

export function CalendarComputeCard({ calendar }: { calendar: Calendar }) {
  const { t } = useTranslation();
  const compute = useComputeBusinessTime(calendar.id);
  const [from, setFrom] = useState<Dayjs | null>(() => nowInZone(calendar.timeZone));
  const [minutes, setMinutes] = useState<number | null>(240);
  const [to, setTo] = useState<Dayjs | null>(null);
  const zone = calendar.timeZone;
  const result = compute.data;

  const run = () => {
    if (!from) return;
    const query: CalendarComputeQuery = { from: pickedToIso(from, zone) };
    if (minutes !== null) query.minutes = minutes;
    if (to) query.to = pickedToIso(to, zone);
    compute.mutate(query);
  };

  return (
    <Card size="small" title={t('calendar.compute.title')}>
      <Typography.Paragraph type="secondary">{t('calendar.compute.zoneNote', { timeZone: zone })}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('calendar.compute.from')} required>
          <DatePicker showTime={{ format: 'HH:mm' }} format={PICKER_FORMAT} value={from} onChange={setFrom} style={{ width: '100%' }} data-testid="calendar-compute-from" />
        </Form.Item>
        <Form.Item label={t('calendar.compute.minutes')}>
          <InputNumber min={0} max={10_000_000} precision={0} value={minutes} onChange={setMinutes} style={{ width: '100%' }} data-testid="calendar-compute-minutes" />
        </Form.Item>
        <Form.Item label={t('calendar.compute.to')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format={PICKER_FORMAT} value={to} onChange={setTo} style={{ width: '100%' }} data-testid="calendar-compute-to" />
        </Form.Item>
        <Button type="primary" block disabled={!from} loading={compute.isPending} onClick={run} data-testid="calendar-compute">
          {t('calendar.compute.run')}
        </Button>
      </Form>
      {result && (
        <Descriptions column={1} size="small" bordered style={{ marginTop: 16 }} data-testid="calendar-compute-result">
          <Descriptions.Item label={t('calendar.compute.nextWorkingInstant')}>
            <span data-testid="calendar-compute-next">{formatInZone(result.nextWorkingInstant, zone)}</span>
          </Descriptions.Item>
          {result.due !== null && (
            <Descriptions.Item label={t('calendar.compute.due')}>
              <span data-testid="calendar-compute-due">{formatInZone(result.due, zone)}</span>
            </Descriptions.Item>
          )}
          {result.businessMinutes !== null && (
            <Descriptions.Item label={t('calendar.compute.businessMinutes')}>
              <span data-testid="calendar-compute-minutes-result">
                {t('calendar.compute.minutesValue', { minutes: result.businessMinutes, hours: minutesAsHours(result.businessMinutes) })}
              </span>
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
    </Card>
  );
}
