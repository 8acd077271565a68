import { useState } from 'react';
import { Button, Form, Input, Modal, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Organization } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { useOrganizations } from '../../shared/use-directory.query';
import { useCreateOrganization, useUpdateOrganization } from './use-admin-directory.query';

interface OrgForm {
  name: string;
  code: string;
}

const CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export function OrganizationsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const orgs = useOrganizations();
  const create = useCreateOrganization();
  const update = useUpdateOrganization();
  const [form] = Form.useForm<OrgForm>();
  // undefined: closed; null: creating; an organisation: renaming it.
  const [editing, setEditing] = useState<Organization | null | undefined>(undefined);
  const mayManage = can('org.manage');

  const submit = async () => {
    const values = await form.validateFields();
    if (editing) await update.mutateAsync({ id: editing.id, name: values.name.trim() });
    else await create.mutateAsync({ name: values.name.trim(), code: values.code.trim() });
    notifySuccess(t('common.saved'));
    setEditing(undefined);
  };

  const columns: TableColumnsType<Organization> = [
    { title: t('admin.orgs.name'), dataIndex: 'name', key: 'name', render: (name: string, org) => <span data-testid={`org-row-${org.code}`}>{name}</span> },
    { title: t('admin.orgs.code'), dataIndex: 'code', key: 'code' },
    {
      title: t('admin.orgs.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (kind: Organization['kind']) => <Tag color={kind === 'provider' ? 'blue' : 'default'}>{t(`orgKind.${kind}`)}</Tag>,
    },
    { title: t('common.createdAt'), dataIndex: 'createdAt', key: 'createdAt', render: formatDateTime },
    ...(mayManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_value: unknown, org: Organization) => (
              <Button size="small" onClick={() => setEditing(org)} data-testid={`org-edit-${org.code}`}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('admin.orgs.title')}
        testId="page-title"
        extra={
          mayManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="org-create">
              {t('admin.orgs.create')}
            </Button>
          )
        }
      />
      <Table<Organization>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={orgs.data ?? []}
        loading={orgs.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (total) => t('common.total', { count: total }) }}
      />
      <Modal
        open={editing !== undefined}
        title={editing ? t('admin.orgs.edit') : t('admin.orgs.create')}
        onCancel={() => setEditing(undefined)}
        onOk={() => void submit().catch(() => undefined)}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending || update.isPending}
        okButtonProps={testId('modal-ok', {})}
        destroyOnHidden
      >
        <Form<OrgForm> form={form} layout="vertical" preserve={false} initialValues={editing ? { name: editing.name, code: editing.code } : {}}>
          <Form.Item name="name" label={t('admin.orgs.name')} rules={[{ required: true, whitespace: true, message: t('admin.orgs.nameRequired') }]}>
            <Input maxLength={100} data-testid="org-name" />
          </Form.Item>
          <Form.Item name="code" label={t('admin.orgs.code')} rules={[{ required: true, pattern: CODE_PATTERN, message: t('admin.orgs.codeInvalid') }]}>
            <Input maxLength={32} disabled={Boolean(editing)} data-testid="org-code" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
