import { Alert, Button, Card, Checkbox, Col, Form, Input, Modal, Row, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { CI_ATTRIBUTE_TYPES, type CiAttributeDef, type CiAttributeType, type CiClass } from './cmdb-types';
import { useSaveCiClass } from './use-cmdb.mutation';

interface AttrForm {
  key: string;
  label: string;
  type: CiAttributeType;
  required: boolean;
  unique: boolean;
  indexed: boolean;
  enumValues: string[];
  refClassKey: string | undefined;
}

interface ClassForm {
  key: string;
  name: string;
  description: string;
  parentId: number | null;
  namingRule: string;
  attributes: AttrForm[];
}

function initialValues(cls: CiClass | undefined, parentId: number | null): ClassForm {
  return {
    key: cls?.key ?? '',
    name: cls?.name ?? '',
    description: cls?.description ?? '',
    parentId: cls ? cls.parentId : parentId,
    namingRule: cls?.namingRule ?? '',
    attributes: (cls?.attributes ?? []).map((a) => ({
      key: a.key,
      label: a.label,
      type: a.type,
      required: a.required,
      unique: a.unique,
      indexed: a.indexed,
      enumValues: a.enumValues ?? [],
      refClassKey: a.refClassKey,
    })),
  };
}

function toDef(a: AttrForm): CiAttributeDef {
  return {
    key: a.key.trim(),
    label: a.label.trim(),
    type: a.type,
    required: Boolean(a.required),
    unique: Boolean(a.unique),
    indexed: Boolean(a.indexed),
    ...(a.type === 'enum' ? { enumValues: (a.enumValues ?? []).map((v) => v.trim()).filter(Boolean) } : {}),
    ...(a.type === 'reference' && a.refClassKey ? { refClassKey: a.refClassKey } : {}),
  };
}

export function CiClassFormModal({ cls, classes, parentId, onClose, onSaved }: { cls?: CiClass; classes: readonly CiClass[]; parentId?: number | null; onClose: () => void; onSaved: (c: CiClass) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ClassForm>();
  const save = useSaveCiClass();
  const attrs = Form.useWatch('attributes', form);

  const classOptions = [...classes]
    .filter((c) => !cls || (c.id !== cls.id && !c.path.includes(cls.key)))
    .sort((a, b) => [...a.path, a.key].join('.').localeCompare([...b.path, b.key].join('.')))
    .map((c) => ({ value: c.id, label: `${'　'.repeat(c.path.length)}${c.name} (${c.key})` }));

  const submit = async () => {
    const v = await form.validateFields();
    const attributes = (v.attributes ?? []).map(toDef);
    const namingRule = (v.namingRule ?? '').trim() || null;
    const saved = cls
      ? await save.mutateAsync({ id: cls.id, request: { version: cls.version, name: v.name.trim(), description: v.description ?? '', parentId: v.parentId ?? null, namingRule, attributes } })
      : await save.mutateAsync({ request: { key: v.key.trim(), name: v.name.trim(), description: v.description ?? '', parentId: v.parentId ?? null, namingRule, attributes } });
    onSaved(saved);
  };

  const error = save.error;
  return (
    <Modal
      open
      title={cls ? t('cmdb.classes.editTitle') : t('cmdb.classes.createTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={testId('cmdb-class-save', {})}
      width={860}
      destroyOnHidden
    >
      {error && (
        <Alert
          type="error"
          showIcon
          title={isApiError(error, 'VERSION_CONFLICT') ? t('cmdb.classes.versionConflict') : errorText(error)}
          style={{ marginBottom: 16 }}
          data-testid="cmdb-class-form-error"
        />
      )}
      <Form<ClassForm> form={form} layout="vertical" preserve={false} initialValues={initialValues(cls, parentId ?? null)}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="key" label={t('cmdb.classes.key')} extra={t('cmdb.classes.keyHint')} rules={[{ required: true, whitespace: true, message: t('cmdb.classes.keyRequired') }]}>
              <Input maxLength={60} autoComplete="off" disabled={Boolean(cls)} data-testid="cmdb-class-key" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('cmdb.classes.name')} rules={[{ required: true, whitespace: true, message: t('cmdb.classes.nameRequired') }]}>
              <Input maxLength={60} autoComplete="off" data-testid="cmdb-class-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="parentId" label={t('cmdb.classes.parent')}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={[{ value: null, label: t('cmdb.classes.parentNone') }, ...classOptions]}
                data-testid="cmdb-class-parent"
                aria-label={t('cmdb.classes.parent')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="namingRule" label={t('cmdb.classes.namingRule')} extra={t('cmdb.classes.namingRuleHint')}>
              <Input maxLength={200} autoComplete="off" data-testid="cmdb-class-naming-rule" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t('cmdb.classes.description')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 1, maxRows: 4 }} data-testid="cmdb-class-description" />
        </Form.Item>
        <Form.List name="attributes">
          {(fields, { add, remove }) => (
            <Card
              size="small"
              title={t('cmdb.classes.ownAttributes')}
              extra={
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => add({ key: '', label: '', type: 'string', required: false, unique: false, indexed: false, enumValues: [], refClassKey: undefined })}
                  data-testid="cmdb-class-attr-add"
                >
                  {t('cmdb.classes.addAttribute')}
                </Button>
              }
            >
              {fields.map((field, i) => {
                const type = attrs?.[field.name]?.type;
                return (
                  <Row gutter={8} key={field.key} align="top" data-testid={`cmdb-class-attr-${i}`} style={{ borderBottom: '1px dashed rgba(0,0,0,0.08)', marginBottom: 8 }}>
                    <Col xs={12} md={5}>
                      <Form.Item name={[field.name, 'key']} label={t('cmdb.classes.attrKey')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]*$/, message: t('cmdb.classes.keyHint') }]}>
                        <Input maxLength={40} autoComplete="off" data-testid={`cmdb-class-attr-key-${i}`} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={5}>
                      <Form.Item name={[field.name, 'label']} label={t('cmdb.classes.attrLabel')} rules={[{ required: true, whitespace: true, message: t('cmdb.classes.nameRequired') }]}>
                        <Input maxLength={60} autoComplete="off" data-testid={`cmdb-class-attr-label-${i}`} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={4}>
                      <Form.Item name={[field.name, 'type']} label={t('cmdb.classes.attrType')}>
                        <Select
                          options={CI_ATTRIBUTE_TYPES.map((ty) => ({ value: ty, label: t(`cmdb.attrTypes.${ty}`) }))}
                          data-testid={`cmdb-class-attr-type-${i}`}
                          optionRender={(option) => <span data-testid={`cmdb-class-attr-type-${i}-option-${String(option.value)}`}>{option.label}</span>}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={9}>
                      <Flags name={field.name} />
                    </Col>
                    <Col xs={24} md={1}>
                      <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('cmdb.classes.remove')} onClick={() => remove(field.name)} style={{ marginTop: 30 }} />
                    </Col>
                    {type === 'enum' && (
                      <Col xs={24}>
                        <Form.Item name={[field.name, 'enumValues']} label={t('cmdb.classes.enumValues')} extra={t('cmdb.classes.enumValuesHint')} rules={[{ required: true, type: 'array', min: 1, message: t('cmdb.classes.enumValues') }]}>
                          <Select mode="tags" open={false} tokenSeparators={[',', '，']} data-testid={`cmdb-class-attr-enum-${i}`} />
                        </Form.Item>
                      </Col>
                    )}
                    {type === 'reference' && (
                      <Col xs={24}>
                        <Form.Item name={[field.name, 'refClassKey']} label={t('cmdb.classes.refClass')} rules={[{ required: true, message: t('cmdb.classes.refClass') }]}>
                          <Select
                            showSearch={{ optionFilterProp: 'label' }}
                            options={classes.map((c) => ({ value: c.key, label: `${c.name} (${c.key})` }))}
                            data-testid={`cmdb-class-attr-ref-${i}`}
                          />
                        </Form.Item>
                      </Col>
                    )}
                  </Row>
                );
              })}
            </Card>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function Flags({ name }: { name: number }) {
  const { t } = useTranslation();
  return (
    <Row gutter={4} style={{ marginTop: 30 }}>
      <Col>
        <Form.Item name={[name, 'required']} valuePropName="checked" noStyle>
          <Checkbox>{t('cmdb.classes.required')}</Checkbox>
        </Form.Item>
      </Col>
      <Col>
        <Form.Item name={[name, 'unique']} valuePropName="checked" noStyle>
          <Checkbox>{t('cmdb.classes.unique')}</Checkbox>
        </Form.Item>
      </Col>
      <Col>
        <Form.Item name={[name, 'indexed']} valuePropName="checked" noStyle>
          <Checkbox>{t('cmdb.classes.indexed')}</Checkbox>
        </Form.Item>
      </Col>
    </Row>
  );
}
