import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Checkbox, Flex, Input, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import type { SparePart } from './asset-types';
import { SparePartFormModal } from './spare-part-form-modal.component';
import { useSpareParts } from './use-assets.query';

const PAGE_SIZE = 20;

export function SparePartListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [belowMinimum, setBelowMinimum] = useState(false);
  const [testOverdue, setTestOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const q = useDebouncedValue(search.trim());
  const parts = useSpareParts({ q: q || undefined, belowMinimum: belowMinimum || undefined, testOverdue: testOverdue || undefined, page, pageSize: PAGE_SIZE });

  const columns: TableColumnsType<SparePart> = [
    {
      title: t('asset.spare.partNumber'),
      key: 'partNumber',
      render: (_v, p) => (
        <Link to={`/spare-parts/${p.id}`} data-testid={`spare-link-${p.id}`} onClick={(e) => e.stopPropagation()}>
          {p.partNumber}
        </Link>
      ),
    },
    { title: t('asset.spare.name'), key: 'name', dataIndex: 'name' },
    { title: t('asset.spare.category'), key: 'category', render: (_v, p) => p.category || t('common.none') },
    { title: t('asset.spare.model'), key: 'model', render: (_v, p) => p.model || t('common.none') },
    { title: t('asset.spare.org'), key: 'org', render: (_v, p) => p.orgName ?? t('asset.spare.shared') },
    {
      title: t('asset.spare.total'),
      key: 'total',
      render: (_v, p) => (
        <Flex gap={4} align="center">
          <span data-testid={`spare-total-${p.id}`}>
            {p.totalQuantity} {p.unit}
          </span>
          {p.belowMinimum && (
            <Tag color="red" data-testid={`spare-below-${p.id}`}>
              {t('asset.spare.belowMinimum')}
            </Tag>
          )}
        </Flex>
      ),
    },
    { title: t('asset.spare.minStock'), key: 'min', dataIndex: 'minStock' },
    {
      title: t('asset.spare.nextTestDue'),
      key: 'nextTestDue',
      render: (_v, p) => (
        <Flex gap={4} align="center">
          {p.nextTestDue ?? t('common.none')}
          {p.testOverdue && <Tag color="orange">{t('asset.spare.testOverdue')}</Tag>}
        </Flex>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('asset.spare.title')}
        testId="page-title"
        extra={
          can('asset.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="spare-new">
              {t('asset.spare.create')}
            </Button>
          )
        }
      />
      <Card>
        <Flex wrap gap={12} align="center" style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('asset.spare.search')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
            style={{ maxWidth: 320 }}
            data-testid="spare-search"
          />
          <Checkbox
            checked={belowMinimum}
            onChange={(e) => {
              setBelowMinimum(e.target.checked);
              setPage(1);
            }}
            data-testid="spare-below-filter"
          >
            {t('asset.spare.belowMinimumFilter')}
          </Checkbox>
          <Checkbox
            checked={testOverdue}
            onChange={(e) => {
              setTestOverdue(e.target.checked);
              setPage(1);
            }}
            data-testid="spare-overdue-filter"
          >
            {t('asset.spare.testOverdueFilter')}
          </Checkbox>
        </Flex>
        <Table<SparePart>
          rowKey="id"
          loading={parts.isFetching}
          columns={columns}
          dataSource={parts.data?.items ?? []}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: parts.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          locale={{ emptyText: t('asset.spare.empty') }}
          onRow={(p) => testId(`spare-row-${p.id}`, { onClick: () => navigate(`/spare-parts/${p.id}`), style: { cursor: 'pointer' } })}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      {creating && (
        <SparePartFormModal
          onClose={() => setCreating(false)}
          onSaved={(p) => {
            setCreating(false);
            notifySuccess(t('asset.spare.created'));
            navigate(`/spare-parts/${p.id}`);
          }}
        />
      )}
    </>
  );
}
