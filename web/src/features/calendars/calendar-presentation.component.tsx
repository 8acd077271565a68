import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CalendarDay, CalendarSummary } from '@tianshu/contracts';
import type { CalendarDayKind } from './calendar-types';

export function PresetTag({ preset }: { preset: CalendarSummary['preset'] }) {
  const { t } = useTranslation();
  if (preset === '7x24') return <Tag color="purple">{t('calendar.preset7x24')}</Tag>;
  if (preset === 'cn-5x8') return <Tag color="red">{t('calendar.presetCn5x8')}</Tag>;
  return <Tag>{t('calendar.presetNone')}</Tag>;
}

/** 休 in green (a day off), 班 in orange (a weekend working day), as Chinese calendars print them. */
export function DayKindTag({ kind, long, testId }: { kind: CalendarDayKind; long?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const text =
    kind === 'holiday'
      ? t(long ? 'calendar.days.holidayLong' : 'calendar.days.holiday')
      : t(long ? 'calendar.days.workdayLong' : 'calendar.days.workday');
  return (
    <Tag color={kind === 'holiday' ? 'green' : 'orange'} style={{ marginInlineEnd: 0 }} data-testid={testId}>
      {text}
    </Tag>
  );
}

export function DaySourceText({ source }: { source: CalendarDay['source'] }) {
  const { t } = useTranslation();
  if (source === 'statutory') return <>{t('calendar.days.sourceStatutory')}</>;
  if (source === 'import') return <>{t('calendar.days.sourceImport')}</>;
  return <>{t('calendar.days.sourceCustom')}</>;
}
