import { useState } from 'react';
import { Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CreateUserRequest, Locale, Role, User } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { LOCALES } from '../../app/i18n/i18n';
import { ADMIN_ROLE_LIST, ROLES } from '../../shared/enums';
import { roleLabel } from '../../shared/labels';
import { testId } from '../../shared/test-id';
import { useOrganizations } from '../../shared/use-directory.query';
import { useDebouncedValue } from '../../shared/use-debounced-value';
import { useCreateUser, useUpdateUser, useUserDirectory } from './use-users.query';

interface UserForm {
  username: string;
  displayName: string;
  email?: string;
  phone?: string;
  managerId?: number | null;
  orgId: number;
  roles: Role[];
  password?: string;
  locale?: Locale;
  status: User['status'];
}

interface UserFormModalProps {
  /** null: create a new user. */
  user: User | null;
  open: boolean;
  onClose: () => void;
  /** Called with the one-time password when the server generated one. */
  onCreated: (username: string, password: string | null) => void;
}

const USERNAME_PATTERN = /^[A-Za-z0-9_.@-]{2,64}$/;

/** The line manager: approver of "requester's manager" approval steps. */
function ManagerSelect({ value, onChange, disabled, selfId }: { value?: number | null; onChange?: (v: number | null) => void; disabled?: boolean; selfId?: number }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const users = useUserDirectory(q, !disabled);
  const options = (users.data?.items ?? [])
    .filter((u) => u.id !== selfId && u.status === 'active')
    .map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }));
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: t('common.unknownUser', { id: value }) });
  return (
    <Select<number | null>
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value ?? null}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      loading={users.isFetching}
      disabled={disabled}
      placeholder={t('approval.managerNone')}
      data-testid="user-manager"
    />
  );
}

export function UserFormModal({ user, open, onClose, onCreated }: UserFormModalProps) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [form] = Form.useForm<UserForm>();
  const orgs = useOrganizations(open);
  const create = useCreateUser();
  const update = useUpdateUser();
  const editing = user !== null;
  // Without user.manage (a security admin) only roles and status may change.
  const personalLocked = editing && !can('user.manage');

  // Granting an admin role needs user.security as well (separation of duties); the server enforces it.
  const roleOptions = ROLES.map((role) => ({
    value: role,
    label: roleLabel(t, role),
    disabled: ADMIN_ROLE_LIST.includes(role) && !can('user.security'),
  }));

  const submit = async () => {
    const values = await form.validateFields();
    const email = values.email?.trim() || null;
    const phone = values.phone?.trim() || null;
    if (user) {
      const personal = personalLocked ? {} : { displayName: values.displayName.trim(), email, phone, managerId: values.managerId ?? null };
      await update.mutateAsync({ id: user.id, patch: { ...personal, roles: values.roles, status: values.status } });
      onClose();
      return;
    }
    const request: CreateUserRequest = {
      username: values.username.trim(),
      displayName: values.displayName.trim(),
      email,
      phone,
      ...(values.managerId ? { managerId: values.managerId } : {}),
      orgId: values.orgId,
      roles: values.roles,
      ...(values.password ? { password: values.password } : {}),
      ...(values.locale ? { locale: values.locale } : {}),
    };
    const created = await create.mutateAsync(request);
    onClose();
    onCreated(created.user.username, created.password);
  };

  return (
    <Modal
      open={open}
      title={editing ? t('admin.users.edit') : t('admin.users.create')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={testId('modal-ok', {})}
      destroyOnHidden
    >
      <Form<UserForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          user
            ? { ...user, email: user.email ?? '', phone: user.phone ?? '' }
            : { roles: [], status: 'active', locale: 'zh-CN' }
        }
      >
        <Form.Item name="username" label={t('admin.users.username')} rules={[{ required: true, pattern: USERNAME_PATTERN, message: t('admin.users.usernameInvalid') }]}>
          <Input disabled={editing} autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('admin.users.displayName')} rules={[{ required: true, whitespace: true, message: t('admin.users.displayNameRequired') }]}>
          <Input maxLength={64} disabled={personalLocked} data-testid="user-display-name" />
        </Form.Item>
        <Form.Item name="email" label={t('admin.users.email')} rules={[{ type: 'email', message: t('admin.users.emailInvalid') }]}>
          <Input maxLength={254} disabled={personalLocked} data-testid="user-email" />
        </Form.Item>
        <Form.Item name="phone" label={t('admin.users.phone')}>
          <Input maxLength={32} disabled={personalLocked} data-testid="user-phone" />
        </Form.Item>
        <Form.Item name="managerId" label={t('approval.manager')} extra={t('approval.managerHelp')}>
          <ManagerSelect disabled={personalLocked} selfId={user?.id} />
        </Form.Item>
        <Form.Item name="orgId" label={t('admin.users.org')} rules={[{ required: true, message: t('admin.users.orgRequired') }]}>
          <Select
            disabled={editing}
            showSearch={{ optionFilterProp: 'label' }}
            options={(orgs.data ?? []).map((org) => ({ value: org.id, label: org.name }))}
            optionRender={(option) => <span data-testid={`user-org-option-${option.value}`}>{option.label}</span>}
            data-testid="user-org"
          />
        </Form.Item>
        <Form.Item name="roles" label={t('admin.users.roles')} rules={[{ required: true, type: 'array', min: 1, message: t('admin.users.rolesRequired') }]}>
          <Select
            mode="multiple"
            options={roleOptions}
            optionRender={(option) => <span data-testid={`user-role-option-${option.value}`}>{option.label}</span>}
            data-testid="user-roles"
          />
        </Form.Item>
        {editing ? (
          <Form.Item name="status" label={t('admin.users.status')}>
            <Select
              options={(['active', 'disabled'] as const).map((status) => ({ value: status, label: t(`userStatus.${status}`) }))}
              data-testid="user-status"
            />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="password" label={t('admin.users.password')} extra={t('admin.users.passwordHelp')}>
              <Input.Password autoComplete="new-password" data-testid="user-password" />
            </Form.Item>
            <Form.Item name="locale" label={t('admin.users.locale')}>
              <Select options={LOCALES.map((locale) => ({ value: locale, label: t(`languages.${locale}`) }))} data-testid="user-locale" />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
