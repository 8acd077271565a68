import { Form, Input, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IncidentAction, Ticket, TransitionRequest } from '@tianshu/contracts';
import { isApiError } from '../../../app/api-client';
import { notifySuccess } from '../../../app/notifier';
import type { PendingReason, ResolutionCode } from '../../../shared/contract-types';
import { PENDING_REASONS, RESOLUTION_CODES } from '../../../shared/enums';
import { actionLabel, pendingReasonLabel, resolutionCodeLabel } from '../../../shared/labels';
import { testId } from '../../../shared/test-id';
import { useGroups } from '../../../shared/use-directory.query';
import { UserLookupSelect } from '../../../shared/user-lookup-select.component';
import { useTransitionIncident } from '../use-incident.mutations';

interface ActionForm {
  assignmentGroupId?: number | null;
  assigneeId?: number | null;
  pendingReason?: PendingReason;
  resolutionCode?: ResolutionCode;
  resolutionNotes?: string;
  comment?: string;
}

interface IncidentActionModalProps {
  ticket: Ticket;
  action: IncidentAction | null;
  onClose: () => void;
  onConflict: () => void;
}

/** Actions that must explain themselves (docs/API.md: reopen and cancel require a comment). */
const COMMENT_REQUIRED: readonly IncidentAction[] = ['reopen', 'cancel'];

export function IncidentActionModal({ ticket, action, onClose, onConflict }: IncidentActionModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ActionForm>();
  const transition = useTransitionIncident(ticket.id);
  const groups = useGroups(action === 'assign');
  const groupId = Form.useWatch('assignmentGroupId', form) ?? undefined;

  const submit = async () => {
    if (!action) return;
    const values = await form.validateFields();
    const request: TransitionRequest = { action, version: ticket.version };
    if (action === 'assign') {
      request.assignmentGroupId = values.assignmentGroupId ?? null;
      request.assigneeId = values.assigneeId ?? null;
    }
    if (action === 'pend') request.pendingReason = values.pendingReason;
    if (action === 'resolve') {
      request.resolutionCode = values.resolutionCode;
      request.resolutionNotes = values.resolutionNotes?.trim();
    }
    const comment = values.comment?.trim();
    if (comment) request.comment = comment;
    try {
      await transition.mutateAsync(request);
      notifySuccess(t('incident.actionModal.done', { action: actionLabel(t, action) }));
      onClose();
    } catch (error) {
      // A stale version is not the user's input error: close and let the page offer a reload.
      if (isApiError(error, 'VERSION_CONFLICT')) {
        onClose();
        onConflict();
      }
    }
  };

  const groupOptions = (groups.data ?? [])
    .filter((group) => group.orgIds.length === 0 || group.orgIds.includes(ticket.orgId))
    .map((group) => ({ value: group.id, label: group.name }));

  return (
    <Modal
      open={action !== null}
      title={action ? t('incident.actionModal.title', { action: actionLabel(t, action), number: ticket.number }) : ''}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={transition.isPending}
      okButtonProps={testId('modal-ok', {})}
      cancelButtonProps={testId('modal-cancel', {})}
      destroyOnHidden
      data-testid="action-modal"
    >
      <Form<ActionForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={action === 'assign' ? { assignmentGroupId: ticket.assignmentGroupId, assigneeId: ticket.assigneeId } : {}}
      >
        {action === 'close' && <Typography.Paragraph>{t('incident.actionModal.closeHint')}</Typography.Paragraph>}
        {action === 'assign' && (
          <>
            <Form.Item name="assignmentGroupId" label={t('incident.actionModal.group')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={groupOptions}
                loading={groups.isPending}
                onChange={() => form.setFieldValue('assigneeId', null)}
                optionRender={(option) => <span data-testid={`action-group-option-${option.value}`}>{option.label}</span>}
                data-testid="action-group"
              />
            </Form.Item>
            <Form.Item
              name="assigneeId"
              label={t('incident.actionModal.assignee')}
              dependencies={['assignmentGroupId']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_rule, value: number | null | undefined) =>
                    value || getFieldValue('assignmentGroupId')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('incident.actionModal.assignRequired'))),
                }),
              ]}
            >
              <UserLookupSelect
                groupId={groupId}
                currentLabel={ticket.assigneeName}
                placeholder={t('incident.form.assigneePlaceholder')}
                testId="action-assignee"
              />
            </Form.Item>
          </>
        )}
        {action === 'pend' && (
          <Form.Item name="pendingReason" label={t('incident.actionModal.pendingReason')} rules={[{ required: true, message: t('incident.actionModal.pendingReasonRequired') }]}>
            <Select
              options={PENDING_REASONS.map((reason) => ({ value: reason, label: pendingReasonLabel(t, reason) }))}
              optionRender={(option) => <span data-testid={`action-pending-reason-option-${option.value}`}>{option.label}</span>}
              data-testid="action-pending-reason"
            />
          </Form.Item>
        )}
        {action === 'resolve' && (
          <>
            <Form.Item name="resolutionCode" label={t('incident.actionModal.resolutionCode')} rules={[{ required: true, message: t('incident.actionModal.resolutionCodeRequired') }]}>
              <Select
                options={RESOLUTION_CODES.map((code) => ({ value: code, label: resolutionCodeLabel(t, code) }))}
                optionRender={(option) => <span data-testid={`action-resolution-code-option-${option.value}`}>{option.label}</span>}
                data-testid="action-resolution-code"
              />
            </Form.Item>
            <Form.Item
              name="resolutionNotes"
              label={t('incident.actionModal.resolutionNotes')}
              rules={[{ required: true, whitespace: true, message: t('incident.actionModal.resolutionNotesRequired') }]}
            >
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} data-testid="action-resolution-notes" />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="comment"
          label={action && COMMENT_REQUIRED.includes(action) ? t('incident.actionModal.comment') : t('incident.actionModal.commentOptional')}
          rules={
            action && COMMENT_REQUIRED.includes(action) ? [{ required: true, whitespace: true, message: t('incident.actionModal.commentRequired') }] : []
          }
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} data-testid="action-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
