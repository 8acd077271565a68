import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button, Card, Col, Form, Input, Row, Segmented, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Channel, CreateTicketRequest } from '@tianshu/contracts';
import { useMe } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { CHANNELS, LEVELS } from '../../shared/enums';
import { newIdempotencyKey } from '../../shared/idempotency-key';
import { PriorityTag } from '../../shared/incident-tags.component';
import { channelLabel, levelLabel } from '../../shared/labels';
import { MarkdownEditor } from '../../shared/markdown-editor.component';
import { PageHeader } from '../../shared/page-header.component';
import { useGroups, useOrganizations, usePriorityMatrix } from '../../shared/use-directory.query';
import { UserLookupSelect } from '../../shared/user-lookup-select.component';
import { KnownErrorSuggestions } from '../knowledge/known-error-suggestions.component';
import { useCreateIncident } from './use-incident.mutations';

type Mode = 'standard' | 'phone';

interface NewIncidentForm {
  title: string;
  description?: string;
  orgId?: number;
  impact: number;
  urgency: number;
  category?: string;
  service?: string;
  requesterId?: number | null;
  callerName?: string;
  callerPhone?: string;
  channel?: Channel;
  assignmentGroupId?: number | null;
  major?: boolean;
}

const PHONE_PATTERN = /^[0-9+\-() ]*$/;

function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

export function IncidentNewPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const isProvider = me.orgKind === 'provider';
  const [mode, setMode] = useState<Mode>('standard');
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [form] = Form.useForm<NewIncidentForm>();
  const orgs = useOrganizations(isProvider);
  const groups = useGroups(isProvider);
  const matrix = usePriorityMatrix();
  const create = useCreateIncident();

  const orgId = Form.useWatch('orgId', form);
  const typedTitle = Form.useWatch('title', form) ?? '';
  const typedDescription = Form.useWatch('description', form) ?? '';
  const impact = Form.useWatch('impact', form) ?? 3;
  const urgency = Form.useWatch('urgency', form) ?? 3;
  const computedPriority = matrix.data?.[impact - 1]?.[urgency - 1];
  // Groups with no served organisations serve everyone.
  const groupOptions = (groups.data ?? [])
    .filter((group) => !orgId || group.orgIds.length === 0 || group.orgIds.includes(orgId))
    .map((group) => ({ value: group.id, label: group.name }));

  const onFinish = async (values: NewIncidentForm) => {
    const request: CreateTicketRequest = {
      type: 'incident',
      title: values.title.trim(),
      description: values.description ?? '',
      impact: values.impact,
      urgency: values.urgency,
      category: blankToNull(values.category),
      service: blankToNull(values.service),
      major: values.major ?? false,
    };
    // Customers always report for their own organisation: the server takes it from the session.
    if (isProvider) {
      request.orgId = values.orgId;
      request.requesterId = values.requesterId ?? null;
      request.assignmentGroupId = values.assignmentGroupId ?? null;
      request.channel = mode === 'phone' ? 'phone' : (values.channel ?? 'web');
      if (mode === 'phone') {
        request.callerName = blankToNull(values.callerName);
        request.callerPhone = blankToNull(values.callerPhone);
      }
    }
    const ticket = await create.mutateAsync({ request, idempotencyKey });
    notifySuccess(t('incident.form.created', { number: ticket.number }));
    navigate(`/incidents/${ticket.id}`, { replace: true });
  };

  const levelOptions = LEVELS.map((level) => ({ value: level, label: levelLabel(t, level) }));

  return (
    <>
      <PageHeader title={t('incident.form.title')} testId="page-title" />
      <Card style={{ maxWidth: 960 }}>
        {isProvider && (
          <Segmented<Mode>
            value={mode}
            onChange={setMode}
            options={[
              { value: 'standard', label: <span data-testid="incident-mode-standard">{t('incident.form.modeStandard')}</span> },
              { value: 'phone', label: <span data-testid="incident-mode-phone">{t('incident.form.modePhone')}</span> },
            ]}
            style={{ marginBottom: 16 }}
          />
        )}
        {mode === 'phone' && <Alert type="info" showIcon title={t('incident.form.phoneHint')} style={{ marginBottom: 16 }} />}
        <Form<NewIncidentForm>
          form={form}
          layout="vertical"
          initialValues={{ impact: 3, urgency: 3, channel: 'web', major: false }}
          onFinish={(values) => void onFinish(values).catch(() => undefined)}
          scrollToFirstError
        >
          {mode === 'phone' && (
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="callerName" label={t('incident.field.callerName')} rules={[{ required: true, whitespace: true, message: t('incident.form.callerNameRequired') }]}>
                  <Input maxLength={64} data-testid="incident-caller-name" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="callerPhone" label={t('incident.field.callerPhone')} rules={[{ pattern: PHONE_PATTERN, message: t('incident.form.callerPhoneInvalid') }]}>
                  <Input maxLength={32} inputMode="tel" data-testid="incident-caller-phone" />
                </Form.Item>
              </Col>
            </Row>
          )}
          {isProvider && (
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="orgId" label={t('incident.field.orgId')} rules={[{ required: true, message: t('incident.form.orgRequired') }]}>
                  <Select
                    showSearch={{ optionFilterProp: 'label' }}
                    placeholder={t('incident.form.orgPlaceholder')}
                    loading={orgs.isPending}
                    options={(orgs.data ?? []).map((org) => ({ value: org.id, label: org.name }))}
                    onChange={() => form.setFieldsValue({ requesterId: null, assignmentGroupId: null })}
                    optionRender={(option) => <span data-testid={`incident-org-option-${option.value}`}>{option.label}</span>}
                    data-testid="incident-org"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="requesterId" label={t('incident.field.requesterId')}>
                  <UserLookupSelect orgId={orgId} disabled={!orgId} placeholder={t('incident.form.requesterPlaceholder')} testId="incident-requester" />
                </Form.Item>
              </Col>
            </Row>
          )}
          <Form.Item name="title" label={t('incident.field.title')} rules={[{ required: true, whitespace: true, message: t('incident.form.titleRequired') }]}>
            <Input maxLength={200} showCount placeholder={t('incident.form.titlePlaceholder')} data-testid="incident-title" />
          </Form.Item>
          <Form.Item name="description" label={t('incident.field.description')}>
            <MarkdownEditor placeholder={t('incident.form.descriptionPlaceholder')} rows={mode === 'phone' ? 3 : 6} maxLength={20000} testId="incident-description" />
          </Form.Item>
          <KnownErrorSuggestions text={`${typedTitle}\n${typedDescription}`} orgId={orgId} />
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Form.Item name="impact" label={t('incident.field.impact')}>
                <Select options={levelOptions} data-testid="incident-impact" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="urgency" label={t('incident.field.urgency')}>
                <Select options={levelOptions} data-testid="incident-urgency" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={t('incident.form.computedPriority')} extra={t('incident.form.computedPriorityHelp')}>
                {computedPriority !== undefined && <PriorityTag priority={computedPriority} testId="incident-computed-priority" />}
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="category" label={t('incident.field.category')}>
                <Input maxLength={100} placeholder={t('incident.form.categoryPlaceholder')} data-testid="incident-category" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="service" label={t('incident.field.service')}>
                <Input maxLength={100} placeholder={t('incident.form.servicePlaceholder')} data-testid="incident-service" />
              </Form.Item>
            </Col>
          </Row>
          {isProvider && (
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="assignmentGroupId" label={t('incident.field.assignmentGroupId')}>
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    placeholder={t('incident.form.groupPlaceholder')}
                    options={groupOptions}
                    optionRender={(option) => <span data-testid={`incident-group-option-${option.value}`}>{option.label}</span>}
                    data-testid="incident-group"
                  />
                </Form.Item>
              </Col>
              {mode === 'standard' && (
                <Col xs={12} md={6}>
                  <Form.Item name="channel" label={t('incident.field.channel')}>
                    <Select options={CHANNELS.map((channel) => ({ value: channel, label: channelLabel(t, channel) }))} data-testid="incident-channel" />
                  </Form.Item>
                </Col>
              )}
              <Col xs={12} md={6}>
                <Form.Item name="major" label={t('incident.field.major')} valuePropName="checked">
                  <Switch data-testid="incident-major" />
                </Form.Item>
              </Col>
            </Row>
          )}
          <Space>
            <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="incident-save">
              {t('common.save')}
            </Button>
            <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
