import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { REPAIR_OUTCOMES } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { useRepairTransition, type TransitionRequest } from './use-vendors.mutation';
import type { RepairAction, RepairOrderDetail, RepairOutcome } from './vendor-types';

type ActionForm = { rmaNumber?: string; estimatedCost?: string; actualCost?: string; outcome?: RepairOutcome; comment?: string };

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const amountRule = (message: string) => ({ validator: (_r: unknown, v: string | undefined) => (!v || AMOUNT.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error(message))) });

/** One modal for every transition: it asks for exactly the fields the action needs. */
export function RepairActionModal({ order, action, onClose, onDone }: { order: RepairOrderDetail; action: RepairAction; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ActionForm>();
  const transition = useRepairTransition(order.id);
  const closingReturned = action === 'close' && order.status === 'returned';

  const submit = async () => {
    const v = await form.validateFields();
    const request: TransitionRequest = { action, version: order.version };
    if (v.rmaNumber?.trim()) request.rmaNumber = v.rmaNumber.trim();
    if (v.estimatedCost?.trim()) request.estimatedCost = v.estimatedCost.trim();
    if (v.actualCost?.trim()) request.actualCost = v.actualCost.trim();
    if (v.outcome) request.outcome = v.outcome;
    if (v.comment?.trim()) request.comment = v.comment.trim();
    await transition.mutateAsync(request);
    onDone();
  };

  const amountMessage = t('vendor.contract.amountInvalid');
  return (
    <Modal
      open
      title={t(`vendor.repair.actions.${action}`)}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={transition.isPending}
      okButtonProps={testId('repair-action-confirm', { danger: action === 'reject' || action === 'cancel' })}
      destroyOnHidden
    >
      {transition.error && (
        <Alert
          type="error"
          showIcon
          title={isApiError(transition.error, 'VERSION_CONFLICT') ? t('vendor.versionConflict') : errorText(transition.error)}
          style={{ marginBottom: 16 }}
          data-testid="repair-action-error"
        />
      )}
      <Form<ActionForm> form={form} layout="vertical" preserve={false} data-testid={`repair-action-form-${action}`}>
        {action === 'send' && (
          <Form.Item name="rmaNumber" label={t('vendor.repair.rmaNumber')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={60} data-testid="repair-rma" />
          </Form.Item>
        )}
        {action === 'estimate' && (
          <Form.Item name="estimatedCost" label={t('vendor.repair.estimatedCost')} rules={[{ required: true }, amountRule(amountMessage)]}>
            <Input inputMode="decimal" addonAfter="CNY" data-testid="repair-estimate" />
          </Form.Item>
        )}
        {action === 'close' && (
          <>
            <Form.Item name="outcome" label={t('vendor.repair.outcome')} rules={[{ required: closingReturned }]}>
              <Select allowClear options={REPAIR_OUTCOMES.map((o) => ({ value: o, label: t(`vendor.repair.outcomeValues.${o}`) }))} data-testid="repair-outcome" />
            </Form.Item>
            <Form.Item name="actualCost" label={t('vendor.repair.actualCost')} rules={[amountRule(amountMessage)]}>
              <Input inputMode="decimal" addonAfter="CNY" data-testid="repair-actual-cost" />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="comment"
          label={action === 'approve' || action === 'reject' ? t('vendor.repair.decisionComment') : t('vendor.repair.comment')}
          rules={action === 'reject' ? [{ required: true, whitespace: true, message: t('vendor.repair.commentRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="repair-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
