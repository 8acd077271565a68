import { Alert, Button, Checkbox, Col, Form, Input, Modal, Row, Select, Space, Switch } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { VENDOR_KINDS } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { useSaveVendor } from './use-vendors.mutation';
import type { Vendor, VendorContact } from './vendor-types';

type VendorForm = {
  name: string;
  kind: Vendor['kind'];
  creditCode: string;
  address: string;
  website: string;
  notes: string;
  active: boolean;
  contacts: VendorContact[];
};

const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export function VendorFormModal({ vendor, onClose, onSaved }: { vendor?: Vendor; onClose: () => void; onSaved: (v: Vendor) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<VendorForm>();
  const save = useSaveVendor();

  const submit = async () => {
    const v = await form.validateFields();
    const request = {
      name: v.name.trim(),
      kind: v.kind,
      creditCode: v.creditCode?.trim() ? v.creditCode.trim().toUpperCase() : null,
      address: v.address ?? '',
      website: v.website ?? '',
      notes: v.notes ?? '',
      active: v.active,
      contacts: (v.contacts ?? []).map((c) => ({ name: c.name, role: c.role ?? '', phone: c.phone ?? '', email: c.email ?? '', primary: Boolean(c.primary) })),
    };
    const saved = vendor ? await save.mutateAsync({ id: vendor.id, request: { ...request, version: vendor.version } }) : await save.mutateAsync({ request });
    onSaved(saved);
  };

  const initial: VendorForm = vendor
    ? { ...vendor, creditCode: vendor.creditCode ?? '' }
    : { name: '', kind: 'hardware', creditCode: '', address: '', website: '', notes: '', active: true, contacts: [] };

  return (
    <Modal
      open
      title={vendor ? t('vendor.editTitle') : t('vendor.createTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={testId('vendor-save', {})}
      width={820}
      destroyOnHidden
    >
      {save.error && (
        <Alert
          type="error"
          showIcon
          title={isApiError(save.error, 'VERSION_CONFLICT') ? t('vendor.versionConflict') : errorText(save.error)}
          style={{ marginBottom: 16 }}
          data-testid="vendor-form-error"
        />
      )}
      <Form<VendorForm> form={form} layout="vertical" preserve={false} initialValues={initial} data-testid="vendor-form">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('vendor.name')} rules={[{ required: true, whitespace: true, message: t('vendor.nameRequired') }]}>
              <Input maxLength={120} data-testid="vendor-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="kind" label={t('vendor.kind')}>
              <Select options={VENDOR_KINDS.map((k) => ({ value: k, label: t(`vendor.kindValues.${k}`) }))} data-testid="vendor-kind" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="active" label={t('vendor.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="creditCode"
              label={t('vendor.creditCode')}
              extra={t('vendor.creditCodeHint')}
              rules={[{ validator: (_r, v: string | undefined) => (!v || CREDIT_CODE.test(v.trim().toUpperCase()) ? Promise.resolve() : Promise.reject(new Error(t('vendor.creditCodeInvalid')))) }]}
            >
              <Input maxLength={18} data-testid="vendor-credit-code" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="website" label={t('vendor.website')}>
              <Input maxLength={300} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="address" label={t('vendor.address')}>
              <Input maxLength={300} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={t('vendor.notes')}>
              <Input.TextArea rows={2} maxLength={4000} />
            </Form.Item>
          </Col>
        </Row>
        <Form.List name="contacts">
          {(fields, { add, remove }) => (
            <>
              <div style={{ marginBottom: 8, fontWeight: 500 }}>{t('vendor.contacts')}</div>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }} data-testid={`vendor-contact-${f.name}`}>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('vendor.contactName') }]}>
                    <Input placeholder={t('vendor.contactName')} maxLength={60} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'role']}>
                    <Input placeholder={t('vendor.contactRole')} maxLength={60} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'phone']}>
                    <Input placeholder={t('vendor.contactPhone')} maxLength={40} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'email']} rules={[{ type: 'email' }]}>
                    <Input placeholder={t('vendor.contactEmail')} maxLength={200} style={{ width: 180 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'primary']} valuePropName="checked">
                    <Checkbox>{t('vendor.contactPrimary')}</Checkbox>
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="remove" />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ name: '', role: '', phone: '', email: '', primary: fields.length === 0 })} data-testid="vendor-add-contact">
                {t('vendor.addContact')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
