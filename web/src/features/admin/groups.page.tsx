import { useMemo, useState } from 'react';
import { Button, Form, Input, Modal, Select, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Group } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { PageHeader } from '../../shared/page-header.component';
import { testId } from '../../shared/test-id';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { useGroups, useOrganizations } from '../../shared/use-directory.query';
import { type GroupInput, useSaveGroup } from './use-admin-directory.query';
import { useUserDirectory } from './use-users.query';

interface GroupForm {
  name: string;
  description?: string;
  leadUserId?: number | null;
  memberIds: number[];
  orgIds: number[];
}

export function GroupsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const groups = useGroups();
  const orgs = useOrganizations();
  const save = useSaveGroup();
  const [form] = Form.useForm<GroupForm>();
  // undefined: closed; null: creating; a group: editing it.
  const [editing, setEditing] = useState<Group | null | undefined>(undefined);
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const mayManage = can('group.manage');
  const mayReadUsers = can('user.read');
  // The unfiltered first page names the members in the table; the search feeds the picker.
  const allUsers = useUserDirectory('', mayReadUsers);
  const found = useUserDirectory(q, mayReadUsers && editing !== undefined);

  const userNames = useMemo(() => {
    const names = new Map<number, string>();
    for (const user of [...(allUsers.data?.items ?? []), ...(found.data?.items ?? [])]) names.set(user.id, user.displayName);
    return names;
  }, [allUsers.data, found.data]);
  const orgNames = useMemo(() => new Map((orgs.data ?? []).map((org) => [org.id, org.name])), [orgs.data]);
  const userName = (id: number) => userNames.get(id) ?? t('common.unknownUser', { id });

  const memberIds = Form.useWatch('memberIds', form) ?? [];
  const memberOptions = useMemo(() => {
    const ids = new Set<number>([...(found.data?.items ?? []).map((user) => user.id), ...memberIds]);
    return [...ids].map((id) => ({ value: id, label: userNames.get(id) ?? t('common.unknownUser', { id }) }));
  }, [found.data, memberIds, userNames, t]);

  const submit = async () => {
    const values = await form.validateFields();
    const input: GroupInput = {
      name: values.name.trim(),
      description: values.description?.trim() || null,
      leadUserId: values.leadUserId ?? null,
      memberIds: values.memberIds,
      orgIds: values.orgIds,
    };
    await save.mutateAsync({ id: editing ? editing.id : null, input });
    notifySuccess(t('common.saved'));
    setEditing(undefined);
  };

  const columns: TableColumnsType<Group> = [
    { title: t('admin.groups.name'), dataIndex: 'name', key: 'name', render: (name: string) => <span data-testid={`group-row-${name}`}>{name}</span> },
    { title: t('admin.groups.description'), dataIndex: 'description', key: 'description', ellipsis: true },
    { title: t('admin.groups.lead'), dataIndex: 'leadUserId', key: 'lead', render: (id: number | null) => (id ? userName(id) : t('common.none')) },
    {
      title: t('admin.groups.members'),
      dataIndex: 'memberIds',
      key: 'members',
      render: (ids: number[]) => <span title={ids.map(userName).join(t('common.listSeparator'))}>{t('admin.groups.memberCount', { count: ids.length })}</span>,
    },
    {
      title: t('admin.groups.orgs'),
      dataIndex: 'orgIds',
      key: 'orgs',
      render: (ids: number[]) =>
        ids.length === 0 ? <Tag>{t('common.all')}</Tag> : ids.map((id) => <Tag key={id}>{orgNames.get(id) ?? `#${id}`}</Tag>),
    },
    ...(mayManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_value: unknown, group: Group) => (
              <Button size="small" onClick={() => setEditing(group)} data-testid={`group-edit-${group.id}`}>
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
        title={t('admin.groups.title')}
        testId="page-title"
        extra={
          mayManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="group-create">
              {t('admin.groups.create')}
            </Button>
          )
        }
      />
      <Table<Group>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={groups.data ?? []}
        loading={groups.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (total) => t('common.total', { count: total }) }}
      />
      <Modal
        open={editing !== undefined}
        title={editing ? t('admin.groups.edit') : t('admin.groups.create')}
        onCancel={() => setEditing(undefined)}
        onOk={() => void submit().catch(() => undefined)}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={save.isPending}
        okButtonProps={testId('modal-ok', {})}
        destroyOnHidden
      >
        <Form<GroupForm>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={
            editing
              ? { name: editing.name, description: editing.description ?? '', leadUserId: editing.leadUserId, memberIds: editing.memberIds, orgIds: editing.orgIds }
              : { memberIds: [], orgIds: [] }
          }
        >
          <Form.Item name="name" label={t('admin.groups.name')} rules={[{ required: true, whitespace: true, message: t('admin.groups.nameRequired') }]}>
            <Input maxLength={100} data-testid="group-name" />
          </Form.Item>
          <Form.Item name="description" label={t('admin.groups.description')}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 5 }} data-testid="group-description" />
          </Form.Item>
          <Form.Item name="memberIds" label={t('admin.groups.members')}>
            <Select
              mode="multiple"
              showSearch={{ filterOption: false, onSearch: setSearch }}
              placeholder={t('admin.groups.membersPlaceholder')}
              options={memberOptions}
              loading={found.isFetching}
              onChange={(ids: number[]) => {
                const lead = form.getFieldValue('leadUserId') as number | null | undefined;
                if (lead && !ids.includes(lead)) form.setFieldValue('leadUserId', null);
              }}
              data-testid="group-members"
            />
          </Form.Item>
          <Form.Item name="leadUserId" label={t('admin.groups.lead')}>
            <Select allowClear options={memberIds.map((id) => ({ value: id, label: userName(id) }))} data-testid="group-lead" />
          </Form.Item>
          <Form.Item name="orgIds" label={t('admin.groups.orgs')} extra={t('admin.groups.orgsHelp')}>
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              options={(orgs.data ?? []).map((org) => ({ value: org.id, label: org.name }))}
              data-testid="group-orgs"
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
