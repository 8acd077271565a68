import { Alert, Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { useOrganizations } from '../../shared/use-directory.query';
import type { SparePartDetail } from './asset-types';
import { useCreateSparePart, useUpdateSparePart } from './use-assets.mutation';

interface PartForm {
  partNumber: string;
  name: string;
  category: string;
  model: string;
  unit: string;
  minStock: number;
  /** 0: the provider's shared stock (a Select cannot hold null as an option value). */
  orgId: number;
  notes: string;
}

export function SparePartFormModal({ part, onClose, onSaved }: { part?: SparePartDetail; onClose: () => void; onSaved: (p: SparePartDetail) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PartForm>();
  const create = useCreateSparePart();
  const update = useUpdateSparePart(part?.id ?? 0);
  const mutation = part ? update : create;
  const organizations = useOrganizations(!part);

  const submit = async () => {
    const v = await form.validateFields();
    const common = { partNumber: v.partNumber.trim(), name: v.name.trim(), category: v.category.trim(), model: v.model.trim(), unit: v.unit.trim(), minStock: v.minStock, notes: v.notes };
    const saved = part ? await update.mutateAsync({ version: part.version, ...common }) : await create.mutateAsync({ ...common, orgId: v.orgId > 0 ? v.orgId : null });
    onSaved(saved);
  };

  const error = mutation.error;
  return (
    <Modal
      open
      title={part ? t('asset.spare.editTitle') : t('asset.spare.createTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      okButtonProps={testId('spare-save', {})}
      width={680}
      destroyOnHidden
    >
      {error && (
        <Alert type="error" showIcon title={isApiError(error, 'VERSION_CONFLICT') ? t('asset.versionConflict') : errorText(error)} style={{ marginBottom: 16 }} data-testid="spare-form-error" />
      )}
      <Form<PartForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          partNumber: part?.partNumber ?? '',
          name: part?.name ?? '',
          category: part?.category ?? '',
          model: part?.model ?? '',
          unit: part?.unit ?? '个',
          minStock: part?.minStock ?? 0,
          orgId: part?.orgId ?? 0,
          notes: part?.notes ?? '',
        }}
        data-testid="spare-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="partNumber" label={t('asset.spare.partNumber')} rules={[{ required: true, whitespace: true, message: t('asset.spare.partNumberRequired') }]}>
              <Input maxLength={60} autoComplete="off" data-testid="spare-part-number" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('asset.spare.name')} rules={[{ required: true, whitespace: true, message: t('asset.nameRequired') }]}>
              <Input maxLength={200} autoComplete="off" data-testid="spare-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="category" label={t('asset.spare.category')}>
              <Input maxLength={100} autoComplete="off" data-testid="spare-category" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="model" label={t('asset.spare.model')}>
              <Input maxLength={200} autoComplete="off" data-testid="spare-model" />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name="unit" label={t('asset.spare.unit')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
              <Input maxLength={20} autoComplete="off" data-testid="spare-unit" />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name="minStock" label={t('asset.spare.minStock')} rules={[{ required: true, message: t('common.required') }]}>
              <InputNumber min={0} max={1_000_000} precision={0} style={{ width: '100%' }} data-testid="spare-min-stock" />
            </Form.Item>
          </Col>
          {!part && (
            <Col xs={24}>
              <Form.Item name="orgId" label={t('asset.spare.org')}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={organizations.isPending}
                  options={[{ value: 0, label: t('asset.spare.shared') }, ...(organizations.data ?? []).filter((o) => o.kind === 'customer').map((o) => ({ value: o.id, label: o.name }))]}
                  data-testid="spare-org"
                />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Form.Item name="notes" label={t('asset.spare.notes')}>
          <Input.TextArea rows={2} maxLength={4000} data-testid="spare-notes" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
