import { Link, useNavigate } from 'react-router';
import { Button, Card, Flex, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { targetsSummary } from './sla-format';
import type { SlaDefinition } from './sla-types';
import { useSlaDefinitions } from './use-sla.query';

export function SlaListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const definitions = useSlaDefinitions();

  const columns: TableColumnsType<SlaDefinition> = [
    {
      title: t('sla.field.name'),
      key: 'name',
      render: (_value, def) => (
        <Link to={`/settings/sla/${def.id}`} data-testid={`sla-link-${def.id}`}>
          {def.name}
        </Link>
      ),
    },
    { title: t('sla.kind.label'), key: 'kind', width: 80, render: (_value, def) => <Tag title={t(`sla.kind.${def.kind}Long`)}>{t(`sla.kind.${def.kind}`)}</Tag> },
    { title: t('sla.field.calendar'), dataIndex: 'calendarName', key: 'calendar' },
    {
      title: t('sla.field.active'),
      key: 'active',
      width: 80,
      render: (_value, def) => <Tag color={def.active ? 'green' : 'default'}>{def.active ? t('sla.field.activeOn') : t('sla.field.activeOff')}</Tag>,
    },
    { title: t('sla.field.version'), key: 'version', width: 80, align: 'right', render: (_value, def) => `v${def.version}` },
    {
      title: t('sla.field.targets'),
      key: 'targets',
      render: (_value, def) => {
        const lines = targetsSummary(t, def.rules);
        return lines.length ? (
          <Flex vertical data-testid={`sla-targets-summary-${def.id}`}>
            {lines.map((line) => (
              <Typography.Text key={line} style={{ whiteSpace: 'nowrap' }}>
                {line}
              </Typography.Text>
            ))}
          </Flex>
        ) : (
          t('sla.target.summaryNone')
        );
      },
    },
    { title: t('sla.field.rank'), dataIndex: 'rank', key: 'rank', width: 70, align: 'right' },
    { title: t('common.updatedAt'), key: 'updatedAt', width: 150, render: (_value, def) => formatDateTime(def.updatedAt) },
  ];

  return (
    <>
      <PageHeader
        title={t('sla.title')}
        testId="page-title"
        extra={
          <Link to="/settings/sla/new">
            <Button type="primary" icon={<PlusOutlined />} data-testid="sla-new">
              {t('sla.create')}
            </Button>
          </Link>
        }
      />
      <Card>
        <Typography.Paragraph type="secondary">{t('sla.intro')}</Typography.Paragraph>
        <Table<SlaDefinition>
          rowKey="id"
          loading={definitions.isPending}
          columns={columns}
          dataSource={definitions.data ?? []}
          pagination={false}
          locale={{ emptyText: t('sla.empty') }}
          onRow={(def) => testId(`sla-row-${def.id}`, { onClick: () => navigate(`/settings/sla/${def.id}`), style: { cursor: 'pointer' } })}
          scroll={{ x: 'max-content' }}
        />
      </Card>
    </>
  );
}
