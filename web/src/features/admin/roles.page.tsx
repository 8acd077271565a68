import { useMemo } from 'react';
import { Alert, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckCircleTwoTone, MinusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PERMISSIONS, isPermission } from '../../shared/enums';
import { permissionLabel, roleLabel } from '../../shared/labels';
import { PageHeader } from '../../shared/page-header.component';
import { useRoles } from './use-admin-directory.query';

interface MatrixRow {
  permission: string;
  granted: Set<string>;
}

/** Read-only: roles and their permissions are defined by the server. */
export function RolesPage() {
  const { t } = useTranslation();
  const roles = useRoles();

  const rows = useMemo<MatrixRow[]>(() => {
    const data = roles.data ?? [];
    // Known permissions first in their usual order, then anything newer the server reports.
    const extra = [...new Set(data.flatMap((role) => role.permissions))].filter((p) => !isPermission(p));
    return [...PERMISSIONS, ...extra].map((permission) => ({
      permission,
      granted: new Set(data.filter((role) => role.permissions.includes(permission)).map((role) => role.role)),
    }));
  }, [roles.data]);

  const columns: TableColumnsType<MatrixRow> = [
    {
      title: t('admin.roles.permission'),
      dataIndex: 'permission',
      key: 'permission',
      fixed: 'start',
      render: (permission: string) => (
        <>
          <div>{isPermission(permission) ? permissionLabel(t, permission) : permission}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {permission}
          </Typography.Text>
        </>
      ),
    },
    ...(roles.data ?? []).map((role) => ({
      title: roleLabel(t, role.role),
      key: role.role,
      align: 'center' as const,
      render: (_value: unknown, row: MatrixRow) =>
        row.granted.has(role.role) ? (
          <CheckCircleTwoTone twoToneColor="#52c41a" aria-label={t('admin.roles.granted')} data-testid={`grant-${role.role}-${row.permission}`} />
        ) : (
          <MinusOutlined style={{ color: '#bfbfbf' }} aria-label={t('admin.roles.notGranted')} />
        ),
    })),
  ];

  return (
    <>
      <PageHeader title={t('admin.roles.title')} testId="page-title" />
      <Alert type="info" showIcon title={t('admin.roles.intro')} style={{ marginBottom: 16 }} />
      <Table<MatrixRow>
        rowKey="permission"
        size="small"
        bordered
        columns={columns}
        dataSource={rows}
        loading={roles.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
    </>
  );
}
