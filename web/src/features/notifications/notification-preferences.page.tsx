import { useEffect, useState } from 'react';
import { Alert, Button, Card, Flex, Form, Spin, Switch, Table, TimePicker, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { NotificationEventName, NotificationPreferences, QuietHours } from '@tianshu/contracts';
import { errorText, notifySuccess } from '../../app/notifier';
import { PageHeader } from '../../shared/page-header.component';
import { TimeZoneSelect } from '../calendars/time-zone-select.component';
import { NOTIFICATION_EVENT_NAMES, eventLabel } from './notification-types';
import { useSavePreferences } from './use-notifications.mutation';
import { useNotificationPreferences } from './use-notifications.query';

const asDayjs = (hhmm: string): Dayjs => {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return dayjs().hour(h).minute(m).second(0).millisecond(0);
};

function QuietHoursEditor({ value, onChange }: { value: QuietHours; onChange: (next: QuietHours) => void }) {
  const { t } = useTranslation();
  const wraps = value.start > value.end;
  return (
    <Form layout="vertical" component="div">
      <Form.Item label={t('notification.prefs.quietEnabled')}>
        <Switch checked={value.enabled} onChange={(enabled) => onChange({ ...value, enabled })} data-testid="quiet-enabled" />
      </Form.Item>
      <Flex wrap gap={16}>
        <Form.Item label={t('notification.prefs.quietStart')}>
          <TimePicker
            format="HH:mm"
            minuteStep={5}
            allowClear={false}
            needConfirm={false}
            disabled={!value.enabled}
            value={asDayjs(value.start)}
            onChange={(d) => d && onChange({ ...value, start: d.format('HH:mm') })}
            data-testid="quiet-start"
          />
        </Form.Item>
        <Form.Item label={t('notification.prefs.quietEnd')}>
          <TimePicker
            format="HH:mm"
            minuteStep={5}
            allowClear={false}
            needConfirm={false}
            disabled={!value.enabled}
            value={asDayjs(value.end)}
            onChange={(d) => d && onChange({ ...value, end: d.format('HH:mm') })}
            data-testid="quiet-end"
          />
        </Form.Item>
        <Form.Item label={t('notification.prefs.quietTimeZone')} style={{ minWidth: 260 }}>
          <TimeZoneSelect value={value.timeZone} onChange={(timeZone) => onChange({ ...value, timeZone })} testId="quiet-timezone" ariaLabel={t('notification.prefs.quietTimeZone')} />
        </Form.Item>
      </Flex>
      {value.enabled &&
        (value.start === value.end ? (
          <Typography.Text type="danger">{t('notification.prefs.quietInvalid')}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">
            {wraps ? t('notification.prefs.quietWraps', { start: value.start, end: value.end }) : t('notification.prefs.quietSameDay', { start: value.start, end: value.end })}
          </Typography.Text>
        ))}
    </Form>
  );
}

/** Per-user choices: which events reach the user in the app and by e-mail, and quiet hours. */
export function NotificationPreferencesPage() {
  const { t } = useTranslation();
  const prefs = useNotificationPreferences();
  const save = useSavePreferences();
  const [draft, setDraft] = useState<NotificationPreferences | null>(null);

  useEffect(() => {
    if (prefs.data) setDraft(prefs.data);
  }, [prefs.data]);

  if (!draft) return <Spin style={{ display: 'block', marginTop: 64 }} />;

  const setChoice = (event: NotificationEventName, key: 'inApp' | 'email', on: boolean) =>
    setDraft({ ...draft, events: { ...draft.events, [event]: { ...draft.events[event], [key]: on } } });
  const dirty = JSON.stringify(draft) !== JSON.stringify(prefs.data);
  const invalid = draft.quietHours.enabled && draft.quietHours.start === draft.quietHours.end;

  const columns: TableColumnsType<NotificationEventName> = [
    { title: t('notification.prefs.event'), key: 'event', render: (_v, event) => eventLabel(t, event) },
    {
      title: t('notification.prefs.inApp'),
      key: 'inApp',
      align: 'center',
      render: (_v, event) => (
        <Switch
          checked={draft.events[event].inApp}
          onChange={(on) => setChoice(event, 'inApp', on)}
          aria-label={`${eventLabel(t, event)} · ${t('notification.prefs.inApp')}`}
          data-testid={`pref-${event}-inApp`}
        />
      ),
    },
    {
      title: t('notification.prefs.email'),
      key: 'email',
      align: 'center',
      render: (_v, event) => (
        <Switch
          checked={draft.events[event].email}
          onChange={(on) => setChoice(event, 'email', on)}
          aria-label={`${eventLabel(t, event)} · ${t('notification.prefs.email')}`}
          data-testid={`pref-${event}-email`}
        />
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('notification.prefs.title')}
        testId="page-title"
        extra={
          <Button
            type="primary"
            disabled={!dirty || invalid}
            loading={save.isPending}
            onClick={() => save.mutateAsync({ events: draft.events, quietHours: draft.quietHours }).then(() => notifySuccess(t('notification.prefs.saved')))}
            data-testid="prefs-save"
          >
            {t('common.save')}
          </Button>
        }
      />
      {save.error && <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 16 }} />}
      <Card style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('notification.prefs.intro')}</Typography.Paragraph>
        <Table<NotificationEventName> rowKey={(e) => e} columns={columns} dataSource={NOTIFICATION_EVENT_NAMES} pagination={false} size="middle" scroll={{ x: 'max-content' }} />
      </Card>
      <Card title={t('notification.prefs.quietTitle')}>
        <Typography.Paragraph type="secondary">{t('notification.prefs.quietIntro')}</Typography.Paragraph>
        <QuietHoursEditor value={draft.quietHours} onChange={(quietHours) => setDraft({ ...draft, quietHours })} />
      </Card>
    </>
  );
}
