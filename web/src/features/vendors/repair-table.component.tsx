import { Link, useNavigate } from 'react-router';
import { Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { testId } from '../../shared/test-id';
import { RepairStatusTag, useTurnaroundText, WarrantyTag } from './vendor-presentation.component';
import type { RepairOrder } from './vendor-types';

/** The repair-order table used by the list, the vendor page and the asset card. */
export function RepairTable({
  items,
  loading,
  showAsset = true,
  pagination = false,
}: {
  items: RepairOrder[];
  loading?: boolean;
  showAsset?: boolean;
  pagination?: false | { current: number; pageSize: number; total: number; onChange: (p: number) => void };
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const turnaround = useTurnaroundText();
  const columns: TableColumnsType<RepairOrder> = [
    {
      title: t('vendor.repair.number'),
      key: 'number',
      render: (_v, r) => (
        <Link to={`/repairs/${r.id}`} data-testid={`repair-link-${r.id}`} onClick={(e) => e.stopPropagation()}>
          {r.number}
        </Link>
      ),
    },
    ...(showAsset ? [{ title: t('vendor.repair.asset'), key: 'asset', render: (_v: unknown, r: RepairOrder) => `${r.assetTag} ${r.assetName}` }] : []),
    { title: t('vendor.repair.status'), key: 'status', render: (_v, r) => <RepairStatusTag status={r.status} /> },
    { title: t('vendor.repair.warranty'), key: 'warranty', render: (_v, r) => <WarrantyTag inWarranty={r.inWarranty} /> },
    { title: t('vendor.repair.vendor'), key: 'vendor', render: (_v, r) => r.vendorName ?? '-' },
    { title: t('vendor.repair.rmaNumber'), key: 'rma', render: (_v, r) => r.rmaNumber ?? '-' },
    {
      title: t('vendor.repair.turnaround'),
      key: 'turnaround',
      render: (_v, r) => (
        <>
          {turnaround(r.turnaroundHours)} {r.overdue && <Tag color="red">{t('vendor.repair.overdue')}</Tag>}
        </>
      ),
    },
    { title: t('vendor.repair.estimatedCost'), key: 'cost', render: (_v, r) => r.estimatedCost ?? '-' },
    { title: t('vendor.repair.createdAt'), key: 'created', render: (_v, r) => formatDateTime(r.createdAt) },
  ];
  return (
    <Table<RepairOrder>
      rowKey="id"
      size="small"
      loading={loading}
      columns={columns}
      dataSource={items}
      pagination={pagination === false ? false : { ...pagination, showSizeChanger: false }}
      locale={{ emptyText: t('vendor.repair.empty') }}
      onRow={(r) => testId(`repair-row-${r.id}`, { onClick: () => navigate(`/repairs/${r.id}`), style: { cursor: 'pointer' } })}
      scroll={{ x: 'max-content' }}
    />
  );
}
