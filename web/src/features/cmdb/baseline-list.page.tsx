import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button, Card, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CiBaseline } from '@tianshu/contracts';
import { notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { BaselineFormModal } from './baseline-form-modal.component';
import { useBaselines } from './use-cmdb-quality.query';

const PAGE_SIZE = 20;

export function BaselineListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  // ?ciId= lists the baselines holding one CI (linked from a CI) and compares that CI only.
  const ciId = Number(params.get('ciId')) || undefined;
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const list = useBaselines(page, PAGE_SIZE, ciId);
  const detailPath = (id: number) => `/cmdb/baselines/${id}${ciId ? `?ciId=${ciId}` : ''}`;

  const columns: TableColumnsType<CiBaseline> = [
    {
      title: t('cmdbQuality.baselines.name'),
      key: 'name',
      render: (_v, b) => (
        <Link to={detailPath(b.id)} data-testid={`baseline-link-${b.id}`} onClick={(e) => e.stopPropagation()}>
          {b.name}
        </Link>
      ),
    },
    { title: t('cmdbQuality.baselines.org'), key: 'org', dataIndex: 'orgName' },
    { title: t('cmdbQuality.baselines.items'), key: 'items', dataIndex: 'itemCount', align: 'right' },
    { title: t('cmdbQuality.baselines.description'), key: 'description', render: (_v, b) => <Typography.Text ellipsis style={{ maxWidth: 320 }}>{b.description || t('common.none')}</Typography.Text> },
    { title: t('cmdbQuality.baselines.createdBy'), key: 'createdBy', render: (_v, b) => b.createdByName ?? t('common.system') },
    { title: t('cmdbQuality.baselines.createdAt'), key: 'createdAt', render: (_v, b) => formatDateTime(b.createdAt) },
  ];

  return (
    <>
      <PageHeader
        title={t('cmdbQuality.baselines.title')}
        testId="page-title"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="baseline-new">
            {t('cmdbQuality.baselines.create')}
          </Button>
        }
      />
      <Card>
        {ciId && (
          <Tag closable onClose={() => setParams({})} style={{ marginBottom: 16 }} data-testid="baseline-ci-filter">
            {t('cmdbQuality.baselines.withCi', { id: ciId })}
          </Tag>
        )}
        <Table<CiBaseline>
          rowKey="id"
          loading={list.isFetching}
          columns={columns}
          dataSource={list.data?.items ?? []}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          locale={{ emptyText: t('cmdbQuality.baselines.empty') }}
          onRow={(b) => testId(`baseline-row-${b.id}`, { onClick: () => void navigate(detailPath(b.id)), style: { cursor: 'pointer' } })}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      {creating && (
        <BaselineFormModal
          open
          onClose={() => setCreating(false)}
          onSaved={(b) => {
            setCreating(false);
            notifySuccess(t('cmdbQuality.baselines.created'));
            navigate(`/cmdb/baselines/${b.id}`);
          }}
        />
      )}
    </>
  );
}
