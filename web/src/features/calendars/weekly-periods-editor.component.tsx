import { Button, Flex, Input, Space, Tooltip, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { WorkPeriodInput } from '@tianshu/contracts';
import {
  WEEKDAYS,
  type Weekday,
  type Weekly,
  allDayWeekly,
  emptyWeekly,
  isClock,
  isValidPeriod,
  minutesAsHours,
  nextPeriod,
  weeklyMinutes,
  workdaysWeekly,
} from './calendar-time';

interface WeeklyPeriodsEditorProps {
  /** Optional so the editor can sit in a Form.Item, which injects value and onChange. */
  value?: Weekly;
  onChange?: (weekly: Weekly) => void;
  disabled?: boolean;
}

const DAY_KEYS = {
  0: 'calendar.weekly.day0',
  1: 'calendar.weekly.day1',
  2: 'calendar.weekly.day2',
  3: 'calendar.weekly.day3',
  4: 'calendar.weekly.day4',
  5: 'calendar.weekly.day5',
  6: 'calendar.weekly.day6',
} as const satisfies Record<Weekday, string>;

// Monday first on screen, as people read a working week; the data stays Sunday first.
const DISPLAY_ORDER: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 0];

function ClockInput({ value, onChange, label, testId, disabled }: { value: string; onChange: (next: string) => void; label: string; testId: string; disabled?: boolean }) {
  return (
    <Input
      value={value}
      onChange={(event) => onChange(event.target.value.trim())}
      placeholder="HH:MM"
      maxLength={5}
      status={isClock(value) ? undefined : 'error'}
      aria-label={label}
      disabled={disabled}
      style={{ width: 72, textAlign: 'center' }}
      data-testid={testId}
    />
  );
}

export function WeeklyPeriodsEditor({ value, onChange, disabled }: WeeklyPeriodsEditorProps) {
  const { t } = useTranslation();
  const weekly = value ?? emptyWeekly();

  const setDay = (day: Weekday, periods: WorkPeriodInput[]) => {
    onChange?.(WEEKDAYS.map((d) => (d === day ? periods : (weekly[d] ?? []))));
  };
  const anyInvalid = weekly.some((periods) => periods.some((period) => !isValidPeriod(period)));

  return (
    <Flex vertical gap={8} data-testid="calendar-weekly">
      <Flex wrap gap={8}>
        <Button size="small" disabled={disabled} onClick={() => onChange?.(workdaysWeekly())} data-testid="calendar-weekly-workdays">
          {t('calendar.weekly.fillWorkdays')}
        </Button>
        <Button size="small" disabled={disabled} onClick={() => onChange?.(allDayWeekly())} data-testid="calendar-weekly-7x24">
          {t('calendar.weekly.fill7x24')}
        </Button>
        <Button size="small" disabled={disabled} onClick={() => onChange?.(emptyWeekly())}>
          {t('calendar.weekly.clear')}
        </Button>
      </Flex>
      {DISPLAY_ORDER.map((day) => {
        const periods = weekly[day] ?? [];
        return (
          <Flex key={day} wrap align="center" gap={8} data-testid={`calendar-weekday-${day}`}>
            <Typography.Text strong style={{ width: 80 }}>
              {t(DAY_KEYS[day])}
            </Typography.Text>
            {periods.length === 0 && <Typography.Text type="secondary">{t('calendar.weekly.rest')}</Typography.Text>}
            {periods.map((period, index) => {
              const update = (patch: Partial<WorkPeriodInput>) =>
                setDay(day, periods.map((p, i) => (i === index ? { ...p, ...patch } : p)));
              return (
                <Space.Compact key={index}>
                  <ClockInput
                    value={period.start}
                    onChange={(start) => update({ start })}
                    label={`${t(DAY_KEYS[day])} ${t('calendar.weekly.start')}`}
                    testId={`calendar-period-${day}-${index}-start`}
                    disabled={disabled}
                  />
                  <ClockInput
                    value={period.end}
                    onChange={(end) => update({ end })}
                    label={`${t(DAY_KEYS[day])} ${t('calendar.weekly.end')}`}
                    testId={`calendar-period-${day}-${index}-end`}
                    disabled={disabled}
                  />
                  <Tooltip title={t('calendar.weekly.remove')}>
                    <Button
                      icon={<DeleteOutlined />}
                      aria-label={t('calendar.weekly.remove')}
                      disabled={disabled}
                      onClick={() => setDay(day, periods.filter((_p, i) => i !== index))}
                      data-testid={`calendar-period-${day}-${index}-remove`}
                    />
                  </Tooltip>
                </Space.Compact>
              );
            })}
            {periods.length < 6 && (
              <Tooltip title={t('calendar.weekly.add')}>
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  aria-label={t('calendar.weekly.add')}
                  disabled={disabled}
                  onClick={() => setDay(day, [...periods, nextPeriod(periods)])}
                  data-testid={`calendar-period-${day}-add`}
                />
              </Tooltip>
            )}
          </Flex>
        );
      })}
      <Typography.Text type={anyInvalid ? 'danger' : 'secondary'} data-testid="calendar-weekly-total">
        {anyInvalid ? t('calendar.weekly.invalid') : t('calendar.weekly.total', { hours: minutesAsHours(weeklyMinutes(weekly)) })}
      </Typography.Text>
    </Flex>
  );
}
