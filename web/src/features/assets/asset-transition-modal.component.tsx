import { Alert, Checkbox, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { UserLookupSelect } from '../../shared/user-lookup-select.component';
import { WIPE_METHODS, type Asset, type AssetStatus, type WipeMethod } from './asset-types';
import { useTransitionAsset } from './use-assets.mutation';

interface TransitionForm {
  note: string;
  ticketId: number | null;
  userId: number | null;
  department: string;
  location: string;
  wipeConfirmed: boolean;
  wipeMethod: WipeMethod | undefined;
  wipeCertificate: string;
}

/**
 * One lifecycle move. A move to in use may name the user and department; disposing of hardware asks
 * for the data-wipe confirmation and method (the server refuses without them too).
 */
export function AssetTransitionModal({ asset, to, onClose, onDone }: { asset: Asset; to: AssetStatus; onClose: () => void; onDone: (a: Asset) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TransitionForm>();
  const transition = useTransitionAsset(asset.id);
  const disposing = to === 'disposed';
  const needsWipe = disposing && asset.kind === 'hardware';

  const submit = async () => {
    const v = await form.validateFields();
    const saved = await transition.mutateAsync({
      to,
      version: asset.version,
      note: v.note.trim(),
      ticketId: v.ticketId ?? null,
      ...(to === 'in_use' ? { userId: v.userId ?? null, department: v.department.trim() } : {}),
      ...(v.location.trim() && v.location.trim() !== asset.location ? { location: v.location.trim() } : {}),
      ...(disposing && v.wipeConfirmed && v.wipeMethod
        ? { wipe: { confirmed: true, method: v.wipeMethod, ...(v.wipeCertificate.trim() ? { certificate: v.wipeCertificate.trim() } : {}) } }
        : {}),
    });
    onDone(saved);
  };

  return (
    <Modal
      open
      title={t('asset.transitionTitle', { from: t(`asset.statusValues.${asset.status}`), to: t(`asset.statusValues.${to}`) })}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={transition.isPending}
      okButtonProps={testId('asset-transition-ok', { danger: disposing })}
      destroyOnHidden
    >
      {transition.error && <Alert type="error" showIcon title={errorText(transition.error)} style={{ marginBottom: 16 }} data-testid="asset-transition-error" />}
      {disposing && <Alert type="warning" showIcon title={t('asset.disposeWarning')} style={{ marginBottom: 16 }} />}
      <Form<TransitionForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ note: '', ticketId: null, userId: asset.userId, department: asset.department, location: asset.location, wipeConfirmed: false, wipeMethod: undefined, wipeCertificate: '' }}
        data-testid="asset-transition-form"
      >
        {to === 'in_use' && (
          <>
            <Form.Item name="userId" label={t('asset.user')}>
              <UserLookupSelect testId="asset-transition-user" currentLabel={asset.userName} />
            </Form.Item>
            <Form.Item name="department" label={t('asset.department')}>
              <Input maxLength={200} data-testid="asset-transition-department" />
            </Form.Item>
          </>
        )}
        <Form.Item name="location" label={t('asset.location')}>
          <Input maxLength={200} data-testid="asset-transition-location" />
        </Form.Item>
        {needsWipe && (
          <>
            <Form.Item
              name="wipeConfirmed"
              valuePropName="checked"
              rules={[{ validator: (_r, v: boolean) => (v ? Promise.resolve() : Promise.reject(new Error(t('asset.wipeConfirmRequired')))) }]}
            >
              <Checkbox data-testid="asset-wipe-confirm">{t('asset.wipeConfirm')}</Checkbox>
            </Form.Item>
            <Form.Item name="wipeMethod" label={t('asset.wipeMethod')} rules={[{ required: true, message: t('asset.wipeMethodRequired') }]}>
              <Select
                options={WIPE_METHODS.map((m) => ({ value: m, label: t(`asset.wipeMethods.${m}`) }))}
                data-testid="asset-wipe-method"
                aria-label={t('asset.wipeMethod')}
                optionRender={(option) => <span data-testid={`asset-wipe-method-option-${String(option.value)}`}>{option.label}</span>}
              />
            </Form.Item>
            <Form.Item name="wipeCertificate" label={t('asset.wipeCertificate')}>
              <Input maxLength={200} data-testid="asset-wipe-certificate" />
            </Form.Item>
          </>
        )}
        <Form.Item name="ticketId" label={t('asset.ticketId')} extra={t('asset.ticketHint')}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="asset-transition-ticket" />
        </Form.Item>
        <Form.Item name="note" label={t('asset.note')}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="asset-transition-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
