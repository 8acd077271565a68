import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button, Card, Col, DatePicker, Form, Input, Row, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CreateReleaseRequest } from '@tianshu/contracts';
import { errorText, notifySuccess } from '../../app/notifier';
import { newIdempotencyKey } from '../../shared/idempotency-key';
import { MarkdownEditor } from '../../shared/markdown-editor.component';
import { PageHeader } from '../../shared/page-header.component';
import { useGroups, useOrganizations } from '../../shared/use-directory.query';
import { ChangeSelect } from './change-select.component';
import { useCreateRelease } from './use-releases.mutation';

interface NewReleaseForm {
  orgId?: number;
  title: string;
  versionLabel: string;
  plannedReleaseAt?: Dayjs | null;
  description?: string;
  releasePlan?: string;
  rollbackPlan: string;
  changeIds?: number[];
  assignmentGroupId?: number | null;
}

export function ReleaseNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [form] = Form.useForm<NewReleaseForm>();
  const orgs = useOrganizations();
  const groups = useGroups();
  const create = useCreateRelease();
  const orgId = Form.useWatch('orgId', form);
  const groupOptions = (groups.data ?? [])
    .filter((group) => !orgId || group.orgIds.length === 0 || group.orgIds.includes(orgId))
    .map((group) => ({ value: group.id, label: group.name }));

  const onFinish = async (v: NewReleaseForm) => {
    const request: CreateReleaseRequest = {
      orgId: v.orgId,
      title: v.title.trim(),
      versionLabel: v.versionLabel.trim(),
      description: v.description ?? '',
      releasePlan: v.releasePlan ?? '',
      rollbackPlan: v.rollbackPlan,
      plannedReleaseAt: v.plannedReleaseAt ? v.plannedReleaseAt.toISOString() : null,
      changeIds: v.changeIds ?? [],
      assignmentGroupId: v.assignmentGroupId ?? null,
    };
    const r = await create.mutateAsync({ request, idempotencyKey });
    notifySuccess(t('release.created', { number: r.ticket.number }));
    navigate(`/releases/${r.ticket.id}`, { replace: true });
  };

  return (
    <>
      <PageHeader title={t('release.createTitle')} testId="page-title" />
      <Card style={{ maxWidth: 960 }}>
        {create.error && <Alert type="error" showIcon title={errorText(create.error)} style={{ marginBottom: 16 }} data-testid="release-form-error" />}
        <Form<NewReleaseForm> form={form} layout="vertical" onFinish={(v) => void onFinish(v).catch(() => undefined)} scrollToFirstError>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="orgId" label={t('release.field.org')} rules={[{ required: true, message: t('release.form.orgRequired') }]}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('release.form.orgPlaceholder')}
                  loading={orgs.isPending}
                  options={(orgs.data ?? []).map((org) => ({ value: org.id, label: org.name }))}
                  onChange={() => form.setFieldsValue({ changeIds: [], assignmentGroupId: null })}
                  optionRender={(option) => <span data-testid={`release-org-option-${option.value}`}>{option.label}</span>}
                  data-testid="release-org"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="assignmentGroupId" label={t('release.field.assignmentGroup')}>
                <Select allowClear options={groupOptions} loading={groups.isPending} data-testid="release-group" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="title" label={t('release.field.title')} rules={[{ required: true, whitespace: true, message: t('release.form.titleRequired') }]}>
                <Input maxLength={200} data-testid="release-title" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="versionLabel" label={t('release.field.versionLabel')} rules={[{ required: true, whitespace: true, message: t('release.form.versionRequired') }]}>
                <Input maxLength={64} placeholder="v2.3.0" data-testid="release-version" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="plannedReleaseAt" label={t('release.field.plannedReleaseAt')}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="release-planned" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="changeIds" label={t('release.form.changes')}>
            <ChangeSelect orgId={orgId} testId="release-changes" />
          </Form.Item>
          <Form.Item name="description" label={t('release.field.description')}>
            <Input.TextArea rows={3} maxLength={20000} data-testid="release-description" />
          </Form.Item>
          <Form.Item name="releasePlan" label={t('release.field.releasePlan')}>
            <MarkdownEditor rows={6} maxLength={50000} placeholder={t('release.form.planPlaceholder')} testId="release-plan" />
          </Form.Item>
          <Form.Item
            name="rollbackPlan"
            label={t('release.field.rollbackPlan')}
            extra={t('release.form.rollbackHint')}
            rules={[{ required: true, whitespace: true, message: t('release.form.rollbackRequired') }]}
          >
            <MarkdownEditor rows={5} maxLength={50000} testId="release-rollback-plan" />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="release-submit">
              {t('common.create')}
            </Button>
            <Button onClick={() => navigate('/releases')}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
