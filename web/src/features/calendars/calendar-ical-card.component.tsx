import { Button, Card, Flex, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../app/notifier';
import { useImportCalendar } from './use-calendars.mutation';

export function CalendarIcalCard({ calendarId }: { calendarId: number }) {
  const { t } = useTranslation();
  const upload = useImportCalendar(calendarId);

  return (
    <Card size="small" title={t('calendar.ical.title')}>
      <Typography.Paragraph type="secondary">{t('calendar.ical.intro')}</Typography.Paragraph>
      <Flex wrap gap={8}>
        {/* A plain link: the browser sends the session cookie and saves the file itself. */}
        <Button href={`/api/calendars/${calendarId}/export.ics`} download icon={<DownloadOutlined />} data-testid="calendar-export">
          {t('calendar.ical.export')}
        </Button>
        <Upload
          accept=".ics,text/calendar"
          showUploadList={false}
          customRequest={({ file, onSuccess, onError }) => {
            if (!(file instanceof File)) return;
            upload.mutate(file, {
              onSuccess: (result) => {
                notifySuccess(t('calendar.ical.imported', result));
                onSuccess?.(result);
              },
              onError: (error) => onError?.(error),
            });
          }}
        >
          <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="calendar-import">
            {t('calendar.ical.import')}
          </Button>
        </Upload>
      </Flex>
    </Card>
  );
}
