import dayjs, { type Dayjs } from 'dayjs';
import { Alert, Col, DatePicker, Divider, Form, Input, Modal, Row, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { UserLookupSelect } from '../../shared/user-lookup-select.component';
import { useOrganizations } from '../../shared/use-directory.query';
import { CiPicker } from '../cmdb/ci-picker.component';
import { useVendorContracts, useVendors } from '../vendors/use-vendors.query';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { ASSET_IMPORTANCES, ASSET_KINDS, type Asset, type AssetImportance, type AssetKind } from './asset-types';
import { useCreateAsset, useUpdateAsset } from './use-assets.mutation';

interface AssetForm {
  assetTag: string;
  name: string;
  kind: AssetKind;
  orgId: number | undefined;
  ciId: number | undefined;
  status: 'in_stock' | 'in_use';
  category: string;
  model: string;
  manufacturer: string;
  serialNumber: string;
  department: string;
  userId: number | null;
  location: string;
  importance: AssetImportance;
  purchaseDate: string | null;
  purchasePrice: string;
  warrantyEnd: string | null;
  vendorId: number | null;
  contractId: number | null;
  notes: string;
}

const TAG = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const MONEY = /^\d{1,12}(\.\d{1,2})?$/;
const blankToNull = (v: string | undefined | null) => {
  const s = (v ?? '').trim();
  return s === '' ? null : s;
};

function initialValues(a: Asset | undefined): AssetForm {
  return {
    assetTag: a?.assetTag ?? '',
    name: a?.name ?? '',
    kind: a?.kind ?? 'hardware',
    orgId: a?.orgId,
    ciId: a?.ciId ?? undefined,
    status: 'in_stock',
    category: a?.category ?? '',
    model: a?.model ?? '',
    manufacturer: a?.manufacturer ?? '',
    serialNumber: a?.serialNumber ?? '',
    department: a?.department ?? '',
    userId: a?.userId ?? null,
    location: a?.location ?? '',
    importance: a?.importance ?? 'normal',
    purchaseDate: a?.purchaseDate ?? null,
    purchasePrice: a?.purchasePrice ?? '',
    warrantyEnd: a?.warrantyEnd ?? null,
    vendorId: a?.vendorId ?? null,
    contractId: a?.contractId ?? null,
    notes: a?.notes ?? '',
  };
}

const dateProps = {
  getValueProps: (v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : null }),
  normalize: (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null),
};

/** Create or edit an asset; the status changes through the lifecycle actions, not here. */
export function AssetFormModal({ open, asset, onClose, onSaved }: { open: boolean; asset?: Asset; onClose: () => void; onSaved: (a: Asset) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<AssetForm>();
  // Vendor and contract pickers: vendors searched by name, contracts of the chosen vendor.
  const [vendorSearch, setVendorSearch] = useState('');
  const vendorQuery = useDebouncedValue(vendorSearch.trim());
  const vendorId = Form.useWatch('vendorId', form) ?? undefined;
  const vendors = useVendors({ q: vendorQuery || undefined, pageSize: 50 });
  const contracts = useVendorContracts({ vendorId: vendorId ?? undefined, pageSize: 200 }, typeof vendorId === 'number');
  const vendorOptions = useMemo(() => {
    const opts = (vendors.data?.items ?? []).map((v) => ({ value: v.id, label: v.name }));
    // Keep the current vendor selectable (and named) when the search does not return it.
    if (asset?.vendorId && !opts.some((o) => o.value === asset.vendorId)) opts.unshift({ value: asset.vendorId, label: asset.vendorName ?? `#${asset.vendorId}` });
    return opts;
  }, [vendors.data, asset]);
  const create = useCreateAsset();
  const update = useUpdateAsset(asset?.id ?? 0);
  const mutation = asset ? update : create;
  const organizations = useOrganizations(open);

  const submit = async () => {
    const v = await form.validateFields();
    const body = {
      name: v.name.trim(),
      kind: v.kind,
      orgId: v.orgId ?? 0,
      ciId: v.ciId ?? null,
      category: v.category.trim(),
      model: v.model.trim(),
      manufacturer: v.manufacturer.trim(),
      serialNumber: blankToNull(v.serialNumber),
      department: v.department.trim(),
      userId: v.userId ?? null,
      location: v.location.trim(),
      importance: v.importance,
      purchaseDate: v.purchaseDate ?? null,
      purchasePrice: blankToNull(v.purchasePrice),
      warrantyEnd: v.warrantyEnd ?? null,
      vendorId: v.vendorId ?? null,
      contractId: v.contractId ?? null,
      notes: v.notes,
    };
    const tag = blankToNull(v.assetTag);
    const saved = asset
      ? await update.mutateAsync({ version: asset.version, ...body, ...(tag ? { assetTag: tag } : {}) })
      : await create.mutateAsync({ ...body, status: v.status, ...(tag ? { assetTag: tag } : {}) });
    onSaved(saved);
  };

  const close = () => {
    create.reset();
    update.reset();
    onClose();
  };
  const error = mutation.error;
  return (
    <Modal
      open={open}
      title={asset ? t('asset.editTitle') : t('asset.createTitle')}
      onCancel={close}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      okButtonProps={testId('asset-save', {})}
      width={780}
      destroyOnHidden
    >
      {error && (
        <Alert
          type="error"
          showIcon
          title={isApiError(error, 'VERSION_CONFLICT') ? t('asset.versionConflict') : errorText(error)}
          style={{ marginBottom: 16 }}
          data-testid="asset-form-error"
        />
      )}
      <Form<AssetForm> form={form} layout="vertical" preserve={false} initialValues={initialValues(asset)} data-testid="asset-form">
        <Divider titlePlacement="start">{t('asset.basics')}</Divider>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('asset.name')} rules={[{ required: true, whitespace: true, message: t('asset.nameRequired') }]}>
              <Input maxLength={200} autoComplete="off" data-testid="asset-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="assetTag"
              label={t('asset.tag')}
              extra={asset ? undefined : t('asset.tagHint')}
              rules={[{ validator: (_r, v: string | undefined) => (!v?.trim() || TAG.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('asset.tagInvalid')))) }]}
            >
              <Input maxLength={40} autoComplete="off" data-testid="asset-tag" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="kind" label={t('asset.kind')}>
              <Select options={ASSET_KINDS.map((k) => ({ value: k, label: t(`asset.kindValues.${k}`) }))} data-testid="asset-kind" aria-label={t('asset.kind')} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="importance" label={t('asset.importance')}>
              <Select options={ASSET_IMPORTANCES.map((i) => ({ value: i, label: t(`asset.importanceValues.${i}`) }))} data-testid="asset-importance" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="orgId" label={t('asset.org')} rules={[{ required: true, message: t('asset.orgRequired') }]}>
              <Select
                loading={organizations.isPending}
                showSearch={{ optionFilterProp: 'label' }}
                options={(organizations.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
                data-testid="asset-org"
                aria-label={t('asset.org')}
                optionRender={(option) => <span data-testid={`asset-org-option-${String(option.value)}`}>{option.label}</span>}
              />
            </Form.Item>
          </Col>
          {!asset && (
            <Col xs={12} md={6}>
              <Form.Item name="status" label={t('asset.status')}>
                <Select
                  options={(['in_stock', 'in_use'] as const).map((s) => ({ value: s, label: t(`asset.statusValues.${s}`) }))}
                  data-testid="asset-initial-status"
                />
              </Form.Item>
            </Col>
          )}
          <Col xs={12} md={6}>
            <Form.Item name="category" label={t('asset.category')}>
              <Input maxLength={100} autoComplete="off" data-testid="asset-category" />
            </Form.Item>
          </Col>
          <Col xs={24} md={asset ? 18 : 12}>
            <Form.Item name="ciId" label={t('asset.ci')} extra={t('asset.ciHint')}>
              <CiPicker testId="asset-ci" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="model" label={t('asset.model')}>
              <Input maxLength={200} autoComplete="off" data-testid="asset-model" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="manufacturer" label={t('asset.manufacturer')}>
              <Input maxLength={200} autoComplete="off" data-testid="asset-manufacturer" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="serialNumber" label={t('asset.serialNumber')}>
              <Input maxLength={200} autoComplete="off" data-testid="asset-serial" />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('asset.usage')}</Divider>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="department" label={t('asset.department')}>
              <Input maxLength={200} autoComplete="off" data-testid="asset-department" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="userId" label={t('asset.user')}>
              <UserLookupSelect testId="asset-user" currentLabel={asset?.userName ?? null} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="location" label={t('asset.location')}>
              <Input maxLength={200} autoComplete="off" data-testid="asset-location" />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('asset.finance')}</Divider>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="purchaseDate" label={t('asset.purchaseDate')} {...dateProps}>
              <DatePicker style={{ width: '100%' }} data-testid="asset-purchase-date" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="purchasePrice"
              label={t('asset.purchasePrice')}
              rules={[{ validator: (_r, v: string | undefined) => (!v?.trim() || MONEY.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('asset.priceInvalid')))) }]}
            >
              <Input inputMode="decimal" autoComplete="off" data-testid="asset-price" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="warrantyEnd" label={t('asset.warrantyEnd')} {...dateProps}>
              <DatePicker style={{ width: '100%' }} data-testid="asset-warranty-end" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="vendorId" label={t('asset.vendorId')}>
              <Select<number>
                allowClear
                showSearch={{ filterOption: false, onSearch: setVendorSearch }}
                loading={vendors.isFetching}
                options={vendorOptions}
                onChange={() => form.setFieldValue('contractId', null)}
                data-testid="asset-vendor-id"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="contractId" label={t('asset.contractId')}>
              <Select<number>
                allowClear
                disabled={!vendorId}
                loading={contracts.isFetching}
                options={(contracts.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.number} ${c.title}` }))}
                data-testid="asset-contract-id"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="notes" label={t('asset.notes')}>
          <Input.TextArea rows={3} maxLength={4000} data-testid="asset-notes" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
