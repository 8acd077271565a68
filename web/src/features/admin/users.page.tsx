import { useState } from 'react';
import { Button, Flex, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { notifySuccess } from '../../app/notifier';
import { ROLES } from '../../shared/enums';
import { formatDateTime } from '../../shared/format';
import { roleLabel } from '../../shared/labels';
import { PageHeader } from '../../shared/page-header.component';
import { SecretModal } from '../../shared/secret-modal.component';
import { testId } from '../../shared/test-id';
import { useOrganizations } from '../../shared/use-directory.query';
import { useIsMobile } from '../../shared/use-is-mobile';
import { UserFormModal } from './user-form-modal.component';
import { type UserListParams, useResetPassword, useUnlockUser, useUsers } from './use-users.query';

function isLocked(user: User): boolean {
  return user.lockedUntil !== null && new Date(user.lockedUntil).getTime() > Date.now();
}

export function UsersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const isMobile = useIsMobile();
  const [params, setParams] = useState<UserListParams>({ page: 1, pageSize: 20 });
  const users = useUsers(params);
  const orgs = useOrganizations();
  const reset = useResetPassword();
  const unlock = useUnlockUser();
  const [editing, setEditing] = useState<User | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [secret, setSecret] = useState<{ username: string; password: string } | null>(null);

  // Mirrors the server: the security admin edits roles and status and resets credentials.
  const mayManage = can('user.manage');
  const maySecure = can('user.security') || mayManage;
  const mayEdit = mayManage || can('user.security');

  const resetPassword = async (user: User) => {
    const result = await reset.mutateAsync(user.id);
    if (result.password) setSecret({ username: user.username, password: result.password });
  };

  const columns: TableColumnsType<User> = [
    { title: t('admin.users.username'), dataIndex: 'username', key: 'username', render: (value: string) => <span data-testid={`user-row-${value}`}>{value}</span> },
    { title: t('admin.users.displayName'), dataIndex: 'displayName', key: 'displayName' },
    { title: t('admin.users.org'), dataIndex: 'orgName', key: 'orgName' },
    {
      title: t('admin.users.roles'),
      dataIndex: 'roles',
      key: 'roles',
      render: (roles: Role[]) => roles.map((role) => <Tag key={role}>{roleLabel(t, role)}</Tag>),
    },
    {
      title: t('admin.users.status'),
      key: 'status',
      render: (_value, user) => (
        <Space size={4} wrap>
          <Tag color={user.status === 'active' ? 'green' : 'default'}>{t(`userStatus.${user.status}`)}</Tag>
          {isLocked(user) && <Tag color="red">{t('userStatus.locked')}</Tag>}
          {user.mustChangePassword && <Tag color="orange">{t('admin.users.mustChange')}</Tag>}
        </Space>
      ),
    },
    { title: t('admin.users.lastLoginAt'), dataIndex: 'lastLoginAt', key: 'lastLoginAt', render: formatDateTime },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_value, user) => (
        <Space size={4} wrap>
          {mayEdit && (
            <Button
              size="small"
              onClick={() => {
                setEditing(user);
                setFormOpen(true);
              }}
              data-testid={`user-edit-${user.username}`}
            >
              {t('common.edit')}
            </Button>
          )}
          {maySecure && (
            <Popconfirm
              title={t('admin.users.resetConfirm')}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              okButtonProps={testId('modal-ok', {})}
              onConfirm={() => resetPassword(user)}
            >
              <Button size="small" data-testid={`user-reset-${user.username}`}>
                {t('admin.users.resetPassword')}
              </Button>
            </Popconfirm>
          )}
          {maySecure && isLocked(user) && (
            <Button
              size="small"
              onClick={() => unlock.mutateAsync(user.id).then(() => notifySuccess(t('admin.users.unlocked')))}
              data-testid={`user-unlock-${user.username}`}
            >
              {t('admin.users.unlock')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('admin.users.title')}
        testId="page-title"
        extra={
          mayManage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setEditing(null);
                setFormOpen(true);
              }}
              data-testid="user-create"
            >
              {t('admin.users.create')}
            </Button>
          )
        }
      />
      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          enterButton
          placeholder={t('admin.users.searchPlaceholder')}
          onSearch={(q) => setParams((old) => ({ ...old, q: q.trim() || undefined, page: 1 }))}
          style={{ width: isMobile ? '100%' : 280 }}
          data-testid="users-search"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('admin.users.anyOrg')}
          options={(orgs.data ?? []).map((org) => ({ value: org.id, label: org.name }))}
          onChange={(orgId?: number) => setParams((old) => ({ ...old, orgId, page: 1 }))}
          style={{ width: isMobile ? '100%' : 200 }}
        />
        <Select
          allowClear
          placeholder={t('admin.users.anyRole')}
          options={ROLES.map((role) => ({ value: role, label: roleLabel(t, role) }))}
          onChange={(role?: Role) => setParams((old) => ({ ...old, role, page: 1 }))}
          style={{ width: isMobile ? '100%' : 180 }}
        />
      </Flex>
      <Table<User>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={users.data?.items ?? []}
        loading={users.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: params.page,
          pageSize: params.pageSize,
          total: users.data?.total ?? 0,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (page, pageSize) => setParams((old) => ({ ...old, page, pageSize })),
        }}
      />
      <UserFormModal
        user={editing}
        open={formOpen}
        onClose={() => setFormOpen(false)}
        onCreated={(username, password) => {
          notifySuccess(t('admin.users.created'));
          if (password) setSecret({ username, password });
        }}
      />
      <SecretModal
        open={secret !== null}
        title={t('admin.users.oneTimePasswordTitle')}
        hint={t('admin.users.oneTimePasswordText', { username: secret?.username ?? '' })}
        secret={secret?.password ?? ''}
        testId="one-time-password"
        onClose={() => setSecret(null)}
      />
    </>
  );
}
