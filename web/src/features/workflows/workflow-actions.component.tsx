import { useState, type ReactNode } from 'react';
import { Alert, Button, Flex, Form, Input, Modal, Select, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { errorText, notifySuccess, notifyWarning } from '../../app/notifier';
import { PENDING_REASONS, RESOLUTION_CODES } from '../../shared/enums';
import { pendingReasonLabel, resolutionCodeLabel } from '../../shared/labels';
import { testId } from '../../shared/test-id';
import { useGroups } from '../../shared/use-directory.query';
import { UserLookupSelect } from '../../shared/user-lookup-select.component';
import { transitionRequest, type ActionForm, type WorkflowAction } from './transition-request';
import { ticketKeys, useTicketTransition } from './use-ticket-transition.mutation';
import { localized } from './workflow-labels';


/** Keys shown as the main button / as a dangerous one; everything else is a plain button. */
const PRIMARY_KEYS = new Set(['take', 'resolve', 'close', 'fulfil', 'complete', 'complete_successful', 'implement', 'submit']);
const DANGER_KEYS = new Set(['cancel', 'fail', 'roll_back']);

interface ActionModalProps {
  ticket: Ticket;
  action: WorkflowAction | null;
  onClose: () => void;
  onDone?: (ticket: Ticket) => void;
  onConflict?: () => void;
}

/** Asks for the inputs the action's transition lists (all of them required) and takes it. */
export function WorkflowActionModal({ ticket, action, onClose, onDone, onConflict }: ActionModalProps) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ActionForm>();
  const transition = useTicketTransition(ticket.id);
  const inputs = new Set(action?.inputs ?? []);
  const groups = useGroups(inputs.has('assignment'));
  const groupId = Form.useWatch('assignmentGroupId', form) ?? undefined;
  const [error, setError] = useState<string | null>(null);
  const actionName = action ? localized(action.label, i18n.language) : '';

  const close = () => {
    setError(null);
    transition.reset();
    onClose();
  };

  const submit = async () => {
    if (!action) return;
    const values = await form.validateFields();
    setError(null);
    try {
      const updated = await transition.mutateAsync(transitionRequest(ticket, action, values));
      notifySuccess(t('workflow.actions.done', { action: actionName }));
      close();
      onDone?.(updated);
    } catch (cause) {
      if (isApiError(cause, 'VERSION_CONFLICT')) {
        // A stale version is not the user's mistake: reload the ticket and let them look again.
        close();
        if (onConflict) {
          onConflict();
        } else {
          notifyWarning(t('workflow.actions.conflict'), 'workflow-conflict');
          void queryClient.invalidateQueries({ queryKey: ticketKeys.detail(ticket.id) });
        }
        return;
      }
      setError(errorText(cause));
    }
  };

  const groupOptions = (groups.data ?? [])
    .filter((group) => group.orgIds.length === 0 || group.orgIds.includes(ticket.orgId))
    .map((group) => ({ value: group.id, label: group.name }));
  const commentRequired = inputs.has('comment');

  return (
    <Modal
      open={action !== null}
      title={action ? t('workflow.actions.title', { action: actionName, number: ticket.number }) : ''}
      onCancel={close}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('workflow.common.ok')}
      cancelText={t('workflow.common.cancel')}
      confirmLoading={transition.isPending}
      okButtonProps={testId('modal-ok', {})}
      cancelButtonProps={testId('modal-cancel', {})}
      destroyOnHidden
      data-testid="action-modal"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="action-error" />}
      <Form<ActionForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={inputs.has('assignment') ? { assignmentGroupId: ticket.assignmentGroupId, assigneeId: ticket.assigneeId } : {}}
      >
        {inputs.has('assignment') && (
          <>
            <Form.Item name="assignmentGroupId" label={t('workflow.actions.group')}>
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
              label={t('workflow.actions.assignee')}
              dependencies={['assignmentGroupId']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_rule, value: number | null | undefined) =>
                    value || getFieldValue('assignmentGroupId')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('workflow.actions.assignRequired'))),
                }),
              ]}
            >
              <UserLookupSelect
                groupId={groupId}
                currentLabel={ticket.assigneeName}
                placeholder={t('workflow.actions.assigneePlaceholder')}
                testId="action-assignee"
              />
            </Form.Item>
          </>
        )}
        {inputs.has('pendingReason') && (
          <Form.Item
            name="pendingReason"
            label={t('workflow.actions.pendingReason')}
            rules={[{ required: true, message: t('workflow.actions.pendingReasonRequired') }]}
          >
            <Select
              options={PENDING_REASONS.map((reason) => ({ value: reason, label: pendingReasonLabel(t, reason) }))}
              optionRender={(option) => <span data-testid={`action-pending-reason-option-${option.value}`}>{option.label}</span>}
              data-testid="action-pending-reason"
            />
          </Form.Item>
        )}
        {inputs.has('resolutionCode') && (
          <Form.Item
            name="resolutionCode"
            label={t('workflow.actions.resolutionCode')}
            rules={[{ required: true, message: t('workflow.actions.resolutionCodeRequired') }]}
          >
            <Select
              options={RESOLUTION_CODES.map((code) => ({ value: code, label: resolutionCodeLabel(t, code) }))}
              optionRender={(option) => <span data-testid={`action-resolution-code-option-${option.value}`}>{option.label}</span>}
              data-testid="action-resolution-code"
            />
          </Form.Item>
        )}
        {inputs.has('resolutionNotes') && (
          <Form.Item
            name="resolutionNotes"
            label={t('workflow.actions.resolutionNotes')}
            rules={[{ required: true, whitespace: true, message: t('workflow.actions.resolutionNotesRequired') }]}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} data-testid="action-resolution-notes" />
          </Form.Item>
        )}
        <Form.Item
          name="comment"
          label={commentRequired ? t('workflow.actions.comment') : t('workflow.actions.commentOptional')}
          rules={commentRequired ? [{ required: true, whitespace: true, message: t('workflow.actions.commentRequired') }] : []}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} data-testid="action-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface WorkflowActionsProps {
  ticket: Ticket;
  /**
   * Called with the ticket's new state after an action was taken (the reply is also written to
   * the ['tickets', 'detail', id] query; pages keeping the ticket elsewhere update from here).
   */
  onDone?: (ticket: Ticket) => void;
  /** The ticket changed meanwhile (409); default: a warning and a reload of ['tickets', 'detail', id]. */
  onConflict?: () => void;
  /** Extra buttons shown after the actions (e.g. the page's edit button). */
  extra?: ReactNode;
  /** Shows a hint instead of nothing when no action is available. */
  showEmpty?: boolean;
}

/**
 * One button per action the workflow offers the current user on this ticket (the server decides
 * which; `ticket.workflow.actions`), each opening a modal for the action's inputs.
 */
export function WorkflowActions({ ticket, onDone, onConflict, extra, showEmpty = false }: WorkflowActionsProps) {
  const { t, i18n } = useTranslation();
  const [action, setAction] = useState<WorkflowAction | null>(null);
  const actions = ticket.workflow.actions;
  return (
    <>
      <Flex wrap gap={8} data-testid="workflow-actions">
        {actions.map((item) => (
          <Button
            key={item.key}
            type={PRIMARY_KEYS.has(item.key) ? 'primary' : 'default'}
            danger={DANGER_KEYS.has(item.key)}
            onClick={() => setAction(item)}
            data-testid={`action-${item.key}`}
          >
            {localized(item.label, i18n.language)}
          </Button>
        ))}
        {extra}
        {showEmpty && actions.length === 0 && !extra && (
          <Typography.Text type="secondary" data-testid="workflow-actions-none">
            {t('workflow.actions.none')}
          </Typography.Text>
        )}
      </Flex>
      <WorkflowActionModal ticket={ticket} action={action} onClose={() => setAction(null)} onDone={onDone} onConflict={onConflict} />
    </>
  );
}
