import { useState } from 'react';
import { Button, Card, Col, Empty, Flex, Form, Input, InputNumber, List, Row, Select, Switch, Tabs, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FormField, FormFieldType, ShowIfRule } from '@tianshu/contracts';
import { localized } from '../workflows/workflow-labels';
import { FIELD_TYPES, initialValues, move, newField, renameField, type FormValues } from './form-values';
import { RequestFormRenderer } from './request-form-renderer.component';

const CHOICE = new Set<FormFieldType>(['select', 'multiselect']);
const RANGED = new Set<FormFieldType>(['text', 'textarea', 'number', 'multiselect']);
const PATTERNED = new Set<FormFieldType>(['text', 'textarea', 'email', 'phone']);

function ShowIfEditor({ field, earlier, onChange }: { field: FormField; earlier: FormField[]; onChange: (rules: ShowIfRule[]) => void }) {
  const { t, i18n } = useTranslation();
  const rules = field.showIf;
  const set = (i: number, patch: Partial<ShowIfRule>) => onChange(rules.map((r, j) => (j === i ? ({ ...r, ...patch } as ShowIfRule) : r)));
  return (
    <>
      {rules.map((r, i) => {
        const target = earlier.find((f) => f.key === r.field);
        const options = target?.options.map((o) => ({ value: o.value, label: localized(o.label, i18n.language) })) ?? [];
        const valueInput =
          r.op === 'set' ? null : target && CHOICE.has(target.type) ? (
            <Select
              mode={r.op === 'in' ? 'multiple' : undefined}
              value={r.value as never}
              onChange={(v: string | string[]) => set(i, { value: v })}
              options={options}
              style={{ minWidth: 160 }}
              data-testid={`designer-showif-value-${i}`}
            />
          ) : target?.type === 'checkbox' ? (
            <Select value={r.value as never} onChange={(v: boolean) => set(i, { value: v })} options={[{ value: true, label: t('common.yes') }, { value: false, label: t('common.no') }]} style={{ width: 100 }} />
          ) : (
            <Input
              value={Array.isArray(r.value) ? r.value.join(',') : r.value === undefined ? '' : String(r.value)}
              onChange={(e) => set(i, { value: r.op === 'in' ? e.target.value.split(',').map((s) => s.trim()).filter(Boolean) : e.target.value })}
              placeholder={r.op === 'in' ? 'a,b,c' : ''}
              style={{ width: 160 }}
              data-testid={`designer-showif-value-${i}`}
            />
          );
        return (
          <Flex key={i} gap={6} wrap align="center" style={{ marginBottom: 6 }}>
            <Select
              value={r.field}
              onChange={(v: string) => set(i, { field: v, value: undefined })}
              options={earlier.map((f) => ({ value: f.key, label: localized(f.label, i18n.language) }))}
              style={{ minWidth: 140 }}
              data-testid={`designer-showif-field-${i}`}
            />
            <Select
              value={r.op}
              onChange={(op: ShowIfRule['op']) => set(i, { op, value: op === 'in' ? [] : op === 'set' ? undefined : '' })}
              options={(['eq', 'neq', 'in', 'set'] as const).map((op) => ({ value: op, label: t(`request.designer.ops.${op}`) }))}
              style={{ width: 120 }}
              data-testid={`designer-showif-op-${i}`}
            />
            {valueInput}
            <Button type="text" danger icon={<DeleteOutlined />} onClick={() => onChange(rules.filter((_r, j) => j !== i))} aria-label={t('common.delete')} />
          </Flex>
        );
      })}
      <Button
        size="small"
        icon={<PlusOutlined />}
        disabled={earlier.length === 0}
        onClick={() => onChange([...rules, { field: earlier[earlier.length - 1]!.key, op: 'set' }])}
        data-testid="designer-showif-add"
      >
        {t('request.designer.addRule')}
      </Button>
      {earlier.length === 0 && <Typography.Text type="secondary"> {t('request.designer.noEarlier')}</Typography.Text>}
    </>
  );
}

function FieldEditor({ field, earlier, onChange, onRename }: { field: FormField; earlier: FormField[]; onChange: (f: FormField) => void; onRename: (key: string) => void }) {
  const { t } = useTranslation();
  const set = (patch: Partial<FormField>) => onChange({ ...field, ...patch });
  const num = (v: number | null) => (v === null ? undefined : v);
  return (
    <Form layout="vertical" component="div" size="small">
      <Row gutter={8}>
        <Col span={12}>
          <Form.Item label={t('request.designer.key')} help={t('request.designer.keyHelp')}>
            <Input value={field.key} onChange={(e) => onRename(e.target.value.trim())} data-testid="designer-key" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('request.designer.type')}>
            <Select<FormFieldType>
              value={field.type}
              onChange={(type) => set({ type, default: undefined, ...(CHOICE.has(type) ? {} : { options: [] }) })}
              options={FIELD_TYPES.map((x) => ({ value: x, label: t(`request.fieldType.${x}`) }))}
              data-testid="designer-type"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('request.designer.labelZh')}>
            <Input value={field.label['zh-CN']} onChange={(e) => set({ label: { ...field.label, 'zh-CN': e.target.value } })} data-testid="designer-label-zh" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('request.designer.labelEn')}>
            <Input value={field.label['en-US']} onChange={(e) => set({ label: { ...field.label, 'en-US': e.target.value } })} data-testid="designer-label-en" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t('request.designer.required')}>
        <Switch checked={field.required} onChange={(required) => set({ required })} data-testid="designer-required" />
      </Form.Item>
      {CHOICE.has(field.type) && (
        <Form.Item label={t('request.designer.options')}>
          {field.options.map((o, i) => (
            <Flex key={i} gap={6} style={{ marginBottom: 6 }}>
              <Input placeholder={t('request.designer.optionValue')} value={o.value} onChange={(e) => set({ options: field.options.map((x, j) => (j === i ? { ...x, value: e.target.value.trim() } : x)) })} data-testid={`designer-option-value-${i}`} />
              <Input placeholder={t('request.designer.labelZh')} value={o.label['zh-CN']} onChange={(e) => set({ options: field.options.map((x, j) => (j === i ? { ...x, label: { ...x.label, 'zh-CN': e.target.value } } : x)) })} data-testid={`designer-option-zh-${i}`} />
              <Input placeholder={t('request.designer.labelEn')} value={o.label['en-US']} onChange={(e) => set({ options: field.options.map((x, j) => (j === i ? { ...x, label: { ...x.label, 'en-US': e.target.value } } : x)) })} data-testid={`designer-option-en-${i}`} />
              <Button type="text" danger icon={<DeleteOutlined />} onClick={() => set({ options: field.options.filter((_x, j) => j !== i) })} aria-label={t('common.delete')} />
            </Flex>
          ))}
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => set({ options: [...field.options, { value: `option_${field.options.length + 1}`, label: { 'zh-CN': `选项${field.options.length + 1}`, 'en-US': `Option ${field.options.length + 1}` } }] })}
            data-testid="designer-option-add"
          >
            {t('request.designer.addOption')}
          </Button>
        </Form.Item>
      )}
      {RANGED.has(field.type) && (
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item label={t(field.type === 'number' ? 'request.designer.minValue' : field.type === 'multiselect' ? 'request.designer.minCount' : 'request.designer.minLength')}>
              <InputNumber value={field.min ?? null} onChange={(v) => set({ min: num(v) })} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={t(field.type === 'number' ? 'request.designer.maxValue' : field.type === 'multiselect' ? 'request.designer.maxCount' : 'request.designer.maxLength')}>
              <InputNumber value={field.max ?? null} onChange={(v) => set({ max: num(v) })} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      )}
      {PATTERNED.has(field.type) && (
        <Form.Item label={t('request.designer.pattern')} help={t('request.designer.patternHelp')}>
          <Input value={field.pattern ?? ''} onChange={(e) => set({ pattern: e.target.value || undefined })} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      )}
      <Row gutter={8}>
        <Col span={12}>
          <Form.Item label={t('request.designer.helpZh')}>
            <Input value={field.help?.['zh-CN'] ?? ''} onChange={(e) => set({ help: { 'zh-CN': e.target.value, 'en-US': field.help?.['en-US'] ?? '' } })} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('request.designer.helpEn')}>
            <Input value={field.help?.['en-US'] ?? ''} onChange={(e) => set({ help: { 'zh-CN': field.help?.['zh-CN'] ?? '', 'en-US': e.target.value } })} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t('request.designer.showIf')} help={t('request.designer.showIfHelp')}>
        <ShowIfEditor field={field} earlier={earlier} onChange={(showIf) => set({ showIf })} />
      </Form.Item>
    </Form>
  );
}

interface DesignerProps {
  fields: FormField[];
  onChange: (fields: FormField[]) => void;
}

/** Edits a form's fields (order, type, required, options, ranges, show-if) with a live preview. */
export function FormDesigner({ fields, onChange }: DesignerProps) {
  const { t, i18n } = useTranslation();
  const [selected, setSelected] = useState(0);
  const [preview, setPreview] = useState<FormValues | null>(null);
  const current = fields[selected];
  const update = (i: number, f: FormField) => onChange(fields.map((x, j) => (j === i ? f : x)));
  return (
    <Tabs
      items={[
        {
          key: 'design',
          label: t('request.designer.design'),
          children: (
            <Row gutter={16}>
              <Col xs={24} md={9}>
                <List
                  size="small"
                  bordered
                  dataSource={fields}
                  data-testid="designer-fields"
                  renderItem={(f, i) => (
                    <List.Item
                      onClick={() => setSelected(i)}
                      style={{ cursor: 'pointer', background: i === selected ? '#e6f4ff' : undefined }}
                      data-testid={`designer-field-${f.key}`}
                      actions={[
                        <Button key="up" type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={(e) => { e.stopPropagation(); onChange(move(fields, i, -1)); setSelected(i - 1); }} aria-label={t('request.designer.moveUp')} />,
                        <Button key="down" type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === fields.length - 1} onClick={(e) => { e.stopPropagation(); onChange(move(fields, i, 1)); setSelected(i + 1); }} aria-label={t('request.designer.moveDown')} />,
                        <Button key="del" type="text" size="small" danger icon={<DeleteOutlined />} disabled={fields.length === 1} onClick={(e) => { e.stopPropagation(); onChange(fields.filter((_x, j) => j !== i)); setSelected(Math.max(0, i - 1)); }} aria-label={t('common.delete')} />,
                      ]}
                    >
                      <Flex vertical>
                        <Typography.Text>
                          {localized(f.label, i18n.language)}
                          {f.required && <Typography.Text type="danger"> *</Typography.Text>}
                        </Typography.Text>
                        <Flex gap={4}>
                          <Tag>{t(`request.fieldType.${f.type}`)}</Tag>
                          {f.showIf.length > 0 && <Tag color="purple">{t('request.designer.conditional')}</Tag>}
                        </Flex>
                      </Flex>
                    </List.Item>
                  )}
                />
                <Button
                  block
                  icon={<PlusOutlined />}
                  style={{ marginTop: 8 }}
                  onClick={() => {
                    onChange([...fields, newField(fields)]);
                    setSelected(fields.length);
                  }}
                  data-testid="designer-add-field"
                >
                  {t('request.designer.addField')}
                </Button>
              </Col>
              <Col xs={24} md={15}>
                <Card size="small">{current ? <FieldEditor key={selected} field={current} earlier={fields.slice(0, selected)} onChange={(f) => update(selected, f)} onRename={(k) => onChange(renameField(fields, selected, k))} /> : <Empty />}</Card>
              </Col>
            </Row>
          ),
        },
        {
          key: 'preview',
          label: t('request.designer.preview'),
          children: (
            <Card size="small" style={{ maxWidth: 760 }} data-testid="designer-preview">
              <RequestFormRenderer fields={fields} values={preview ?? initialValues(fields)} onChange={setPreview} testIdPrefix="preview-field" />
              <Button onClick={() => setPreview(null)}>{t('common.reset')}</Button>
            </Card>
          ),
        },
      ]}
    />
  );
}
