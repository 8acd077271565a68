import { Button, Card, Flex, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ApprovalDefinition, WorkflowDefinition } from '@tianshu/contracts';
import { ROLES } from '../../shared/enums';
import { roleLabel } from '../../shared/labels';
import { testId } from '../../shared/test-id';
import { useGroups } from '../../shared/use-directory.query';
import { UserLookupSelect } from '../../shared/user-lookup-select.component';
import { SLUG_PATTERN, transitionKeys } from './workflow-edit';
import { APPROVER_TYPES, approvalToForm, type ApprovalFormValues, formToApproval, newStepForm, type StepForm } from './workflow-forms';

interface ApprovalFormModalProps {
  approval: ApprovalDefinition | null;
  open: boolean;
  definition: WorkflowDefinition;
  takenKeys: readonly string[];
  onSubmit: (approval: ApprovalDefinition) => void;
  onClose: () => void;
}

/** An approval process: steps in sequence, each with approvers and a rule (或签 / 会签 / N of them). */
export function ApprovalFormModal({ approval, open, definition, takenKeys, onSubmit, onClose }: ApprovalFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ApprovalFormValues>();
  const steps = (Form.useWatch('steps', form) ?? []) as StepForm[];
  const groups = useGroups(open);
  const outcomeOptions = transitionKeys(definition).map((k) => ({ value: k, label: k }));

  const submit = async () => {
    const values = await form.validateFields();
    onSubmit(formToApproval(values));
  };

  return (
    <Modal
      open={open}
      width={760}
      title={approval ? t('workflow.approval.edit') : t('workflow.approval.add')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('workflow.common.ok')}
      cancelText={t('workflow.common.cancel')}
      okButtonProps={testId('approval-form-ok', {})}
      cancelButtonProps={testId('approval-form-cancel', {})}
      destroyOnHidden
      data-testid="approval-form-modal"
    >
      <Form<ApprovalFormValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={approval ? approvalToForm(approval) : { key: '', labelZh: '', labelEn: '', onApproved: null, onRejected: null, steps: [newStepForm(0)] }}
      >
        <Flex gap={12} wrap>
          <Form.Item
            name="key"
            label={t('workflow.approval.key')}
            style={{ flex: '1 1 160px' }}
            rules={[
              { required: true, whitespace: true, message: t('workflow.state.keyRequired') },
              { pattern: SLUG_PATTERN, message: t('workflow.state.keyInvalid') },
              { max: 48 },
              { validator: (_r, v: string | undefined) => (v && takenKeys.includes(v.trim()) ? Promise.reject(new Error(t('workflow.state.keyDuplicate'))) : Promise.resolve()) },
            ]}
          >
            <Input maxLength={48} data-testid="approval-key" />
          </Form.Item>
          <Form.Item name="labelZh" label={t('workflow.editor.nameZh')} style={{ flex: '1 1 160px' }} rules={[{ required: true, whitespace: true, message: t('workflow.state.labelRequired') }]}>
            <Input maxLength={64} data-testid="approval-label-zh" />
          </Form.Item>
          <Form.Item name="labelEn" label={t('workflow.editor.nameEn')} style={{ flex: '1 1 160px' }} rules={[{ required: true, whitespace: true, message: t('workflow.state.labelRequired') }]}>
            <Input maxLength={64} data-testid="approval-label-en" />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="onApproved" label={t('workflow.approval.onApproved')} style={{ flex: '1 1 200px' }}>
            <Select allowClear options={outcomeOptions} placeholder={t('workflow.editor.none')} data-testid="approval-on-approved" />
          </Form.Item>
          <Form.Item name="onRejected" label={t('workflow.approval.onRejected')} style={{ flex: '1 1 200px' }}>
            <Select allowClear options={outcomeOptions} placeholder={t('workflow.editor.none')} data-testid="approval-on-rejected" />
          </Form.Item>
        </Flex>

        <Typography.Title level={5}>{t('workflow.approval.steps')}</Typography.Title>
        <Form.List name="steps">
          {(stepFields, stepOps) => (
            <Flex vertical gap={12}>
              {stepFields.map((stepField, si) => {
                const step = steps[stepField.name];
                return (
                  <Card
                    key={stepField.key}
                    size="small"
                    title={t('workflow.approval.step', { n: si + 1 })}
                    data-testid={`step-${si}`}
                    extra={
                      stepFields.length > 1 && (
                        <Button type="text" danger icon={<DeleteOutlined />} onClick={() => stepOps.remove(stepField.name)} aria-label={t('workflow.common.remove')} data-testid={`step-${si}-remove`} />
                      )
                    }
                  >
                    <Flex gap={8} wrap>
                      <Form.Item name={[stepField.name, 'key']} label={t('workflow.approval.key')} style={{ flex: '1 1 120px' }} rules={[{ required: true, whitespace: true }, { pattern: SLUG_PATTERN, message: t('workflow.state.keyInvalid') }]}>
                        <Input maxLength={48} data-testid={`step-${si}-key`} />
                      </Form.Item>
                      <Form.Item name={[stepField.name, 'labelZh']} label={t('workflow.editor.nameZh')} style={{ flex: '1 1 120px' }} rules={[{ required: true, whitespace: true, message: t('workflow.state.labelRequired') }]}>
                        <Input maxLength={64} data-testid={`step-${si}-label-zh`} />
                      </Form.Item>
                      <Form.Item name={[stepField.name, 'labelEn']} label={t('workflow.editor.nameEn')} style={{ flex: '1 1 120px' }} rules={[{ required: true, whitespace: true, message: t('workflow.state.labelRequired') }]}>
                        <Input maxLength={64} data-testid={`step-${si}-label-en`} />
                      </Form.Item>
                    </Flex>
                    <Flex gap={8} wrap>
                      <Form.Item name={[stepField.name, 'ruleType']} label={t('workflow.approval.rule')} style={{ flex: '1 1 180px' }} rules={[{ required: true }]}>
                        <Select
                          options={(['any', 'all', 'count'] as const).map((r) => ({ value: r, label: t(`workflow.approval.ruleValues.${r}`) }))}
                          optionRender={(option) => <span data-testid={`step-${si}-rule-option-${String(option.value)}`}>{option.label}</span>}
                          data-testid={`step-${si}-rule`}
                        />
                      </Form.Item>
                      {step?.ruleType === 'count' && (
                        <Form.Item name={[stepField.name, 'count']} label={t('workflow.approval.count')} style={{ flex: '0 0 100px' }} rules={[{ required: true }]}>
                          <InputNumber min={1} max={50} precision={0} style={{ width: '100%' }} data-testid={`step-${si}-count`} />
                        </Form.Item>
                      )}
                      <Form.Item name={[stepField.name, 'remindAfterHours']} label={t('workflow.approval.remindAfterHours')} style={{ flex: '1 1 180px' }}>
                        <InputNumber min={0} max={720} precision={0} style={{ width: '100%' }} data-testid={`step-${si}-remind`} />
                      </Form.Item>
                    </Flex>
                    <Typography.Text strong>{t('workflow.approval.approvers')}</Typography.Text>
                    <Form.List
                      name={[stepField.name, 'approvers']}
                      rules={[{ validator: (_r, v: unknown[] | undefined) => (v && v.length > 0 ? Promise.resolve() : Promise.reject(new Error(t('workflow.approval.approversRequired')))) }]}
                    >
                      {(approverFields, approverOps, { errors }) => (
                        <Flex vertical gap={4} style={{ marginTop: 8 }}>
                          {approverFields.map((af, ai) => {
                            const approver = step?.approvers?.[af.name];
                            return (
                              <Flex key={af.key} gap={8} align="start" wrap>
                                <Form.Item name={[af.name, 'type']} style={{ flex: '0 0 220px', marginBottom: 0 }} rules={[{ required: true }]}>
                                  <Select
                                    options={APPROVER_TYPES.map((a) => ({ value: a, label: t(`workflow.approval.approverType.${a}`) }))}
                                    optionRender={(option) => <span data-testid={`step-${si}-approver-${ai}-type-option-${String(option.value)}`}>{option.label}</span>}
                                    data-testid={`step-${si}-approver-${ai}-type`}
                                  />
                                </Form.Item>
                                {approver?.type === 'user' && (
                                  <Form.Item name={[af.name, 'userId']} style={{ flex: '1 1 220px', marginBottom: 0 }} rules={[{ required: true, message: t('workflow.approval.user') }]}>
                                    <UserLookupSelect currentLabel={approver.userId ? `#${approver.userId}` : null} placeholder={t('workflow.approval.user')} testId={`step-${si}-approver-${ai}-user`} />
                                  </Form.Item>
                                )}
                                {approver?.type === 'group' && (
                                  <Form.Item name={[af.name, 'groupId']} style={{ flex: '1 1 220px', marginBottom: 0 }} rules={[{ required: true, message: t('workflow.approval.group') }]}>
                                    <Select
                                      showSearch={{ optionFilterProp: 'label' }}
                                      loading={groups.isPending}
                                      options={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
                                      placeholder={t('workflow.approval.group')}
                                      data-testid={`step-${si}-approver-${ai}-group`}
                                    />
                                  </Form.Item>
                                )}
                                {approver?.type === 'role' && (
                                  <Form.Item name={[af.name, 'role']} style={{ flex: '1 1 220px', marginBottom: 0 }} rules={[{ required: true, message: t('workflow.approval.role') }]}>
                                    <Select options={ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))} placeholder={t('workflow.approval.role')} data-testid={`step-${si}-approver-${ai}-role`} />
                                  </Form.Item>
                                )}
                                <Button type="text" danger icon={<DeleteOutlined />} onClick={() => approverOps.remove(af.name)} aria-label={t('workflow.common.remove')} data-testid={`step-${si}-approver-${ai}-remove`} />
                              </Flex>
                            );
                          })}
                          <Form.ErrorList errors={errors} />
                          <Button size="small" icon={<PlusOutlined />} onClick={() => approverOps.add({ type: 'requester_manager' })} disabled={approverFields.length >= 20} data-testid={`step-${si}-approver-add`} style={{ alignSelf: 'flex-start' }}>
                            {t('workflow.approval.addApprover')}
                          </Button>
                        </Flex>
                      )}
                    </Form.List>
                  </Card>
                );
              })}
              <Button icon={<PlusOutlined />} onClick={() => stepOps.add(newStepForm(stepFields.length))} disabled={stepFields.length >= 10} data-testid="step-add" style={{ alignSelf: 'flex-start' }}>
                {t('workflow.approval.addStep')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
