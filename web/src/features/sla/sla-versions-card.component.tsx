import { Card, Empty, Flex, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { useCalendars } from '../calendars/use-calendars.query';
import { targetsSummary } from './sla-format';
import type { SlaDefinition } from './sla-types';
import { useSlaVersions } from './use-sla.query';

/** Every saved version, newest first: when, by whom, on which calendar, with which targets. */
export function SlaVersionsCard({ definition }: { definition: SlaDefinition }) {
  const { t } = useTranslation();
  const versions = useSlaVersions(definition.id);
  const calendars = useCalendars();
  const calendarName = (id: number) => calendars.data?.find((c) => c.id === id)?.name ?? `#${id}`;
  return (
    <Card size="small" title={t('sla.versions.title')} data-testid="sla-versions">
      {versions.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : !versions.data?.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sla.versions.empty')} />
      ) : (
        <Flex vertical gap={12}>
          {versions.data.map((v) => (
            <Flex key={v.version} vertical gap={2} data-testid={`sla-version-${v.version}`}>
              <Flex wrap gap={6} align="center">
                <Tag color={v.version === definition.version ? 'blue' : 'default'}>v{v.version}</Tag>
                {v.version === definition.version && <Typography.Text type="secondary">{t('sla.versions.current')}</Typography.Text>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(v.createdAt)} · {t('sla.versions.by', { name: v.createdByName ?? t('sla.versions.byUnknown') })}
                </Typography.Text>
              </Flex>
              <Typography.Text style={{ fontSize: 12 }}>{t('sla.clock.calendar', { name: calendarName(v.rules.calendarId) })}</Typography.Text>
              {targetsSummary(t, v.rules).map((line) => (
                <Typography.Text key={line} type="secondary" style={{ fontSize: 12 }}>
                  {line}
                </Typography.Text>
              ))}
            </Flex>
          ))}
        </Flex>
      )}
    </Card>
  );
}
