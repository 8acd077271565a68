import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Card, Checkbox, Flex, Input, Select } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { REPAIR_STATUSES } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { PageHeader } from '../../shared/page-header.component';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { RepairFormModal } from './repair-form-modal.component';
import { RepairTable } from './repair-table.component';
import { useRepairs } from './use-vendors.query';
import type { RepairStatus } from './vendor-types';

const PAGE_SIZE = 20;

export function RepairListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<RepairStatus | 'open' | 'final' | undefined>('open');
  const [warranty, setWarranty] = useState<'in' | 'out' | undefined>();
  const [overdue, setOverdue] = useState(false);
  const [mine, setMine] = useState(false);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const q = useDebouncedValue(search.trim());
  const stateFilter = status === 'open' || status === 'final' ? { state: status } : status ? { status } : {};
  const repairs = useRepairs({
    ...stateFilter,
    ...(warranty ? { inWarranty: warranty === 'in' } : {}),
    ...(overdue ? { overdue: true } : {}),
    ...(mine ? { pendingMyApproval: true } : {}),
    ...(q ? { q } : {}),
    page,
    pageSize: PAGE_SIZE,
  });
  const reset = () => setPage(1);

  return (
    <>
      <PageHeader
        title={t('vendor.repair.title')}
        testId="page-title"
        extra={
          can('asset.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="repair-new">
              {t('vendor.repair.create')}
            </Button>
          )
        }
      />
      <Card>
        <Flex wrap gap={8} align="center" style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('vendor.repair.search')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              reset();
            }}
            style={{ maxWidth: 320 }}
            data-testid="repair-search"
          />
          <Select<RepairStatus | 'open' | 'final'>
            allowClear
            placeholder={t('vendor.repair.status')}
            value={status}
            onChange={(v) => {
              setStatus(v ?? undefined);
              reset();
            }}
            options={[
              { value: 'open', label: t('vendor.repair.stateFilter.open') },
              { value: 'final', label: t('vendor.repair.stateFilter.final') },
              ...REPAIR_STATUSES.map((s) => ({ value: s, label: t(`vendor.repair.statusValues.${s}`) })),
            ]}
            style={{ minWidth: 150 }}
            data-testid="repair-status-filter"
          />
          <Select<'in' | 'out'>
            allowClear
            placeholder={t('vendor.repair.warrantyFilter')}
            value={warranty}
            onChange={(v) => {
              setWarranty(v ?? undefined);
              reset();
            }}
            options={[
              { value: 'in', label: t('vendor.repair.inWarranty') },
              { value: 'out', label: t('vendor.repair.outOfWarranty') },
            ]}
            style={{ minWidth: 140 }}
            data-testid="repair-warranty-filter"
          />
          <Checkbox
            checked={overdue}
            onChange={(e) => {
              setOverdue(e.target.checked);
              reset();
            }}
            data-testid="repair-overdue-filter"
          >
            {t('vendor.repair.overdueOnly')}
          </Checkbox>
          {can('repair.approve') && (
            <Checkbox
              checked={mine}
              onChange={(e) => {
                setMine(e.target.checked);
                if (e.target.checked) setStatus(undefined);
                reset();
              }}
              data-testid="repair-pending-mine"
            >
              {t('vendor.repair.pendingMine')}
            </Checkbox>
          )}
        </Flex>
        <RepairTable
          loading={repairs.isFetching}
          items={repairs.data?.items ?? []}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: repairs.data?.total ?? 0, onChange: setPage }}
        />
      </Card>
      {creating && (
        <RepairFormModal
          onClose={() => setCreating(false)}
          onSaved={(r) => {
            setCreating(false);
            notifySuccess(t('vendor.repair.created'));
            navigate(`/repairs/${r.id}`);
          }}
        />
      )}
    </>
  );
}
