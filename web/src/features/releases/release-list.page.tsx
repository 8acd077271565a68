import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Flex, Input, Select, Table, Tabs, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ReleaseSummary } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { StateTag } from '../workflows/state-tag.component';
import { localized } from '../workflows/workflow-labels';
import { useWorkflow } from '../workflows/use-workflows.query';
import { ReleaseReports } from './release-reports.component';
import { useReleases } from './use-releases.query';

const PAGE_SIZE = 20;

export function ReleaseListPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [tab, setTab] = useState('list');
  const [search, setSearch] = useState('');
  const [states, setStates] = useState<string[]>([]);
  const [page, setPage] = useState(1);
  const q = useDebouncedValue(search.trim());
  const releases = useReleases({ ...(q ? { q } : {}), ...(states.length ? { state: states } : {}), page, pageSize: PAGE_SIZE });
  const workflow = useWorkflow('release');
  const stateDefs = workflow.data?.definition.states ?? [];
  const stateLabel = (key: string) => stateDefs.find((s) => s.key === key)?.label;

  const columns: TableColumnsType<ReleaseSummary> = [
    {
      title: t('release.field.number'),
      key: 'number',
      render: (_v, r) => (
        <Link to={`/releases/${r.id}`} data-testid={`release-link-${r.id}`} onClick={(e) => e.stopPropagation()}>
          {r.number}
        </Link>
      ),
    },
    { title: t('release.field.title'), dataIndex: 'title', key: 'title' },
    { title: t('release.field.versionLabel'), dataIndex: 'versionLabel', key: 'version' },
    { title: t('release.field.state'), key: 'state', render: (_v, r) => <StateTag ticket={r} label={stateLabel(r.state)} testId={`release-state-${r.id}`} /> },
    { title: t('release.field.org'), dataIndex: 'orgName', key: 'org' },
    { title: t('release.field.plannedReleaseAt'), key: 'planned', render: (_v, r) => formatDateTime(r.plannedReleaseAt) || t('common.none') },
    { title: t('release.field.changeCount'), dataIndex: 'changeCount', key: 'changes' },
    {
      title: t('release.field.cmdb'),
      key: 'cmdb',
      render: (_v, r) =>
        r.cmdbConfirmed ? (
          <Tag color="green" icon={<CheckCircleOutlined />}>
            {t('release.cmdb.confirmed')}
          </Tag>
        ) : (
          <Tag>{t('release.cmdb.notConfirmed')}</Tag>
        ),
    },
    { title: t('release.field.createdAt'), key: 'created', render: (_v, r) => formatDateTime(r.createdAt) },
  ];

  return (
    <>
      <PageHeader
        title={t('release.title')}
        testId="page-title"
        extra={
          can('release.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/releases/new')} data-testid="release-new">
              {t('release.create')}
            </Button>
          )
        }
      />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'list',
            label: <span data-testid="release-tab-list">{t('release.tabList')}</span>,
            children: (
              <Card>
                <Flex wrap gap={8} align="center" style={{ marginBottom: 16 }}>
                  <Input.Search
                    allowClear
                    placeholder={t('release.search')}
                    value={search}
                    onChange={(e) => {
                      setSearch(e.target.value);
                      setPage(1);
                    }}
                    style={{ maxWidth: 320 }}
                    data-testid="release-search"
                  />
                  <Select<string[]>
                    mode="multiple"
                    allowClear
                    placeholder={t('release.stateFilter')}
                    value={states}
                    onChange={(v) => {
                      setStates(v);
                      setPage(1);
                    }}
                    options={stateDefs.map((s) => ({ value: s.key, label: localized(s.label, i18n.language) }))}
                    style={{ minWidth: 220 }}
                    data-testid="release-state-filter"
                  />
                </Flex>
                <Table<ReleaseSummary>
                  rowKey="id"
                  size="small"
                  loading={releases.isFetching}
                  columns={columns}
                  dataSource={releases.data?.items ?? []}
                  pagination={{ current: page, pageSize: PAGE_SIZE, total: releases.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
                  locale={{ emptyText: t('release.empty') }}
                  onRow={(r) => testId(`release-row-${r.id}`, { onClick: () => navigate(`/releases/${r.id}`), style: { cursor: 'pointer' } })}
                  scroll={{ x: 'max-content' }}
                />
              </Card>
            ),
          },
          { key: 'reports', label: <span data-testid="release-tab-reports">{t('release.tabReports')}</span>, children: tab === 'reports' && <ReleaseReports /> },
        ]}
      />
    </>
  );
}
