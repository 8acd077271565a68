import { Alert, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CONTRACT_KINDS } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { useAuth } from '../../app/auth-context';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { useOrganizations } from '../../shared/use-directory.query';
import { useSaveContract } from './use-vendors.mutation';
import { useUcDefinitions } from './use-vendors.query';
import type { ContractKind, ServiceLevel, VendorContract } from './vendor-types';

type ContractForm = {
  number: string;
  title: string;
  kind: ContractKind;
  period: [Dayjs, Dayjs];
  amount: string;
  currency: string;
  orgId: number | null;
  slaDefinitionId: number | null;
  notes: string;
  serviceLevel: ServiceLevel;
};

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const DAY = 'YYYY-MM-DD';

export function ContractFormModal({ vendorId, contract, onClose, onSaved }: { vendorId: number; contract?: VendorContract; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [form] = Form.useForm<ContractForm>();
  const save = useSaveContract();
  const orgs = useOrganizations(can('org.read'));
  const ucs = useUcDefinitions(can('sla.read') || can('settings.manage'));

  const initial: Partial<ContractForm> = contract
    ? {
        ...contract,
        period: [dayjs(contract.startDate), dayjs(contract.endDate)],
        amount: contract.amount ?? '',
      }
    : {
        kind: 'maintenance',
        currency: 'CNY',
        orgId: null,
        slaDefinitionId: null,
        notes: '',
        amount: '',
        serviceLevel: { coverage: '5x8', responseHours: null, onsiteHours: null, resolutionHours: null, sparePartsHours: null, notes: '' },
      };

  const submit = async () => {
    const v = await form.validateFields();
    const sl = v.serviceLevel;
    const request = {
      number: v.number.trim(),
      title: v.title.trim(),
      kind: v.kind,
      startDate: v.period[0].format(DAY),
      endDate: v.period[1].format(DAY),
      amount: v.amount?.trim() ? v.amount.trim() : null,
      currency: v.currency,
      orgId: v.orgId ?? null,
      slaDefinitionId: v.slaDefinitionId ?? null,
      notes: v.notes ?? '',
      serviceLevel: {
        coverage: sl.coverage,
        responseHours: sl.responseHours ?? null,
        onsiteHours: sl.onsiteHours ?? null,
        resolutionHours: sl.resolutionHours ?? null,
        sparePartsHours: sl.sparePartsHours ?? null,
        notes: sl.notes ?? '',
      },
    };
    if (contract) await save.mutateAsync({ id: contract.id, request: { ...request, version: contract.version } });
    else await save.mutateAsync({ request: { ...request, vendorId } });
    onSaved();
  };

  const hours = (name: keyof ServiceLevel, label: string) => (
    <Col xs={12} md={6}>
      <Form.Item name={['serviceLevel', name]} label={label}>
        <InputNumber min={0.5} max={8760} step={1} style={{ width: '100%' }} data-testid={`contract-${name}`} />
      </Form.Item>
    </Col>
  );

  return (
    <Modal
      open
      title={contract ? t('vendor.contract.editTitle') : t('vendor.contract.createTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={testId('contract-save', {})}
      width={820}
      destroyOnHidden
    >
      {save.error && (
        <Alert
          type="error"
          showIcon
          title={isApiError(save.error, 'VERSION_CONFLICT') ? t('vendor.versionConflict') : errorText(save.error)}
          style={{ marginBottom: 16 }}
          data-testid="contract-form-error"
        />
      )}
      <Form<ContractForm> form={form} layout="vertical" preserve={false} initialValues={initial} data-testid="contract-form">
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="number" label={t('vendor.contract.number')} rules={[{ required: true, whitespace: true }]}>
              <Input maxLength={60} data-testid="contract-number" />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="title" label={t('vendor.contract.name')} rules={[{ required: true, whitespace: true }]}>
              <Input maxLength={200} data-testid="contract-title" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="kind" label={t('vendor.contract.kind')}>
              <Select options={CONTRACT_KINDS.map((k) => ({ value: k, label: t(`vendor.contract.kindValues.${k}`) }))} data-testid="contract-kind" />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="period" label={t('vendor.contract.period')} rules={[{ required: true }]}>
              <DatePicker.RangePicker style={{ width: '100%' }} data-testid="contract-period" />
            </Form.Item>
          </Col>
          <Col xs={16} md={8}>
            <Form.Item
              name="amount"
              label={t('vendor.contract.amount')}
              rules={[{ validator: (_r, v: string | undefined) => (!v || AMOUNT.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('vendor.contract.amountInvalid')))) }]}
            >
              <Input inputMode="decimal" data-testid="contract-amount" />
            </Form.Item>
          </Col>
          <Col xs={8} md={6}>
            <Form.Item name="currency" label={t('vendor.contract.currency')} rules={[{ required: true, pattern: /^[A-Z]{3}$/ }]}>
              <Input maxLength={3} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="orgId" label={t('vendor.contract.org')}>
              <Select
                allowClear
                placeholder={t('vendor.contract.orgNone')}
                loading={orgs.isPending && can('org.read')}
                showSearch={{ optionFilterProp: 'label' }}
                options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
                data-testid="contract-org"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="slaDefinitionId" label={t('vendor.contract.sla')}>
              <Select allowClear placeholder={t('vendor.contract.slaNone')} options={(ucs.data ?? []).map((d) => ({ value: d.id, label: d.name }))} data-testid="contract-sla" />
            </Form.Item>
          </Col>
        </Row>
        <div style={{ marginBottom: 8, fontWeight: 500 }}>{t('vendor.contract.serviceLevel')}</div>
        <Row gutter={16}>
          <Col xs={24} md={6}>
            <Form.Item name={['serviceLevel', 'coverage']} label={t('vendor.contract.coverage')}>
              <Select options={(['7x24', '5x8', 'other'] as const).map((c) => ({ value: c, label: t(`vendor.contract.coverageValues.${c}`) }))} data-testid="contract-coverage" />
            </Form.Item>
          </Col>
          {hours('responseHours', t('vendor.contract.responseHours'))}
          {hours('onsiteHours', t('vendor.contract.onsiteHours'))}
          {hours('resolutionHours', t('vendor.contract.resolutionHours'))}
          {hours('sparePartsHours', t('vendor.contract.sparePartsHours'))}
          <Col xs={24} md={18}>
            <Form.Item name={['serviceLevel', 'notes']} label={t('vendor.contract.slNotes')}>
              <Input maxLength={2000} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={t('vendor.notes')}>
              <Input.TextArea rows={2} maxLength={4000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
