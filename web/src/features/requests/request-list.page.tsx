import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Flex, Segmented, Select, Table, Tag, Typography } from 'antd';
import { AppstoreOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { RequestSummary, StateCategory } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { STATE_CATEGORIES, categoryTagColor, localized } from '../workflows/workflow-labels';
import { RequestIcon } from './request-icon.component';
import { useRequests } from './use-requests.query';

const PAGE_SIZE = 20;
type View = 'mine' | 'myTasks' | 'all';

/** 我的请求 for requesters; agents also see every request in scope and those with tasks for their groups. */
export function RequestListPage() {
  const { t, i18n } = useTranslation();
  const { can, me } = useAuth();
  const navigate = useNavigate();
  const staff = can('request.read') && me?.orgKind !== 'customer';
  const [view, setView] = useState<View>(staff ? 'all' : 'mine');
  const [category, setCategory] = useState<StateCategory | undefined>();
  const [page, setPage] = useState(1);
  const list = useRequests({
    ...(view === 'mine' ? { mine: true } : view === 'myTasks' ? { myTasks: true } : {}),
    ...(category ? { stateCategory: category } : {}),
    page,
    pageSize: PAGE_SIZE,
  });

  return (
    <>
      <PageHeader
        title={staff ? t('request.list.title') : t('request.list.mine')}
        testId="page-title"
        extra={
          can('ticket.create') && (
            <Button type="primary" icon={<AppstoreOutlined />} onClick={() => void navigate('/requests/catalogue')} data-testid="request-new">
              {t('request.list.new')}
            </Button>
          )
        }
      />
      <Card>
        <Flex wrap gap={8} align="center" style={{ marginBottom: 16 }}>
          {staff && (
            <Segmented<View>
              value={view}
              onChange={(v) => {
                setView(v);
                setPage(1);
              }}
              options={[
                { value: 'all', label: t('request.list.viewAll') },
                { value: 'myTasks', label: t('request.list.viewMyTasks') },
                { value: 'mine', label: t('request.list.viewMine') },
              ]}
              data-testid="request-view"
            />
          )}
          <Select<StateCategory>
            allowClear
            placeholder={t('request.list.state')}
            value={category}
            onChange={(v) => {
              setCategory(v ?? undefined);
              setPage(1);
            }}
            options={STATE_CATEGORIES.map((c) => ({ value: c, label: t(`workflow.category.${c}`) }))}
            style={{ width: 160 }}
          />
        </Flex>
        <Table<RequestSummary>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          data-testid="request-table"
          pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('common.total', { count: n }) }}
          columns={[
            {
              title: t('request.list.number'),
              dataIndex: 'number',
              render: (_v, r) => (
                <Link to={`/requests/${r.id}`} data-testid={`request-row-${r.number}`}>
                  {r.number}
                </Link>
              ),
            },
            {
              title: t('request.list.type'),
              render: (_v, r) => (
                <Flex gap={6}>
                  <RequestIcon name={r.typeIcon} />
                  {localized(r.typeName, i18n.language)}
                </Flex>
              ),
            },
            { title: t('request.list.subject'), dataIndex: 'title', ellipsis: true },
            ...(staff ? [{ title: t('request.list.requester'), render: (_v: unknown, r: RequestSummary) => r.requesterName ?? t('common.none') }] : []),
            {
              title: t('request.list.state'),
              render: (_v, r) =>
                r.stateCategory ? (
                  <Tag color={categoryTagColor(r.stateCategory)} data-state={r.state}>
                    {r.stateLabel ? localized(r.stateLabel, i18n.language) : r.state}
                  </Tag>
                ) : (
                  r.state
                ),
            },
            {
              title: t('request.list.tasks'),
              render: (_v, r) => (r.totalTasks ? <Typography.Text>{t('request.list.tasksDone', { done: r.totalTasks - r.openTasks, total: r.totalTasks })}</Typography.Text> : t('common.none')),
            },
            { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
          ]}
        />
      </Card>
    </>
  );
}
