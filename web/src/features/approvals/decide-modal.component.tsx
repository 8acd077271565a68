import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApprovalDecision } from '@tianshu/contracts';
import { errorText, notifySuccess } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { UserLookupSelect } from '../../shared/user-lookup-select.component';
import { useDelegate } from './use-approvals.mutation';

interface DecideModalProps {
  decision: ApprovalDecision | null;
  /** How many tasks the decision covers (batch); 1 for a single task. */
  count?: number;
  loading?: boolean;
  error?: string | null;
  onCancel: () => void;
  onSubmit: (comment: string) => void;
}

/** Asks for the comment of an approval or a rejection (a rejection needs one). */
export function DecideModal({ decision, count = 1, loading, error, onCancel, onSubmit }: DecideModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ comment: string }>();
  useEffect(() => {
    if (decision) form.resetFields();
  }, [decision, form]);
  const title =
    count > 1
      ? t(decision === 'reject' ? 'approval.batchTitleReject' : 'approval.batchTitleApprove', { count })
      : t(decision === 'reject' ? 'approval.decideTitleReject' : 'approval.decideTitleApprove');
  return (
    <Modal
      open={decision !== null}
      title={title}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okText={decision === 'reject' ? t('approval.reject') : t('approval.approve')}
      okButtonProps={testId('approval-decide-ok', { danger: decision === 'reject', loading })}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="approval-decide-error" />}
      <Form form={form} layout="vertical" onFinish={(v) => onSubmit((v.comment ?? '').trim())}>
        <Form.Item
          name="comment"
          label={t('approval.comment')}
          rules={decision === 'reject' ? [{ required: true, whitespace: true, message: t('approval.rejectNeedsComment') }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('approval.commentPlaceholder')} data-testid="approval-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Hands a pending task to someone else; the original task becomes "delegated". */
export function DelegateModal({ taskId, onClose }: { taskId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ userId: number | null; comment: string }>();
  const delegate = useDelegate();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (taskId !== null) {
      form.resetFields();
      setError(null);
    }
  }, [taskId, form]);
  return (
    <Modal
      open={taskId !== null}
      title={t('approval.delegateTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={testId('approval-delegate-ok', { loading: delegate.isPending })}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => {
          if (taskId === null || !v.userId) return;
          setError(null);
          delegate.mutate(
            { taskId, userId: v.userId, comment: (v.comment ?? '').trim() },
            {
              onSuccess: () => {
                notifySuccess(t('approval.delegated'));
                onClose();
              },
              onError: (e) => setError(errorText(e)),
            },
          );
        }}
      >
        <Form.Item name="userId" label={t('approval.delegateTo')} rules={[{ required: true, message: t('approval.delegateToRequired') }]}>
          <UserLookupSelect testId="approval-delegate-user" />
        </Form.Item>
        <Form.Item name="comment" label={t('approval.comment')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
