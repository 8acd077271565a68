import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button, Card, Col, DatePicker, Divider, Empty, Flex, Form, Input, InputNumber, Row, Segmented, Select, Space, Switch, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CHANGE_TYPES, type ChangeTemplate, type ChangeType, type CreateChangeRequest, type RiskAnswers } from '@tianshu/contracts';
import { errorText, notifySuccess } from '../../app/notifier';
import { useOrganizations } from '../../shared/use-directory.query';
import { PageHeader } from '../../shared/page-header.component';
import { UserLookupSelect } from '../../shared/user-lookup-select.component';
import { CiMultiPicker } from '../cmdb/ci-picker.component';
import { RiskQuestionnaire } from './risk-questionnaire.component';
import { useChangeTemplates, useCreateChange, useImpactedServices } from './use-changes.query';

type StepForm = { title: string; ownerId?: number | null; offsetMinutes?: number; durationMinutes?: number };

type FormValues = {
  changeType: ChangeType;
  templateId?: number;
  orgId?: number;
  title: string;
  description?: string;
  reason?: string;
  scope?: string;
  ciIds?: number[];
  riskAnswers?: Partial<RiskAnswers>;
  implementationPlan?: string;
  testPlan?: string;
  rollbackPlan?: string;
  plannedStart?: Dayjs | null;
  plannedEnd?: Dayjs | null;
  outageExpected?: boolean;
  outageMinutes?: number | null;
  cutoverSteps?: StepForm[];
};

/** The new change form: type (and template for standard), fields, CIs with the impacted services, risk, plans, window, cutover. */
export function ChangeNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const orgs = useOrganizations();
  const templates = useChangeTemplates(true);
  const create = useCreateChange();
  const [error, setError] = useState<string | null>(null);
  const changeType = Form.useWatch('changeType', form) ?? 'normal';
  const ciIds = Form.useWatch('ciIds', form) ?? [];
  const answers = Form.useWatch('riskAnswers', form);
  const outage = Form.useWatch('outageExpected', form) ?? false;
  const impacted = useImpactedServices(ciIds);

  const applyTemplate = (tpl: ChangeTemplate | undefined) => {
    if (!tpl) return;
    const d = tpl.defaults;
    form.setFieldsValue({
      reason: d.reason,
      scope: d.scope,
      implementationPlan: d.implementationPlan,
      testPlan: d.testPlan,
      rollbackPlan: d.rollbackPlan,
      outageExpected: d.outageExpected,
      outageMinutes: d.outageMinutes,
      ...(d.riskAnswers ? { riskAnswers: d.riskAnswers } : {}),
      cutoverSteps: d.cutoverSteps.map((s) => ({ title: s.title, ownerId: s.ownerId ?? null, offsetMinutes: s.offsetMinutes ?? 0, durationMinutes: s.durationMinutes ?? 0 })),
    });
    notifySuccess(t('change.form.templateApplied'));
  };

  const submit = async (v: FormValues) => {
    setError(null);
    const body: CreateChangeRequest = {
      changeType: v.changeType,
      templateId: v.changeType === 'standard' ? (v.templateId ?? null) : null,
      orgId: v.orgId,
      title: v.title,
      description: v.description ?? '',
      reason: v.reason ?? '',
      scope: v.scope ?? '',
      ciIds: v.ciIds ?? [],
      implementationPlan: v.implementationPlan ?? '',
      testPlan: v.testPlan ?? '',
      rollbackPlan: v.rollbackPlan ?? '',
      plannedStart: v.plannedStart ? v.plannedStart.toISOString() : null,
      plannedEnd: v.plannedEnd ? v.plannedEnd.toISOString() : null,
      outageExpected: v.outageExpected ?? false,
      outageMinutes: v.outageExpected ? (v.outageMinutes ?? null) : null,
      cutoverSteps: (v.cutoverSteps ?? []).filter((s) => s.title?.trim()).map((s) => ({ title: s.title.trim(), ownerId: s.ownerId ?? null, offsetMinutes: s.offsetMinutes ?? 0, durationMinutes: s.durationMinutes ?? 0 })),
    };
    if (v.riskAnswers && Object.keys(v.riskAnswers).length) body.riskAnswers = v.riskAnswers as RiskAnswers;
    try {
      const c = await create.mutateAsync(body);
      notifySuccess(t('change.created'));
      void navigate(`/changes/${c.ticket.id}`);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <>
      <PageHeader title={t('change.createTitle')} testId="page-title" />
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ changeType: 'normal', outageExpected: false, cutoverSteps: [] }}
        onFinish={(v) => void submit(v)}
        data-testid="change-form"
        scrollToFirstError
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="change-form-error" />}
        <Row gutter={16}>
          <Col xs={24} lg={14}>
            <Card style={{ marginBottom: 16 }}>
              <Form.Item name="changeType" label={t('change.field.type')} extra={t(`change.typeHints.${changeType}`)}>
                <Segmented<ChangeType> options={CHANGE_TYPES.map((x) => ({ value: x, label: <span data-testid={`change-type-${x}`}>{t(`change.types.${x}`)}</span> }))} />
              </Form.Item>
              {changeType === 'standard' && (
                <Form.Item name="templateId" label={t('change.field.template')} rules={[{ required: true, message: t('change.form.templateRequired') }]}>
                  <Select<number>
                    loading={templates.isPending}
                    options={(templates.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
                    onChange={(id) => applyTemplate(templates.data?.find((x) => x.id === id))}
                    optionRender={(o) => <span data-testid={`change-template-option-${o.value}`}>{o.label}</span>}
                    data-testid="change-template"
                  />
                </Form.Item>
              )}
              <Form.Item name="orgId" label={t('change.field.org')} rules={[{ required: true, message: t('change.form.orgRequired') }]}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={orgs.isPending}
                  options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
                  onChange={() => form.setFieldsValue({ ciIds: [] })}
                  optionRender={(o) => <span data-testid={`change-org-option-${o.value}`}>{o.label}</span>}
                  data-testid="change-org"
                />
              </Form.Item>
              <Form.Item name="title" label={t('change.field.title')} rules={[{ required: true, whitespace: true, message: t('change.form.titleRequired') }]}>
                <Input maxLength={200} data-testid="change-title" />
              </Form.Item>
              <Form.Item name="description" label={t('change.field.description')}>
                <Input.TextArea rows={2} maxLength={20000} data-testid="change-description" />
              </Form.Item>
              <Form.Item name="reason" label={t('change.field.reason')}>
                <Input.TextArea rows={2} maxLength={5000} data-testid="change-reason" />
              </Form.Item>
              <Form.Item name="scope" label={t('change.field.scope')}>
                <Input.TextArea rows={2} maxLength={5000} data-testid="change-scope" />
              </Form.Item>
            </Card>
            <Card title={t('change.detail.plans')} style={{ marginBottom: 16 }}>
              <Form.Item name="implementationPlan" label={t('change.field.implementationPlan')}>
                <Input.TextArea rows={3} maxLength={20000} data-testid="change-implementation-plan" />
              </Form.Item>
              <Form.Item name="testPlan" label={t('change.field.testPlan')}>
                <Input.TextArea rows={2} maxLength={20000} data-testid="change-test-plan" />
              </Form.Item>
              <Form.Item name="rollbackPlan" label={t('change.field.rollbackPlan')} rules={[{ required: true, whitespace: true, message: t('change.form.rollbackRequired') }]}>
                <Input.TextArea rows={3} maxLength={20000} data-testid="change-rollback-plan" />
              </Form.Item>
            </Card>
            <Card title={t('change.form.cutoverSteps')} style={{ marginBottom: 16 }}>
              <Form.List name="cutoverSteps">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f, i) => (
                      <Flex key={f.key} gap={8} align="start" wrap>
                        <Typography.Text style={{ paddingTop: 5, width: 20 }}>{i + 1}</Typography.Text>
                        <Form.Item name={[f.name, 'title']} rules={[{ required: true, whitespace: true, message: t('change.form.stepTitle') }]} style={{ flex: 2, minWidth: 180 }}>
                          <Input placeholder={t('change.form.stepTitle')} data-testid={`cutover-step-title-${i}`} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'ownerId']} style={{ flex: 1, minWidth: 160 }}>
                          <UserLookupSelect placeholder={t('change.form.stepOwner')} testId={`cutover-step-owner-${i}`} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'offsetMinutes']} tooltip={t('change.form.stepOffset')}>
                          <InputNumber min={0} placeholder={t('change.form.stepOffset')} style={{ width: 120 }} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'durationMinutes']}>
                          <InputNumber min={0} placeholder={t('change.form.stepDuration')} style={{ width: 110 }} />
                        </Form.Item>
                        <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="remove" />
                      </Flex>
                    ))}
                    <Button icon={<PlusOutlined />} onClick={() => add({ title: '', ownerId: null, offsetMinutes: 0, durationMinutes: 0 })} data-testid="cutover-add-step">
                      {t('change.form.addStep')}
                    </Button>
                  </>
                )}
              </Form.List>
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card title={t('change.detail.impact')} style={{ marginBottom: 16 }}>
              <Form.Item name="ciIds" label={t('change.field.cis')}>
                <CiMultiPicker known={[]} placeholder={t('change.form.ciPlaceholder')} testId="change-cis" />
              </Form.Item>
              <Typography.Text strong>{t('change.field.services')}</Typography.Text>
              <div style={{ marginTop: 8 }} data-testid="change-impacted-services">
                {impacted.services.length ? (
                  <Space wrap>
                    {impacted.services.map((s) => (
                      <Tag key={s.id} color="purple">
                        {s.name}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={ciIds.length ? t('change.form.servicesNone') : t('change.form.servicesHint')} />
                )}
              </div>
            </Card>
            <Card title={t('change.field.plannedWindow')} style={{ marginBottom: 16 }}>
              <Row gutter={8}>
                <Col span={12}>
                  <Form.Item name="plannedStart" label={t('change.field.plannedStart')}>
                    <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="change-planned-start" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item
                    name="plannedEnd"
                    label={t('change.field.plannedEnd')}
                    dependencies={['plannedStart']}
                    rules={[
                      ({ getFieldValue }) => ({
                        validator: (_r, value: Dayjs | null | undefined) => {
                          const start = getFieldValue('plannedStart') as Dayjs | null | undefined;
                          return !value || !start || value.isAfter(start) ? Promise.resolve() : Promise.reject(new Error(t('change.form.windowInvalid')));
                        },
                      }),
                    ]}
                  >
                    <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="change-planned-end" />
                  </Form.Item>
                </Col>
              </Row>
              <Space align="start" wrap>
                <Form.Item name="outageExpected" label={t('change.field.outageExpected')} valuePropName="checked">
                  <Switch data-testid="change-outage" />
                </Form.Item>
                {outage && (
                  <Form.Item name="outageMinutes" label={t('change.field.outageMinutes')}>
                    <InputNumber min={0} max={60 * 24 * 7} data-testid="change-outage-minutes" />
                  </Form.Item>
                )}
              </Space>
            </Card>
            <Card title={t('change.riskTitle')} style={{ marginBottom: 16 }}>
              <RiskQuestionnaire answers={answers} />
            </Card>
          </Col>
        </Row>
        <Divider />
        <Flex gap={8}>
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="change-submit">
            {t('change.form.submit')}
          </Button>
          <Button onClick={() => void navigate('/changes')}>{t('common.cancel')}</Button>
        </Flex>
      </Form>
    </>
  );
}
