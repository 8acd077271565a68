import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Checkbox, Flex, Input, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { useOrganizations } from '../../shared/use-directory.query';
import { AssetFormModal } from './asset-form-modal.component';
import { AssetImportanceTag, AssetStatusTag } from './asset-presentation.component';
import { ASSET_KINDS, ASSET_STATUSES, type Asset, type AssetKind, type AssetStatus } from './asset-types';
import { useAssetCategories, useAssets, type AssetListQuery } from './use-assets.query';

const PAGE_SIZE = 20;
const WARRANTY_DAYS = [30, 60, 90, 180];
type SortKey = NonNullable<AssetListQuery['sort']>;
const SORTABLE: Record<string, SortKey> = { assetTag: 'assetTag', name: 'name', warrantyEnd: 'warrantyEnd', updatedAt: 'updatedAt' };

export function AssetListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const organizations = useOrganizations();
  const categories = useAssetCategories();
  const [search, setSearch] = useState('');
  const [orgId, setOrgId] = useState<number | undefined>();
  const [status, setStatus] = useState<AssetStatus | undefined>();
  const [kind, setKind] = useState<AssetKind | undefined>();
  const [category, setCategory] = useState<string | undefined>();
  const [warrantyWithinDays, setWarrantyWithinDays] = useState<number | undefined>();
  const [includeDisposed, setIncludeDisposed] = useState(false);
  const [sort, setSort] = useState<{ sort: SortKey; order: 'asc' | 'desc' }>({ sort: 'id', order: 'desc' });
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number[]>([]);
  const [creating, setCreating] = useState(false);
  const q = useDebouncedValue(search.trim());
  const assets = useAssets({ q: q || undefined, orgId, status, kind, category, warrantyWithinDays, includeDisposed: includeDisposed || undefined, ...sort, page, pageSize: PAGE_SIZE });
  const filter =
    <T,>(set: (v: T | undefined) => void) =>
    (v: T | undefined | null) => {
      set(v ?? undefined);
      setPage(1);
    };
  const sortOrder = (key: SortKey) => (sort.sort === key ? (sort.order === 'asc' ? 'ascend' : 'descend') : null);

  const columns: TableColumnsType<Asset> = [
    {
      title: t('asset.tag'),
      key: 'assetTag',
      sorter: true,
      sortOrder: sortOrder('assetTag'),
      render: (_v, a) => (
        <Link to={`/assets/${a.id}`} data-testid={`asset-link-${a.id}`} onClick={(e) => e.stopPropagation()}>
          {a.assetTag}
        </Link>
      ),
    },
    { title: t('asset.name'), key: 'name', dataIndex: 'name', sorter: true, sortOrder: sortOrder('name') },
    { title: t('asset.kind'), key: 'kind', render: (_v, a) => t(`asset.kindValues.${a.kind}`) },
    { title: t('asset.category'), key: 'category', render: (_v, a) => a.category || t('common.none') },
    { title: t('asset.org'), key: 'org', dataIndex: 'orgName' },
    { title: t('asset.status'), key: 'status', render: (_v, a) => <AssetStatusTag status={a.status} /> },
    { title: t('asset.importance'), key: 'importance', render: (_v, a) => <AssetImportanceTag importance={a.importance} /> },
    { title: t('asset.user'), key: 'user', render: (_v, a) => a.userName ?? t('common.none') },
    { title: t('asset.warrantyEnd'), key: 'warrantyEnd', sorter: true, sortOrder: sortOrder('warrantyEnd'), render: (_v, a) => a.warrantyEnd ?? t('common.none') },
    { title: t('asset.updatedAt'), key: 'updatedAt', sorter: true, sortOrder: sortOrder('updatedAt'), render: (_v, a) => formatDateTime(a.updatedAt) },
  ];

  return (
    <>
      <PageHeader
        title={t('asset.title')}
        testId="page-title"
        extra={
          <>
            <Button icon={<PrinterOutlined />} disabled={selected.length === 0} onClick={() => navigate(`/assets/labels?ids=${selected.join(',')}`)} data-testid="asset-print-labels">
              {selected.length ? t('asset.printSelected', { count: selected.length }) : t('asset.printLabels')}
            </Button>
            {can('asset.manage') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="asset-new">
                {t('asset.create')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        <Flex wrap gap={8} style={{ marginBottom: 16 }} align="center">
          <Input.Search
            allowClear
            placeholder={t('asset.search')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
            style={{ maxWidth: 320 }}
            data-testid="asset-search"
          />
          <Select<number>
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('asset.orgFilter')}
            value={orgId}
            onChange={filter(setOrgId)}
            options={(organizations.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
            style={{ minWidth: 160 }}
            data-testid="asset-org-filter"
          />
          <Select<AssetStatus>
            allowClear
            placeholder={t('asset.statusFilter')}
            value={status}
            onChange={filter(setStatus)}
            options={ASSET_STATUSES.map((s) => ({ value: s, label: t(`asset.statusValues.${s}`) }))}
            style={{ minWidth: 120 }}
            data-testid="asset-status-filter"
          />
          <Select<AssetKind>
            allowClear
            placeholder={t('asset.kindFilter')}
            value={kind}
            onChange={filter(setKind)}
            options={ASSET_KINDS.map((k) => ({ value: k, label: t(`asset.kindValues.${k}`) }))}
            style={{ minWidth: 110 }}
            data-testid="asset-kind-filter"
          />
          <Select<string>
            allowClear
            placeholder={t('asset.categoryFilter')}
            value={category}
            onChange={filter(setCategory)}
            options={(categories.data ?? []).map((c) => ({ value: c, label: c }))}
            style={{ minWidth: 120 }}
            data-testid="asset-category-filter"
          />
          <Select<number>
            allowClear
            placeholder={t('asset.warrantyFilter')}
            value={warrantyWithinDays}
            onChange={filter(setWarrantyWithinDays)}
            options={WARRANTY_DAYS.map((d) => ({ value: d, label: t('asset.warrantyWithin', { days: d }) }))}
            style={{ minWidth: 140 }}
            data-testid="asset-warranty-filter"
          />
          <Checkbox
            checked={includeDisposed}
            onChange={(e) => {
              setIncludeDisposed(e.target.checked);
              setPage(1);
            }}
            data-testid="asset-include-disposed"
          >
            {t('asset.includeDisposed')}
          </Checkbox>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('asset.selectForLabels')}
        </Typography.Paragraph>
        <Table<Asset>
          rowKey="id"
          loading={assets.isFetching}
          columns={columns}
          dataSource={assets.data?.items ?? []}
          rowSelection={{
            selectedRowKeys: selected,
            preserveSelectedRowKeys: true,
            onChange: (keys) => setSelected(keys.map(Number)),
            getCheckboxProps: (a) => testId(`asset-select-${a.id}`, {}),
          }}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: assets.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          onChange={(_p, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const key = s?.order ? SORTABLE[String(s.columnKey)] : undefined;
            setSort(key ? { sort: key, order: s?.order === 'ascend' ? 'asc' : 'desc' } : { sort: 'id', order: 'desc' });
          }}
          locale={{ emptyText: t('asset.empty') }}
          onRow={(a) => testId(`asset-row-${a.id}`, { onClick: () => navigate(`/assets/${a.id}`), style: { cursor: 'pointer' } })}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      {creating && (
        <AssetFormModal
          open
          onClose={() => setCreating(false)}
          onSaved={(a) => {
            setCreating(false);
            notifySuccess(t('asset.created'));
            navigate(`/assets/${a.id}`);
          }}
        />
      )}
    </>
  );
}
