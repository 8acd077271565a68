import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { useCreateRepair } from './use-vendors.mutation';
import { useVendorContracts, useVendors } from './use-vendors.query';
import type { RepairOrderDetail } from './vendor-types';

type RepairForm = { assetId: number; fault: string; vendorId: number | null; contractId: number | null; ticketId: number | null };
type AssetOption = { id: number; assetTag: string; name: string };

/** Asset search for the picker: the asset list API, by tag or name. */
function useAssetOptions(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['assets', 'repair-picker', q],
    queryFn: ({ signal }) => api.get<{ items: AssetOption[] }>('/api/assets', { q: q || undefined, pageSize: 20 }, signal),
    enabled,
  });
}

/** New repair order: for a fixed asset (asset page) or one picked here (repair list). */
export function RepairFormModal({ assetId, onClose, onSaved }: { assetId?: number; onClose: () => void; onSaved: (r: RepairOrderDetail) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RepairForm>();
  const create = useCreateRepair();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const assets = useAssetOptions(q, assetId === undefined);
  const vendorId = Form.useWatch('vendorId', form);
  const vendors = useVendors({ active: true, pageSize: 200 });
  const contracts = useVendorContracts({ ...(vendorId ? { vendorId } : {}), pageSize: 200 }, Boolean(vendorId));

  const submit = async () => {
    const v = await form.validateFields();
    const saved = await create.mutateAsync({
      assetId: assetId ?? v.assetId,
      fault: v.fault.trim(),
      vendorId: v.vendorId ?? null,
      contractId: v.contractId ?? null,
      ticketId: v.ticketId ?? null,
    });
    onSaved(saved);
  };

  return (
    <Modal
      open
      title={t('vendor.repair.createTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      okButtonProps={testId('repair-save', {})}
      destroyOnHidden
    >
      {create.error && <Alert type="error" showIcon title={errorText(create.error)} style={{ marginBottom: 16 }} data-testid="repair-form-error" />}
      <Form<RepairForm> form={form} layout="vertical" preserve={false} initialValues={{ vendorId: null, contractId: null, ticketId: null }} data-testid="repair-form">
        {assetId === undefined && (
          <Form.Item name="assetId" label={t('vendor.repair.asset')} rules={[{ required: true, message: t('vendor.repair.assetRequired') }]}>
            <Select
              showSearch={{ filterOption: false, onSearch: setSearch }}
              placeholder={t('vendor.repair.assetSearch')}
              loading={assets.isFetching}
              options={(assets.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.assetTag} ${a.name}` }))}
              data-testid="repair-asset"
            />
          </Form.Item>
        )}
        <Form.Item name="fault" label={t('vendor.repair.fault')} rules={[{ required: true, whitespace: true, message: t('vendor.repair.faultRequired') }]}>
          <Input.TextArea rows={3} maxLength={4000} data-testid="repair-fault" />
        </Form.Item>
        <Form.Item name="vendorId" label={t('vendor.repair.vendor')} extra={t('vendor.repair.vendorDefault')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={(vendors.data?.items ?? []).map((v) => ({ value: v.id, label: v.name }))}
            onChange={() => form.setFieldValue('contractId', null)}
            data-testid="repair-vendor"
          />
        </Form.Item>
        <Form.Item name="contractId" label={t('vendor.repair.contractField')} extra={t('vendor.repair.contractDefault')}>
          <Select
            allowClear
            disabled={!vendorId}
            options={(contracts.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.number} ${c.title} (${c.endDate})` }))}
            data-testid="repair-contract"
          />
        </Form.Item>
        <Form.Item name="ticketId" label={t('vendor.repair.ticket')}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="repair-ticket" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
