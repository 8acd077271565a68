import { AutoComplete, Button, Card, Flex, Form, Input, InputNumber, Modal, Select, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { WorkflowDefinition, WorkflowTransition } from '@tianshu/contracts';
import { PERMISSIONS, ROLES } from '../../shared/enums';
import { permissionLabel, roleLabel } from '../../shared/labels';
import { testId } from '../../shared/test-id';
import { SLUG_PATTERN } from './workflow-edit';
import {
  CUSTOM_FIELD_PATTERN,
  EFFECT_TYPES,
  type EffectForm,
  formToTransition,
  GUARD_FIELDS,
  GUARD_TYPES,
  type GuardForm,
  KEEP_STATE,
  NOTIFY_EVENTS,
  ORG_KINDS,
  PARTIES,
  RECIPIENTS,
  TRANSITION_INPUTS,
  transitionToForm,
  type TransitionFormValues,
} from './workflow-forms';
import { localized } from './workflow-labels';

interface TransitionFormModalProps {
  transition: WorkflowTransition | null;
  open: boolean;
  definition: WorkflowDefinition;
  extensions: { checks: string[]; hooks: string[] };
  onSubmit: (transition: WorkflowTransition) => void;
  onClose: () => void;
}

const EMPTY: TransitionFormValues = { key: '', labelZh: '', labelEn: '', from: [], to: KEEP_STATE, inputs: [], system: false, allow: [], guards: [], effects: [] };

/** Options for a name select: the registered names, plus the current value when it is not registered (validation flags it). */
function nameOptions(names: readonly string[], current: string | undefined) {
  const all = current && !names.includes(current) ? [current, ...names] : names;
  return all.map((n) => ({ value: n, label: n }));
}

export function TransitionFormModal({ transition, open, definition, extensions, onSubmit, onClose }: TransitionFormModalProps) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<TransitionFormValues>();
  const guards = (Form.useWatch('guards', form) ?? []) as GuardForm[];
  const effects = (Form.useWatch('effects', form) ?? []) as EffectForm[];

  const stateOptions = definition.states.map((s) => ({ value: s.key, label: `${localized(s.label, i18n.language)} (${s.key})` }));
  const approvalOptions = definition.approvals.map((a) => ({ value: a.key, label: `${localized(a.label, i18n.language)} (${a.key})` }));
  const fieldOptions = GUARD_FIELDS.map((f) => ({ value: f, label: `${f} · ${t(`workflow.transition.fieldValues.${f}`)}` }));
  const setFieldOptions = [{ value: 'major', label: `major · ${t('workflow.transition.fieldValues.major')}` }];

  const submit = async () => {
    const values = await form.validateFields();
    onSubmit(formToTransition(values));
  };

  const optionTestId = (prefix: string) => (option: { value?: unknown; label?: unknown }) => (
    <span data-testid={`${prefix}-option-${String(option.value)}`}>{option.label as string}</span>
  );

  return (
    <Modal
      open={open}
      width={760}
      title={transition ? t('workflow.transition.edit') : t('workflow.transition.add')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('workflow.common.ok')}
      cancelText={t('workflow.common.cancel')}
      okButtonProps={testId('transition-form-ok', {})}
      cancelButtonProps={testId('transition-form-cancel', {})}
      destroyOnHidden
      data-testid="transition-form-modal"
    >
      <Form<TransitionFormValues> form={form} layout="vertical" preserve={false} initialValues={transition ? transitionToForm(transition) : EMPTY}>
        <Flex gap={12} wrap>
          <Form.Item
            name="key"
            label={t('workflow.transition.key')}
            style={{ flex: '1 1 160px' }}
            rules={[
              { required: true, whitespace: true, message: t('workflow.state.keyRequired') },
              { pattern: SLUG_PATTERN, message: t('workflow.state.keyInvalid') },
              { max: 48 },
            ]}
          >
            <Input maxLength={48} data-testid="transition-key" />
          </Form.Item>
          <Form.Item name="labelZh" label={t('workflow.editor.nameZh')} style={{ flex: '1 1 160px' }} rules={[{ required: true, whitespace: true, message: t('workflow.state.labelRequired') }]}>
            <Input maxLength={64} data-testid="transition-label-zh" />
          </Form.Item>
          <Form.Item name="labelEn" label={t('workflow.editor.nameEn')} style={{ flex: '1 1 160px' }} rules={[{ required: true, whitespace: true, message: t('workflow.state.labelRequired') }]}>
            <Input maxLength={64} data-testid="transition-label-en" />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="from" label={t('workflow.transition.from')} style={{ flex: '2 1 300px' }} rules={[{ required: true, type: 'array', min: 1, message: t('workflow.transition.fromRequired') }]}>
            <Select mode="multiple" options={stateOptions} optionFilterProp="label" optionRender={optionTestId('transition-from')} data-testid="transition-from" />
          </Form.Item>
          <Form.Item name="to" label={t('workflow.transition.to')} style={{ flex: '1 1 200px' }}>
            <Select
              options={[{ value: KEEP_STATE, label: t('workflow.transition.toKeep') }, ...stateOptions]}
              showSearch={{ optionFilterProp: 'label' }}
              optionRender={optionTestId('transition-to')}
              data-testid="transition-to"
            />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap align="end">
          <Form.Item name="inputs" label={t('workflow.transition.inputs')} style={{ flex: '2 1 300px' }}>
            <Select
              mode="multiple"
              options={TRANSITION_INPUTS.map((i) => ({ value: i, label: t(`workflow.input.${i}`) }))}
              optionRender={optionTestId('transition-inputs')}
              data-testid="transition-inputs"
            />
          </Form.Item>
          <Form.Item name="system" label={t('workflow.transition.system')} valuePropName="checked" tooltip={t('workflow.transition.systemHint')}>
            <Switch data-testid="transition-system" />
          </Form.Item>
        </Flex>

        <Typography.Title level={5}>{t('workflow.transition.allow')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('workflow.transition.allowHint')}</Typography.Paragraph>
        <Form.List name="allow">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8} style={{ marginBottom: 16 }}>
              {fields.length === 0 && <Typography.Text type="secondary">{t('workflow.transition.anyone')}</Typography.Text>}
              {fields.map((field, i) => (
                <Card key={field.key} size="small" title={t('workflow.transition.allowRule', { n: i + 1 })} extra={<Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('workflow.common.remove')} data-testid={`allow-${i}-remove`} />}>
                  <Flex gap={8} wrap>
                    <Form.Item name={[field.name, 'permission']} label={t('workflow.transition.permission')} style={{ flex: '1 1 200px', marginBottom: 0 }}>
                      <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={PERMISSIONS.map((p) => ({ value: p, label: `${permissionLabel(t, p)} (${p})` }))} data-testid={`allow-${i}-permission`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'role']} label={t('workflow.transition.role')} style={{ flex: '1 1 140px', marginBottom: 0 }}>
                      <Select allowClear options={ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))} data-testid={`allow-${i}-role`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'orgKind']} label={t('workflow.transition.orgKind')} style={{ flex: '1 1 120px', marginBottom: 0 }}>
                      <Select allowClear options={ORG_KINDS.map((k) => ({ value: k, label: t(`workflow.transition.orgKindValues.${k}`) }))} data-testid={`allow-${i}-org-kind`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'party']} label={t('workflow.transition.party')} style={{ flex: '1 1 140px', marginBottom: 0 }}>
                      <Select allowClear options={PARTIES.map((p) => ({ value: p, label: t(`workflow.transition.partyValues.${p}`) }))} data-testid={`allow-${i}-party`} />
                    </Form.Item>
                  </Flex>
                </Card>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({})} disabled={fields.length >= 20} data-testid="allow-add" style={{ alignSelf: 'flex-start' }}>
                {t('workflow.transition.addAllow')}
              </Button>
            </Flex>
          )}
        </Form.List>

        <Typography.Title level={5}>{t('workflow.transition.guards')}</Typography.Title>
        <Form.List name="guards">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8} style={{ marginBottom: 16 }}>
              {fields.map((field, i) => {
                const type = guards[field.name]?.type;
                return (
                  <Flex key={field.key} gap={8} align="start" wrap data-testid={`guard-${i}`}>
                    <Form.Item name={[field.name, 'type']} style={{ flex: '0 0 160px', marginBottom: 0 }} rules={[{ required: true }]}>
                      <Select options={GUARD_TYPES.map((g) => ({ value: g, label: t(`workflow.transition.guardType.${g}`) }))} optionRender={optionTestId(`guard-${i}-type`)} data-testid={`guard-${i}-type`} />
                    </Form.Item>
                    {type === 'field_set' && (
                      <Form.Item
                        name={[field.name, 'field']}
                        style={{ flex: '1 1 240px', marginBottom: 0 }}
                        rules={[
                          { required: true, message: t('workflow.transition.field') },
                          {
                            validator: (_r, v: string | undefined) =>
                              !v || (GUARD_FIELDS as readonly string[]).includes(v) || CUSTOM_FIELD_PATTERN.test(v) ? Promise.resolve() : Promise.reject(new Error(t('workflow.transition.customField'))),
                          },
                        ]}
                      >
                        <AutoComplete options={fieldOptions} placeholder={t('workflow.transition.customField')} data-testid={`guard-${i}-field`} />
                      </Form.Item>
                    )}
                    {type === 'approval_granted' && (
                      <Form.Item name={[field.name, 'approval']} style={{ flex: '1 1 240px', marginBottom: 0 }} rules={[{ required: true, message: t('workflow.transition.approval') }]}>
                        <Select options={approvalOptions} placeholder={t('workflow.transition.approval')} data-testid={`guard-${i}-approval`} />
                      </Form.Item>
                    )}
                    {type === 'check' && (
                      <Form.Item name={[field.name, 'name']} style={{ flex: '1 1 240px', marginBottom: 0 }} rules={[{ required: true, message: t('workflow.transition.checkName') }]}>
                        <Select showSearch options={nameOptions(extensions.checks, guards[field.name]?.name)} placeholder={t('workflow.transition.checkName')} data-testid={`guard-${i}-check`} />
                      </Form.Item>
                    )}
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('workflow.common.remove')} data-testid={`guard-${i}-remove`} />
                  </Flex>
                );
              })}
              <Button icon={<PlusOutlined />} onClick={() => add({ type: 'field_set' })} disabled={fields.length >= 20} data-testid="guard-add" style={{ alignSelf: 'flex-start' }}>
                {t('workflow.transition.addGuard')}
              </Button>
            </Flex>
          )}
        </Form.List>

        <Typography.Title level={5}>{t('workflow.transition.effects')}</Typography.Title>
        <Form.List name="effects">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((field, i) => {
                const effect = effects[field.name];
                const type = effect?.type;
                return (
                  <Flex key={field.key} gap={8} align="start" wrap data-testid={`effect-${i}`}>
                    <Form.Item name={[field.name, 'type']} style={{ flex: '0 0 180px', marginBottom: 0 }} rules={[{ required: true }]}>
                      <Select options={EFFECT_TYPES.map((e) => ({ value: e, label: t(`workflow.transition.effectType.${e}`) }))} optionRender={optionTestId(`effect-${i}-type`)} data-testid={`effect-${i}-type`} />
                    </Form.Item>
                    {type === 'notify' && (
                      <>
                        <Form.Item name={[field.name, 'recipients']} style={{ flex: '1 1 140px', marginBottom: 0 }} rules={[{ required: true, message: t('workflow.transition.recipients') }]}>
                          <Select placeholder={t('workflow.transition.recipients')} options={RECIPIENTS.map((r) => ({ value: r, label: t(`workflow.transition.recipientValues.${r}`) }))} data-testid={`effect-${i}-recipients`} />
                        </Form.Item>
                        <Form.Item name={[field.name, 'event']} style={{ flex: '1 1 140px', marginBottom: 0 }}>
                          <Select placeholder={t('workflow.transition.event')} options={NOTIFY_EVENTS.map((e) => ({ value: e, label: t(`workflow.transition.eventValues.${e}`) }))} data-testid={`effect-${i}-event`} />
                        </Form.Item>
                      </>
                    )}
                    {type === 'set_field' && (
                      <>
                        <Form.Item
                          name={[field.name, 'field']}
                          style={{ flex: '1 1 160px', marginBottom: 0 }}
                          rules={[
                            { required: true, message: t('workflow.transition.field') },
                            { validator: (_r, v: string | undefined) => (!v || v === 'major' || CUSTOM_FIELD_PATTERN.test(v) ? Promise.resolve() : Promise.reject(new Error(t('workflow.transition.customField')))) },
                          ]}
                        >
                          <AutoComplete options={setFieldOptions} placeholder={t('workflow.transition.field')} data-testid={`effect-${i}-field`} />
                        </Form.Item>
                        <Form.Item name={[field.name, 'valueKind']} style={{ flex: '0 0 110px', marginBottom: 0 }} initialValue="string">
                          <Select
                            options={[
                              { value: 'string', label: 'Aa' },
                              { value: 'number', label: '123' },
                              { value: 'boolean', label: `${t('workflow.common.yes')}/${t('workflow.common.no')}` },
                              { value: 'null', label: t('workflow.transition.valueNull') },
                            ]}
                            data-testid={`effect-${i}-value-kind`}
                          />
                        </Form.Item>
                        {(effect?.valueKind ?? 'string') === 'string' && (
                          <Form.Item name={[field.name, 'text']} style={{ flex: '1 1 140px', marginBottom: 0 }}>
                            <Input maxLength={500} placeholder={t('workflow.transition.value')} data-testid={`effect-${i}-text`} />
                          </Form.Item>
                        )}
                        {effect?.valueKind === 'number' && (
                          <Form.Item name={[field.name, 'number']} style={{ flex: '1 1 120px', marginBottom: 0 }} rules={[{ required: true, message: t('workflow.transition.value') }]}>
                            <InputNumber style={{ width: '100%' }} data-testid={`effect-${i}-number`} />
                          </Form.Item>
                        )}
                        {effect?.valueKind === 'boolean' && (
                          <Form.Item name={[field.name, 'flag']} valuePropName="checked" style={{ marginBottom: 0 }}>
                            <Switch data-testid={`effect-${i}-flag`} />
                          </Form.Item>
                        )}
                      </>
                    )}
                    {type === 'start_approval' && (
                      <Form.Item name={[field.name, 'approval']} style={{ flex: '1 1 240px', marginBottom: 0 }} rules={[{ required: true, message: t('workflow.transition.approval') }]}>
                        <Select options={approvalOptions} placeholder={t('workflow.transition.approval')} data-testid={`effect-${i}-approval`} />
                      </Form.Item>
                    )}
                    {type === 'hook' && (
                      <Form.Item name={[field.name, 'name']} style={{ flex: '1 1 240px', marginBottom: 0 }} rules={[{ required: true, message: t('workflow.transition.hookName') }]}>
                        <Select showSearch options={nameOptions(extensions.hooks, effect?.name)} placeholder={t('workflow.transition.hookName')} data-testid={`effect-${i}-hook`} />
                      </Form.Item>
                    )}
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('workflow.common.remove')} data-testid={`effect-${i}-remove`} />
                  </Flex>
                );
              })}
              <Button icon={<PlusOutlined />} onClick={() => add({ type: 'notify', recipients: 'requester', event: 'ticket.transition' })} disabled={fields.length >= 20} data-testid="effect-add" style={{ alignSelf: 'flex-start' }}>
                {t('workflow.transition.addEffect')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
