import { useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Badge, Button, Card, Flex, Segmented, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { LeftOutlined, RightOutlined, WarningFilled } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CalendarChange, CalendarWindow } from '@tianshu/contracts';
import { PageHeader } from '../../shared/page-header.component';
import { RISK_COLORS, useChangeStateLabel, useConflictText } from './change-labels.component';
import { useChangeCalendar } from './use-changes.query';

type View = 'month' | 'week';

const startOfWeek = (d: Dayjs) => d.startOf('day').subtract((d.day() + 6) % 7, 'day');

/** Days of the grid: six Monday-first weeks around the month, or one week. */
function gridDays(anchor: Dayjs, view: View): Dayjs[] {
  const first = view === 'month' ? startOfWeek(anchor.startOf('month')) : startOfWeek(anchor);
  const n = view === 'month' ? 42 : 7;
  return Array.from({ length: n }, (_v, i) => first.add(i, 'day'));
}

const overlapsDay = (startIso: string, endIso: string, day: Dayjs) => dayjs(startIso).isBefore(day.add(1, 'day')) && dayjs(endIso).isAfter(day);

function ChangeChip({ c, compact }: { c: CalendarChange; compact: boolean }) {
  const navigate = useNavigate();
  const stateLabel = useChangeStateLabel();
  const conflictText = useConflictText();
  const conflicted = c.conflicts.length > 0;
  const tip = (
    <div>
      <div>
        {c.number} · {stateLabel(c.state)}
      </div>
      <div>{c.title}</div>
      <div>
        {dayjs(c.plannedStart).format('MM-DD HH:mm')} ~ {dayjs(c.plannedEnd).format('MM-DD HH:mm')}
      </div>
      {c.conflicts.map((x, i) => (
        <div key={i} style={{ color: '#ffccc7' }}>
          ⚠ {conflictText(x)}
        </div>
      ))}
    </div>
  );
  return (
    <Tooltip title={tip}>
      <div
        role="button"
        tabIndex={0}
        onClick={() => void navigate(`/changes/${c.id}`)}
        onKeyDown={(e) => e.key === 'Enter' && void navigate(`/changes/${c.id}`)}
        data-testid={`calendar-change-${c.id}`}
        data-conflict={conflicted ? 'true' : 'false'}
        style={{
          cursor: 'pointer',
          fontSize: 12,
          lineHeight: '18px',
          padding: '1px 4px',
          marginBottom: 2,
          borderRadius: 4,
          borderLeft: `3px solid ${RISK_COLORS[c.riskLevel] === 'gold' ? '#faad14' : RISK_COLORS[c.riskLevel]}`,
          background: conflicted ? '#fff1f0' : '#f0f5ff',
          border: conflicted ? '1px solid #ff4d4f' : undefined,
          overflow: 'hidden',
          whiteSpace: 'nowrap',
          textOverflow: 'ellipsis',
        }}
      >
        {conflicted && <WarningFilled style={{ color: '#ff4d4f', marginRight: 4 }} data-testid={`calendar-conflict-${c.id}`} />}
        {!compact && <span>{dayjs(c.plannedStart).format('HH:mm')} </span>}
        {c.number} {c.title}
      </div>
    </Tooltip>
  );
}

function WindowTag({ w }: { w: CalendarWindow }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={`${w.name}${w.serviceName ? ` · ${w.serviceName}` : ''} ${dayjs(w.startsAt).format('MM-DD HH:mm')} ~ ${dayjs(w.endsAt).format('MM-DD HH:mm')}`}>
      <Tag color={w.kind === 'blackout' ? 'red' : 'green'} style={{ fontSize: 11, marginBottom: 2 }} data-testid={`calendar-window-${w.windowId}`}>
        {w.kind === 'blackout' ? t('change.calendar.blackout') : t('change.calendar.maintenance')} {w.name}
      </Tag>
    </Tooltip>
  );
}

/** 变更日历: month and week views of scheduled changes, blackout and maintenance windows, conflicts highlighted. */
export function ChangeCalendarPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'week' ? 'week' : 'month';
  const anchor = params.get('date') ? dayjs(params.get('date')) : dayjs();
  const anchorDay = anchor.format('YYYY-MM-DD');
  const days = useMemo(() => gridDays(dayjs(anchorDay), view), [anchorDay, view]);
  const from = (days[0] ?? dayjs()).toISOString();
  const to = (days[days.length - 1] ?? dayjs()).add(1, 'day').toISOString();
  const cal = useChangeCalendar(from, to);
  const set = (next: { view?: View; date?: Dayjs }) =>
    setParams({ view: next.view ?? view, date: (next.date ?? anchor).format('YYYY-MM-DD') }, { replace: true });
  const step = (dir: 1 | -1) => set({ date: anchor.add(dir, view === 'month' ? 'month' : 'week') });
  const changes = cal.data?.changes ?? [];
  const windows = cal.data?.windows ?? [];
  const compact = view === 'month';
  const weekdayNames = t('change.windows.weekdayNames', { returnObjects: true }) as string[];
  const conflicted = changes.filter((c) => c.conflicts.length > 0).length;

  return (
    <>
      <PageHeader
        title={t('change.calendar.title')}
        testId="page-title"
        extra={
          <Segmented<View>
            value={view}
            onChange={(v) => set({ view: v })}
            options={[
              { value: 'month', label: <span data-testid="calendar-view-month">{t('change.calendar.month')}</span> },
              { value: 'week', label: <span data-testid="calendar-view-week">{t('change.calendar.week')}</span> },
            ]}
          />
        }
      />
      <Card>
        <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
          <Space>
            <Button icon={<LeftOutlined />} onClick={() => step(-1)} aria-label={t('change.calendar.prev')} data-testid="calendar-prev" />
            <Button onClick={() => set({ date: dayjs() })} data-testid="calendar-today">
              {t('change.calendar.today')}
            </Button>
            <Button icon={<RightOutlined />} onClick={() => step(1)} aria-label={t('change.calendar.next')} data-testid="calendar-next" />
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="calendar-period">
              {view === 'month' ? anchor.format('YYYY-MM') : `${days[0]?.format('YYYY-MM-DD')} ~ ${days[6]?.format('MM-DD')}`}
            </Typography.Title>
            {cal.isFetching && <Spin size="small" />}
          </Space>
          <Space wrap>
            <Tag color="red">{t('change.calendar.blackout')}</Tag>
            <Tag color="green">{t('change.calendar.maintenance')}</Tag>
            <Badge status="error" text={`${t('change.calendar.conflictLegend')} ${conflicted}`} />
          </Space>
        </Flex>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))', border: '1px solid #f0f0f0' }} data-testid={`calendar-${view}`}>
          {weekdayNames.map((n) => (
            <div key={n} style={{ padding: 4, textAlign: 'center', fontWeight: 600, background: '#fafafa', borderBottom: '1px solid #f0f0f0' }}>
              {n}
            </div>
          ))}
          {days.map((day) => {
            const inMonth = view === 'week' || day.month() === anchor.month();
            const dayChanges = changes.filter((c) => overlapsDay(c.plannedStart, c.plannedEnd, day));
            const dayWindows = windows.filter((w) => overlapsDay(w.startsAt, w.endsAt, day));
            const blackout = dayWindows.some((w) => w.kind === 'blackout');
            const limit = view === 'month' ? 4 : 50;
            return (
              <div
                key={day.format('YYYY-MM-DD')}
                data-testid={`calendar-day-${day.format('YYYY-MM-DD')}`}
                style={{
                  minHeight: view === 'month' ? 110 : 360,
                  padding: 4,
                  borderRight: '1px solid #f0f0f0',
                  borderBottom: '1px solid #f0f0f0',
                  background: blackout ? '#fff7f7' : day.isSame(dayjs(), 'day') ? '#e6f4ff' : undefined,
                  opacity: inMonth ? 1 : 0.45,
                }}
              >
                <div style={{ fontSize: 12, color: '#8c8c8c', marginBottom: 2 }}>{view === 'month' ? day.date() : day.format('MM-DD')}</div>
                {dayWindows.slice(0, view === 'month' ? 2 : 10).map((w) => (
                  <WindowTag key={`${w.windowId}-${w.startsAt}`} w={w} />
                ))}
                {dayChanges.slice(0, limit).map((c) => (
                  <ChangeChip key={c.id} c={c} compact={compact} />
                ))}
                {dayChanges.length > limit && (
                  <Typography.Link style={{ fontSize: 12 }} onClick={() => set({ view: 'week', date: day })}>
                    {t('change.calendar.more', { count: dayChanges.length - limit })}
                  </Typography.Link>
                )}
              </div>
            );
          })}
        </div>
        {!cal.isFetching && changes.length === 0 && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            {t('change.calendar.noChanges')}
          </Typography.Paragraph>
        )}
      </Card>
    </>
  );
}
