import { Form, Input, Modal, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { WorkflowState } from '@tianshu/contracts';
import { testId } from '../../shared/test-id';
import { SLUG_PATTERN } from './workflow-edit';
import { formToState, stateToForm, type StateFormValues } from './workflow-forms';
import { categoryTagColor, STATE_CATEGORIES } from './workflow-labels';

interface StateFormModalProps {
  /** The state being edited; null when adding one. */
  state: WorkflowState | null;
  open: boolean;
  /** Keys of the other states (a key must be unique). */
  takenKeys: readonly string[];
  onSubmit: (state: WorkflowState) => void;
  onClose: () => void;
}

export function StateFormModal({ state, open, takenKeys, onSubmit, onClose }: StateFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<StateFormValues>();

  const submit = async () => {
    const values = await form.validateFields();
    onSubmit(formToState(values));
  };

  return (
    <Modal
      open={open}
      title={state ? t('workflow.state.edit') : t('workflow.state.add')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('workflow.common.ok')}
      cancelText={t('workflow.common.cancel')}
      okButtonProps={testId('state-form-ok', {})}
      cancelButtonProps={testId('state-form-cancel', {})}
      destroyOnHidden
      data-testid="state-form-modal"
    >
      <Form<StateFormValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={state ? stateToForm(state) : { key: '', labelZh: '', labelEn: '', category: 'open' }}
      >
        <Form.Item
          name="key"
          label={t('workflow.state.key')}
          rules={[
            { required: true, whitespace: true, message: t('workflow.state.keyRequired') },
            { pattern: SLUG_PATTERN, message: t('workflow.state.keyInvalid') },
            { max: 48 },
            { validator: (_r, v: string | undefined) => (v && takenKeys.includes(v.trim()) ? Promise.reject(new Error(t('workflow.state.keyDuplicate'))) : Promise.resolve()) },
          ]}
        >
          <Input maxLength={48} data-testid="state-key" />
        </Form.Item>
        <Form.Item name="labelZh" label={t('workflow.editor.nameZh')} rules={[{ required: true, whitespace: true, message: t('workflow.state.labelRequired') }]}>
          <Input maxLength={64} data-testid="state-label-zh" />
        </Form.Item>
        <Form.Item name="labelEn" label={t('workflow.editor.nameEn')} rules={[{ required: true, whitespace: true, message: t('workflow.state.labelRequired') }]}>
          <Input maxLength={64} data-testid="state-label-en" />
        </Form.Item>
        <Form.Item name="category" label={t('workflow.state.category')} rules={[{ required: true }]}>
          <Select
            options={STATE_CATEGORIES.map((c) => ({ value: c, label: t(`workflow.category.${c}`) }))}
            optionRender={(option) => (
              <span data-testid={`state-category-option-${option.value}`}>
                <Tag color={categoryTagColor(option.value as WorkflowState['category'])}>{option.label}</Tag>
              </span>
            )}
            data-testid="state-category"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
