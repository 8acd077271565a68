import { useState } from 'react';
import { Button, Form, Input, InputNumber, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '@tianshu/contracts';
import { notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/page-header.component';
import { SecretModal } from '../../shared/secret-modal.component';
import { testId } from '../../shared/test-id';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from './use-api-tokens.query';

interface CreateTokenForm {
  name: string;
  expiresInDays?: number | null;
}

function TokenStatus({ token }: { token: ApiToken }) {
  const { t } = useTranslation();
  if (token.revokedAt) return <Tag>{t('tokens.revoked')}</Tag>;
  if (token.expiresAt && new Date(token.expiresAt).getTime() < Date.now()) return <Tag color="orange">{t('tokens.expired')}</Tag>;
  return <Tag color="green">{t('tokens.active')}</Tag>;
}

export function ApiTokensPage() {
  const { t } = useTranslation();
  const tokens = useApiTokens();
  const create = useCreateApiToken();
  const revoke = useRevokeApiToken();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm<CreateTokenForm>();

  const submit = async () => {
    const values = await form.validateFields();
    const created = await create.mutateAsync({
      name: values.name,
      ...(values.expiresInDays ? { expiresInDays: values.expiresInDays } : {}),
    });
    setCreating(false);
    form.resetFields();
    setSecret(created.token);
  };

  const columns: TableColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name', key: 'name' },
    { title: t('tokens.prefix'), dataIndex: 'prefix', key: 'prefix', render: (value: string) => <Typography.Text code>{value}</Typography.Text> },
    { title: t('common.status'), key: 'status', render: (_value, token) => <TokenStatus token={token} /> },
    { title: t('common.createdAt'), dataIndex: 'createdAt', key: 'createdAt', render: formatDateTime },
    { title: t('tokens.lastUsedAt'), dataIndex: 'lastUsedAt', key: 'lastUsedAt', render: (value: string | null) => (value ? formatDateTime(value) : t('tokens.never')) },
    { title: t('tokens.expiresAt'), dataIndex: 'expiresAt', key: 'expiresAt', render: (value: string | null) => (value ? formatDateTime(value) : t('tokens.neverExpires')) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_value, token) =>
        token.revokedAt ? null : (
          <Popconfirm
            title={t('tokens.revokeConfirm')}
            okText={t('tokens.revoke')}
            cancelText={t('common.cancel')}
            okButtonProps={testId('modal-ok', { danger: true })}
            onConfirm={() => revoke.mutateAsync(token.id).then(() => notifySuccess(t('tokens.revoked')))}
          >
            <Button danger size="small" data-testid={`token-revoke-${token.id}`}>
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('tokens.title')}
        testId="page-title"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-create">
            {t('tokens.create')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
      <Table<ApiToken>
        rowKey="id"
        columns={columns}
        dataSource={tokens.data ?? []}
        loading={tokens.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('tokens.empty') }}
      />
      <Modal
        open={creating}
        title={t('tokens.create')}
        onCancel={() => setCreating(false)}
        onOk={() => void submit().catch(() => undefined)}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        okButtonProps={testId('modal-ok', {})}
        destroyOnHidden
      >
        <Form<CreateTokenForm> form={form} layout="vertical" preserve={false}>
          <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, whitespace: true, max: 64, message: t('common.required') }]}>
            <Input maxLength={64} data-testid="token-name" />
          </Form.Item>
          <Form.Item name="expiresInDays" label={t('tokens.expiresInDays')} extra={t('tokens.expiresInDaysHelp')}>
            <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} data-testid="token-expires" />
          </Form.Item>
        </Form>
      </Modal>
      <SecretModal
        open={secret !== null}
        title={t('tokens.createdTitle')}
        hint={t('tokens.secretOnce')}
        secret={secret ?? ''}
        testId="token-secret"
        onClose={() => setSecret(null)}
      />
    </>
  );
}
