import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Flex, Input, Select, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { useVendors } from './use-vendors.query';
import { GradeTag } from './vendor-presentation.component';
import { VendorFormModal } from './vendor-form-modal.component';
import type { VendorListItem } from './vendor-types';

const PAGE_SIZE = 20;

export function VendorListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [active, setActive] = useState<boolean | undefined>(true);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const q = useDebouncedValue(search.trim());
  const vendors = useVendors({ q: q || undefined, active, page, pageSize: PAGE_SIZE });

  const columns: TableColumnsType<VendorListItem> = [
    {
      title: t('vendor.name'),
      key: 'name',
      render: (_v, v) => (
        <Link to={`/vendors/${v.id}`} data-testid={`vendor-link-${v.id}`} onClick={(e) => e.stopPropagation()}>
          {v.name}
        </Link>
      ),
    },
    { title: t('vendor.kind'), key: 'kind', render: (_v, v) => t(`vendor.kindValues.${v.kind}`) },
    { title: t('vendor.creditCode'), key: 'code', render: (_v, v) => v.creditCode ?? '-' },
    { title: t('vendor.contacts'), key: 'contact', render: (_v, v) => { const c = v.contacts.find((x) => x.primary) ?? v.contacts[0]; return c ? `${c.name} ${c.phone}` : '-'; } },
    { title: t('vendor.contractCount'), key: 'contracts', dataIndex: 'contractCount' },
    { title: t('vendor.openRepairs'), key: 'repairs', dataIndex: 'openRepairs' },
    { title: t('vendor.latestGrade'), key: 'grade', render: (_v, v) => <GradeTag grade={v.latestGrade} /> },
    { title: t('vendor.activeFilter'), key: 'active', render: (_v, v) => (v.active ? <Tag color="green">{t('vendor.activeValues.true')}</Tag> : <Tag>{t('vendor.activeValues.false')}</Tag>) },
  ];

  return (
    <>
      <PageHeader
        title={t('vendor.title')}
        testId="page-title"
        extra={
          can('vendor.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="vendor-new">
              {t('vendor.create')}
            </Button>
          )
        }
      />
      <Card>
        <Flex wrap gap={8} style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('vendor.search')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
            style={{ maxWidth: 360 }}
            data-testid="vendor-search"
          />
          <Select<'true' | 'false'>
            allowClear
            placeholder={t('vendor.activeFilter')}
            value={active === undefined ? undefined : active ? 'true' : 'false'}
            onChange={(v) => {
              setActive(v === undefined ? undefined : v === 'true');
              setPage(1);
            }}
            options={[
              { value: 'true', label: t('vendor.activeValues.true') },
              { value: 'false', label: t('vendor.activeValues.false') },
            ]}
            style={{ minWidth: 120 }}
            data-testid="vendor-active-filter"
          />
        </Flex>
        <Table<VendorListItem>
          rowKey="id"
          loading={vendors.isFetching}
          columns={columns}
          dataSource={vendors.data?.items ?? []}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: vendors.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          locale={{ emptyText: t('vendor.empty') }}
          onRow={(v) => testId(`vendor-row-${v.id}`, { onClick: () => navigate(`/vendors/${v.id}`), style: { cursor: 'pointer' } })}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      {creating && (
        <VendorFormModal
          onClose={() => setCreating(false)}
          onSaved={(v) => {
            setCreating(false);
            notifySuccess(t('vendor.created'));
            navigate(`/vendors/${v.id}`);
          }}
        />
      )}
    </>
  );
}
