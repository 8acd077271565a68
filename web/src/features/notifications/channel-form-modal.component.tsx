import { Alert, Checkbox, Form, Input, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NotificationChannel, NotificationChannelKind, NotificationEventName } from '@tianshu/contracts';
import { useAuth } from '../../app/auth-context';
import { errorText } from '../../app/notifier';
import { useOrganizations } from '../../shared/use-directory.query';
import { testId } from '../../shared/test-id';
import { CHANNEL_KINDS, NOTIFICATION_EVENT_NAMES, eventLabel, kindLabel } from './notification-types';
import { useCreateChannel, useUpdateChannel } from './use-notifications.mutation';

interface ChannelForm {
  name: string;
  kind: NotificationChannelKind;
  url: string;
  secret: string;
  clearSecret: boolean;
  events: NotificationEventName[];
  orgId: number | null;
  enabled: boolean;
}

interface ChannelFormModalProps {
  open: boolean;
  /** null: a new channel. */
  channel: NotificationChannel | null;
  onClose: () => void;
  onSaved: (channel: NotificationChannel, created: boolean) => void;
}

const isHttpUrl = (value: string) => {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};

export function ChannelFormModal({ open, channel, onClose, onSaved }: ChannelFormModalProps) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [form] = Form.useForm<ChannelForm>();
  const create = useCreateChannel();
  const update = useUpdateChannel();
  const orgs = useOrganizations(open && can('org.read'));
  const kind = Form.useWatch('kind', form) ?? channel?.kind ?? 'webhook';
  const clearSecret = Form.useWatch('clearSecret', form) ?? false;
  const mutation = channel ? update : create;

  const submit = async () => {
    const v = await form.validateFields();
    const secret = v.secret?.trim() ?? '';
    const common = { name: v.name.trim(), kind: v.kind, url: v.url.trim(), events: v.events ?? [], orgId: v.orgId ?? null, enabled: v.enabled };
    if (channel) {
      const saved = await update.mutateAsync({
        id: channel.id,
        request: { version: channel.version, ...common, ...(v.clearSecret ? { secret: null } : secret ? { secret } : {}) },
      });
      onSaved(saved, false);
    } else {
      const saved = await create.mutateAsync({ ...common, ...(secret ? { secret } : {}) });
      onSaved(saved, true);
    }
  };

  const close = () => {
    create.reset();
    update.reset();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={channel ? t('notification.channels.editTitle') : t('notification.channels.createTitle')}
      onCancel={close}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      okButtonProps={testId('channel-save', {})}
      width={640}
      destroyOnHidden
    >
      {mutation.error && <Alert type="error" showIcon title={errorText(mutation.error)} style={{ marginBottom: 16 }} data-testid="channel-form-error" />}
      <Form<ChannelForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          name: channel?.name ?? '',
          kind: channel?.kind ?? 'webhook',
          url: channel?.url ?? '',
          secret: '',
          clearSecret: false,
          events: (channel?.events ?? []) as NotificationEventName[],
          orgId: channel?.orgId ?? null,
          enabled: channel?.enabled ?? true,
        }}
      >
        <Form.Item name="name" label={t('notification.channels.name')} rules={[{ required: true, whitespace: true, message: t('notification.channels.nameRequired') }]}>
          <Input maxLength={100} autoComplete="off" data-testid="channel-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('notification.channels.kind')} rules={[{ required: true }]}>
          <Select options={CHANNEL_KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))} data-testid="channel-kind" />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('notification.channels.url')}
          extra={t(`notification.channels.urlHelp.${kind}`)}
          rules={[{ validator: (_r, value: string) => (value && isHttpUrl(value.trim()) ? Promise.resolve() : Promise.reject(new Error(t('notification.channels.urlRequired')))) }]}
        >
          <Input maxLength={2000} autoComplete="off" placeholder="https://" data-testid="channel-url" />
        </Form.Item>
        <Form.Item
          name="secret"
          label={t('notification.channels.secret')}
          extra={[t(`notification.channels.secretHelp.${kind}`), channel?.hasSecret ? t('notification.channels.secretKeep') : ''].filter(Boolean).join(' ')}
        >
          <Input.Password maxLength={500} autoComplete="new-password" disabled={kind === 'wecom' || clearSecret} data-testid="channel-secret" />
        </Form.Item>
        {channel?.hasSecret && (
          <Form.Item name="clearSecret" valuePropName="checked" style={{ marginTop: -8 }}>
            <Checkbox data-testid="channel-secret-clear">{t('notification.channels.secretClear')}</Checkbox>
          </Form.Item>
        )}
        <Form.Item name="events" label={t('notification.channels.events')} extra={t('notification.channels.eventsHelp')}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('notification.channels.eventsAll')}
            options={NOTIFICATION_EVENT_NAMES.map((e) => ({ value: e, label: eventLabel(t, e) }))}
            data-testid="channel-events"
          />
        </Form.Item>
        <Form.Item name="orgId" label={t('notification.channels.org')} extra={t('notification.channels.orgHelp')}>
          <Select<number | null>
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('notification.channels.orgAll')}
            loading={orgs.isPending && orgs.fetchStatus !== 'idle'}
            options={[
              ...(channel?.orgId && !orgs.data?.some((o) => o.id === channel.orgId) ? [{ value: channel.orgId, label: channel.orgName ?? `#${channel.orgId}` }] : []),
              ...(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name })),
            ]}
            onClear={() => form.setFieldValue('orgId', null)}
            data-testid="channel-org"
          />
        </Form.Item>
        <Form.Item name="enabled" label={t('notification.channels.enabled')} valuePropName="checked">
          <Switch data-testid="channel-enabled" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
