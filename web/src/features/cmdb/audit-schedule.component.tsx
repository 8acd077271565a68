import { useEffect, useState } from 'react';
import dayjs from 'dayjs';
import { Alert, Button, Card, Descriptions, Flex, Form, Select, TimePicker, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CmdbAuditScheduleMode } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { useAuditSchedule, useSaveAuditSchedule } from './use-cmdb-quality.query';

const MODES: readonly CmdbAuditScheduleMode[] = ['off', 'daily', 'weekly'];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
type Weekday = (typeof WEEKDAYS)[number];

const asDayjs = (hhmm: string) => {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return dayjs().hour(h).minute(m).second(0).millisecond(0);
};

/** Off, daily at HH:MM or weekly on a day at HH:MM (Asia/Shanghai); editable by class managers. */
export function AuditScheduleCard({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const schedule = useAuditSchedule();
  const save = useSaveAuditSchedule();
  const [mode, setMode] = useState<CmdbAuditScheduleMode>('off');
  const [time, setTime] = useState('02:00');
  const [weekday, setWeekday] = useState<Weekday>(1);
  const s = schedule.data;

  useEffect(() => {
    if (!s) return;
    setMode(s.mode);
    setTime(s.time);
    const w = WEEKDAYS.find((d) => d === s.weekday);
    if (w) setWeekday(w);
  }, [s]);

  const submit = async () => {
    if (!s) return;
    await save.mutateAsync({ version: s.version, mode, time, weekday: mode === 'weekly' ? weekday : null });
    notifySuccess(t('cmdbQuality.audits.schedule.saved'));
  };

  return (
    <Card title={t('cmdbQuality.audits.schedule.title')} loading={schedule.isPending} style={{ marginBottom: 16 }}>
      {save.error && (
        <Alert
          type="error"
          showIcon
          title={isApiError(save.error, 'VERSION_CONFLICT') ? t('cmdb.versionConflict') : errorText(save.error)}
          style={{ marginBottom: 16 }}
          data-testid="audit-schedule-error"
        />
      )}
      <Form layout="vertical" component="div">
        <Flex wrap gap={16}>
          <Form.Item label={t('cmdbQuality.audits.schedule.mode')}>
            <Select<CmdbAuditScheduleMode>
              value={mode}
              disabled={!canManage}
              onChange={setMode}
              options={MODES.map((m) => ({ value: m, label: t(`cmdbQuality.audits.schedule.modes.${m}`) }))}
              style={{ minWidth: 120 }}
              data-testid="audit-schedule-mode"
              optionRender={(option) => <span data-testid={`audit-schedule-mode-option-${String(option.value)}`}>{option.label}</span>}
            />
          </Form.Item>
          {mode === 'weekly' && (
            <Form.Item label={t('cmdbQuality.audits.schedule.weekday')}>
              <Select<Weekday>
                value={weekday}
                disabled={!canManage}
                onChange={setWeekday}
                options={WEEKDAYS.map((d) => ({ value: d, label: t(`cmdbQuality.audits.schedule.weekdays.d${d}`) }))}
                style={{ minWidth: 120 }}
                data-testid="audit-schedule-weekday"
              />
            </Form.Item>
          )}
          {mode !== 'off' && (
            <Form.Item label={t('cmdbQuality.audits.schedule.time')}>
              <TimePicker
                format="HH:mm"
                minuteStep={5}
                allowClear={false}
                needConfirm={false}
                disabled={!canManage}
                value={asDayjs(time)}
                onChange={(d) => d && setTime(d.format('HH:mm'))}
                data-testid="audit-schedule-time"
              />
            </Form.Item>
          )}
          {canManage && (
            <Form.Item label=" ">
              <Button type="primary" loading={save.isPending} onClick={() => void submit().catch(() => undefined)} data-testid="audit-schedule-save">
                {t('common.save')}
              </Button>
            </Form.Item>
          )}
        </Flex>
      </Form>
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('cmdbQuality.audits.schedule.nextRunAt')}>
          <span data-testid="audit-schedule-next">{s?.nextRunAt ? formatDateTime(s.nextRunAt) : t('common.none')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('cmdbQuality.audits.schedule.lastRunAt')}>{s?.lastRunAt ? formatDateTime(s.lastRunAt) : t('common.none')}</Descriptions.Item>
      </Descriptions>
      <Typography.Text type="secondary">{t('cmdbQuality.audits.schedule.timeZoneHint')}</Typography.Text>
    </Card>
  );
}
