import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Col, Form, Input, Modal, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CreateProblemRequest } from '@tianshu/contracts';
import { errorText, notifySuccess } from '../../app/notifier';
import { LEVELS } from '../../shared/enums';
import { newIdempotencyKey } from '../../shared/idempotency-key';
import { levelLabel } from '../../shared/labels';
import { testId } from '../../shared/test-id';
import { useOrganizations } from '../../shared/use-directory.query';
import { TicketPicker } from './ticket-picker.component';
import { useCreateProblem } from './use-problems.query';

interface FormValues {
  title: string;
  orgId?: number;
  incidentIds?: number[];
  description?: string;
  symptom?: string;
  impact: number;
  urgency: number;
}

interface Props {
  onClose: () => void;
  /** Prefilled from an incident page: that incident (and its organisation and title). */
  initial?: { incidentIds: number[]; known: { id: number; number: string; title: string }[]; orgId?: number; title?: string };
}

/** Creates a problem, optionally from a set of incidents of one organisation. */
export function ProblemFormModal({ onClose, initial }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const orgs = useOrganizations();
  const create = useCreateProblem();
  const incidentIds = Form.useWatch('incidentIds', form) ?? [];
  const levelOptions = LEVELS.map((level) => ({ value: level, label: levelLabel(t, level) }));

  const submit = async () => {
    const v = await form.validateFields();
    const request: CreateProblemRequest = {
      title: v.title.trim(),
      description: v.description ?? '',
      impact: v.impact,
      urgency: v.urgency,
      ...(v.orgId ? { orgId: v.orgId } : {}),
      ...(v.incidentIds?.length ? { incidentIds: v.incidentIds } : {}),
      ...(v.symptom ? { symptom: v.symptom } : {}),
    };
    const p = await create.mutateAsync({ request, idempotencyKey });
    notifySuccess(t('problem.created', { number: p.ticket.number }));
    onClose();
    navigate(`/problems/${p.ticket.id}`);
  };

  return (
    <Modal
      open
      title={t('problem.createTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      okButtonProps={testId('problem-save', {})}
      width={720}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ impact: 3, urgency: 3, incidentIds: initial?.incidentIds ?? [], orgId: initial?.orgId, title: initial?.title }}
        data-testid="problem-form"
      >
        {create.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorText(create.error)} data-testid="problem-form-error" />}
        <Form.Item name="title" label={t('problem.field.title')} rules={[{ required: true, whitespace: true, message: t('problem.form.titleRequired') }]}>
          <Input maxLength={200} data-testid="problem-title" />
        </Form.Item>
        <Form.Item name="incidentIds" label={t('problem.field.incidentPicker')} extra={t('problem.form.incidentsHelp')}>
          <TicketPicker type="incident" known={initial?.known} placeholder={t('problem.form.incidentsPlaceholder')} testId="problem-incidents" />
        </Form.Item>
        <Form.Item
          name="orgId"
          label={t('problem.field.org')}
          rules={[{ required: incidentIds.length === 0, message: t('problem.form.orgRequired') }]}
        >
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
            loading={orgs.isPending}
            optionRender={(option) => <span data-testid={`problem-org-option-${option.value}`}>{option.label}</span>}
            data-testid="problem-org"
          />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="impact" label={t('problem.field.impact')}>
              <Select options={levelOptions} data-testid="problem-impact" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="urgency" label={t('problem.field.urgency')}>
              <Select options={levelOptions} data-testid="problem-urgency" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="symptom" label={t('problem.field.symptom')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={20000} data-testid="problem-symptom" />
        </Form.Item>
        <Form.Item name="description" label={t('problem.field.description')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={20000} data-testid="problem-description" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
