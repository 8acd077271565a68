import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Form, Input, Modal, Select, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Workflow, WorkflowSummary } from '@tianshu/contracts';
import { api } from '../../app/api-client';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { useCreateWorkflow, useWorkflows } from './use-workflows.query';
import { WORKFLOW_KEY_PATTERN } from './workflow-edit';
import { localized } from './workflow-labels';

type TicketType = WorkflowSummary['ticketType'];
const TICKET_TYPES: readonly TicketType[] = ['incident', 'request', 'problem', 'change', 'release'];

interface CreateForm {
  copyFrom: string;
  key: string;
  ticketType: TicketType;
  nameZh: string;
  nameEn: string;
}

/** A new workflow starts as a copy of an existing one (the definition must be valid from the start). */
function CreateWorkflowModal({ open, workflows, onClose }: { open: boolean; workflows: WorkflowSummary[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<CreateForm>();
  const create = useCreateWorkflow();
  const [loading, setLoading] = useState(false);

  const submit = async () => {
    const values = await form.validateFields();
    setLoading(true);
    try {
      const source = await api.get<Workflow>(`/api/workflows/${encodeURIComponent(values.copyFrom)}`);
      const created = await create.mutateAsync({
        key: values.key.trim(),
        ticketType: values.ticketType,
        name: { 'zh-CN': values.nameZh.trim(), 'en-US': values.nameEn.trim() },
        definition: source.definition,
      });
      notifySuccess(t('workflow.create.created'));
      onClose();
      void navigate(`/settings/workflows/${encodeURIComponent(created.key)}`);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('workflow.create.title')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('workflow.common.ok')}
      cancelText={t('workflow.common.cancel')}
      confirmLoading={loading}
      okButtonProps={testId('modal-ok', {})}
      cancelButtonProps={testId('modal-cancel', {})}
      destroyOnHidden
      data-testid="workflow-create-modal"
    >
      <Form<CreateForm> form={form} layout="vertical" preserve={false}>
        <Form.Item name="copyFrom" label={t('workflow.create.copyFrom')} rules={[{ required: true, message: t('workflow.create.copyFromRequired') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={workflows.map((w) => ({ value: w.key, label: `${localized(w.name, i18n.language)} (${w.key})` }))}
            onChange={(key: string) => {
              const source = workflows.find((w) => w.key === key);
              if (source && !form.getFieldValue('ticketType')) form.setFieldValue('ticketType', source.ticketType);
            }}
            optionRender={(option) => <span data-testid={`workflow-copy-option-${option.value}`}>{option.label}</span>}
            data-testid="workflow-copy-from"
          />
        </Form.Item>
        <Form.Item
          name="key"
          label={t('workflow.create.key')}
          extra={t('workflow.create.keyHint')}
          rules={[
            { required: true, whitespace: true, message: t('workflow.create.keyRequired') },
            { pattern: WORKFLOW_KEY_PATTERN, message: t('workflow.create.keyInvalid') },
            { max: 64 },
          ]}
        >
          <Input maxLength={64} data-testid="workflow-key" />
        </Form.Item>
        <Form.Item name="ticketType" label={t('workflow.list.ticketType')} rules={[{ required: true }]}>
          <Select
            options={TICKET_TYPES.map((type) => ({ value: type, label: t(`workflow.ticketType.${type}`) }))}
            optionRender={(option) => <span data-testid={`workflow-type-option-${option.value}`}>{option.label}</span>}
            data-testid="workflow-ticket-type"
          />
        </Form.Item>
        <Form.Item name="nameZh" label={t('workflow.create.nameZh')} rules={[{ required: true, whitespace: true, message: t('workflow.create.nameRequired') }]}>
          <Input maxLength={64} data-testid="workflow-name-zh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('workflow.create.nameEn')} rules={[{ required: true, whitespace: true, message: t('workflow.create.nameRequired') }]}>
          <Input maxLength={64} data-testid="workflow-name-en" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function WorkflowListPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { can } = useAuth();
  const workflows = useWorkflows();
  const [creating, setCreating] = useState(false);
  const open = (key: string) => void navigate(`/settings/workflows/${encodeURIComponent(key)}`);

  const columns: TableColumnsType<WorkflowSummary> = [
    {
      title: t('workflow.list.key'),
      key: 'key',
      render: (_v, w) => (
        <Link to={`/settings/workflows/${encodeURIComponent(w.key)}`} data-testid={`workflow-link-${w.key}`}>
          {w.key}
        </Link>
      ),
    },
    { title: t('workflow.list.ticketType'), key: 'ticketType', render: (_v, w) => t(`workflow.ticketType.${w.ticketType}`) },
    {
      title: t('workflow.list.name'),
      key: 'name',
      render: (_v, w) => (
        <>
          {localized(w.name, i18n.language)} {w.builtIn ? <Tag>{t('workflow.list.builtIn')}</Tag> : <Tag color="purple">{t('workflow.list.custom')}</Tag>}
        </>
      ),
    },
    { title: t('workflow.list.currentVersion'), key: 'version', align: 'right', render: (_v, w) => <span data-testid={`workflow-version-${w.key}`}>v{w.currentVersion}</span> },
    {
      title: t('workflow.list.olderTickets'),
      key: 'older',
      align: 'right',
      render: (_v, w) => (
        <span data-testid={`workflow-older-${w.key}`}>{w.ticketsOnOlderVersions > 0 ? <Tag color="gold">{w.ticketsOnOlderVersions}</Tag> : 0}</span>
      ),
    },
    { title: t('workflow.list.updatedAt'), key: 'updatedAt', render: (_v, w) => formatDateTime(w.updatedAt) },
  ];

  return (
    <>
      <PageHeader
        title={t('workflow.list.title')}
        testId="page-title"
        extra={
          can('workflow.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="workflow-new">
              {t('workflow.list.create')}
            </Button>
          )
        }
      />
      <Card>
        <Table<WorkflowSummary>
          rowKey="key"
          loading={workflows.isPending}
          columns={columns}
          dataSource={workflows.data ?? []}
          pagination={false}
          locale={{ emptyText: t('workflow.list.empty') }}
          onRow={(w) => testId(`workflow-row-${w.key}`, { onClick: () => open(w.key), style: { cursor: 'pointer' } })}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <CreateWorkflowModal open={creating} workflows={workflows.data ?? []} onClose={() => setCreating(false)} />
    </>
  );
}
