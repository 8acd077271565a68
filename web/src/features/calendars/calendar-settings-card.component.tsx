import { useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Calendar } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { errorText, notifySuccess } from '../../app/notifier';
import { type Weekly, isValidWeekly, toWeekly } from './calendar-time';
import type { UpdateCalendarRequest } from './calendar-types';
import { TimeZoneSelect } from './time-zone-select.component';
import { useUpdateCalendar } from './use-calendars.mutation';
import { WeeklyPeriodsEditor } from './weekly-periods-editor.component';

interface Draft {
  name: string;
  timeZone: string;
  weekly: Weekly;
}

const sameWeekly = (a: Weekly, b: Weekly) => JSON.stringify(a) === JSON.stringify(b);

/** Name, time zone and weekly periods, saved together with the calendar's version. */
export function CalendarSettingsCard({ calendar, onConflict }: { calendar: Calendar; onConflict: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateCalendar(calendar.id);
  // Local edits; null means "show what the server has".
  const [draft, setDraft] = useState<Draft | null>(null);
  const saved: Draft = { name: calendar.name, timeZone: calendar.timeZone, weekly: toWeekly(calendar.weekly) };
  const current = draft ?? saved;
  const edit = (patch: Partial<Draft>) => {
    update.reset();
    setDraft({ ...current, ...patch });
  };

  const nameValid = current.name.trim().length > 0;
  const valid = nameValid && isValidWeekly(current.weekly);

  const save = () => {
    if (!draft) return;
    const request: UpdateCalendarRequest = { version: calendar.version };
    if (draft.name.trim() !== calendar.name) request.name = draft.name.trim();
    if (draft.timeZone !== calendar.timeZone) request.timeZone = draft.timeZone;
    if (!sameWeekly(draft.weekly, saved.weekly)) request.weekly = draft.weekly;
    update.mutate(request, {
      onSuccess: () => {
        setDraft(null);
        notifySuccess(t('common.saved'));
      },
      onError: (error) => {
        if (isApiError(error, 'VERSION_CONFLICT')) onConflict();
      },
    });
  };

  const failure = update.error && !isApiError(update.error, 'VERSION_CONFLICT') ? errorText(update.error) : null;

  return (
    <Card size="small" title={t('calendar.settingsCard')}>
      <Form layout="vertical">
        <Form.Item label={t('calendar.name')} required validateStatus={nameValid ? undefined : 'error'} help={nameValid ? undefined : t('calendar.nameRequired')}>
          <Input value={current.name} maxLength={100} onChange={(event) => edit({ name: event.target.value })} data-testid="calendar-name" style={{ maxWidth: 320 }} />
        </Form.Item>
        <Form.Item label={t('calendar.timeZone')} required>
          <TimeZoneSelect value={current.timeZone} onChange={(timeZone) => edit({ timeZone })} testId="calendar-timezone" ariaLabel={t('calendar.timeZone')} />
        </Form.Item>
        <Form.Item label={t('calendar.weekly.title')}>
          <WeeklyPeriodsEditor value={current.weekly} onChange={(weekly) => edit({ weekly })} />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} data-testid="calendar-save-error" />}
      <Flex wrap gap={8} align="center">
        <Button type="primary" disabled={!draft || !valid} loading={update.isPending} onClick={save} data-testid="calendar-save">
          {t('common.save')}
        </Button>
        <Button
          disabled={!draft}
          onClick={() => {
            update.reset();
            setDraft(null);
          }}
          data-testid="calendar-reset"
        >
          {t('common.reset')}
        </Button>
        {draft && <Typography.Text type="warning">{t('calendar.unsaved')}</Typography.Text>}
      </Flex>
    </Card>
  );
}
