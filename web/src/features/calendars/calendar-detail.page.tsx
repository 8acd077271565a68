import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Col, Flex, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/notifier';
import { useIsMobile } from '../../shared/use-is-mobile';
import { CalendarComputeCard } from './calendar-compute-card.component';
import { CalendarDaysCard } from './calendar-days-card.component';
import { CalendarIcalCard } from './calendar-ical-card.component';
import { PresetTag } from './calendar-presentation.component';
import { CalendarSettingsCard } from './calendar-settings-card.component';
import { minutesAsHours } from './calendar-time';
import { calendarKeys, useCalendar } from './use-calendars.query';

export function CalendarDetailPage() {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  const calendarQuery = useCalendar(id);
  const calendar = calendarQuery.data;
  const [conflict, setConflict] = useState(false);
  // Bumped by a reload after a conflict: remounts the settings card, dropping its stale draft.
  const [generation, setGeneration] = useState(0);

  const reload = async () => {
    await queryClient.invalidateQueries({ queryKey: calendarKeys.detail(id) });
    setConflict(false);
    setGeneration((value) => value + 1);
  };

  if (calendarQuery.isPending && Number.isSafeInteger(id) && id > 0) return <Skeleton active />;
  if (!calendar) {
    const error = calendarQuery.error;
    const notFound = !error || (isApiError(error) && (error.status === 404 || error.status === 403));
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('calendar.notFound') : t('common.loadFailed')}
        subTitle={!notFound && error ? errorText(error) : undefined}
        data-testid="calendar-not-found"
        extra={
          <Link to="/settings/calendars">
            <Button>{t('calendar.backToList')}</Button>
          </Link>
        }
      />
    );
  }

  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Space wrap size={8}>
          <Link to="/settings/calendars" aria-label={t('calendar.backToList')}>
            <ArrowLeftOutlined />
          </Link>
          <PresetTag preset={calendar.preset} />
          <Tag data-testid="calendar-timezone-tag">{calendar.timeZone}</Tag>
          <Typography.Text type="secondary" data-testid="calendar-version">
            {t('calendar.version', { version: calendar.version })}
          </Typography.Text>
          <Typography.Text type="secondary">
            {t('common.labelValue', { label: t('calendar.weeklyHours'), value: t('calendar.hours', { hours: minutesAsHours(calendar.weeklyMinutes) }) })}
          </Typography.Text>
        </Space>
        <Typography.Title level={isMobile ? 4 : 3} style={{ margin: 0 }} data-testid="calendar-detail-title">
          {calendar.name}
        </Typography.Title>
      </Flex>

      {conflict && (
        <Alert
          type="warning"
          showIcon
          title={t('calendar.conflictTitle')}
          description={t('calendar.versionConflict')}
          style={{ marginBottom: 16 }}
          data-testid="version-conflict"
          action={
            <Button icon={<ReloadOutlined />} onClick={() => void reload()} data-testid="version-conflict-reload">
              {t('calendar.reload')}
            </Button>
          }
        />
      )}

      {calendar.yearsWithoutHolidays.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('calendar.yearsWithoutHolidays', { years: calendar.yearsWithoutHolidays.join(t('common.listSeparator')) })}
          style={{ marginBottom: 16 }}
          data-testid="calendar-warning"
        />
      )}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            <CalendarSettingsCard key={generation} calendar={calendar} onConflict={() => setConflict(true)} />
            <CalendarDaysCard calendar={calendar} />
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <CalendarComputeCard key={calendar.timeZone} calendar={calendar} />
            <CalendarIcalCard calendarId={calendar.id} />
          </Flex>
        </Col>
      </Row>
    </>
  );
}
