import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { notifySuccess, errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { formatInZone } from '../calendars/calendar-time';
import { useDurationText } from './service-presentation.component';
import { isoToPicker, PICKER_FORMAT, pickerToIso } from './service-time';
import type { MaintenanceWindow } from './service-types';
import { useDeleteWindow, useSaveWindow } from './use-services.mutation';
import { useMaintenanceWindows } from './use-services.query';

interface WindowForm {
  title: string;
  startsAt: Dayjs | null;
  endsAt: Dayjs | null;
}

function WindowFormModal({ serviceId, timeZone, window, open, onClose }: { serviceId: number; timeZone: string; window?: MaintenanceWindow; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<WindowForm>();
  const save = useSaveWindow();
  const initial: WindowForm = window
    ? { title: window.title, startsAt: isoToPicker(window.startsAt, timeZone), endsAt: isoToPicker(window.endsAt, timeZone) }
    : { title: '', startsAt: null, endsAt: null };

  const submit = async () => {
    const v = await form.validateFields();
    if (!v.startsAt || !v.endsAt) return;
    const request = { title: v.title.trim(), startsAt: pickerToIso(v.startsAt, timeZone), endsAt: pickerToIso(v.endsAt, timeZone) };
    await (window ? save.mutateAsync({ serviceId, id: window.id, request }) : save.mutateAsync({ serviceId, request }));
    notifySuccess(t('service.windows.saved'));
    close();
  };
  const close = () => {
    save.reset();
    onClose();
  };
  const endAfterStart = (_rule: unknown, value: Dayjs | null) => {
    const start = form.getFieldValue('startsAt') as Dayjs | null;
    if (!value || !start || value.isAfter(start)) return Promise.resolve();
    return Promise.reject(new Error(t('service.outages.endBeforeStart')));
  };

  return (
    <Modal
      open={open}
      title={window ? t('service.windows.editTitle') : t('service.windows.createTitle')}
      onCancel={close}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={testId('window-form-ok', {})}
      destroyOnHidden
    >
      {save.error && <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 16 }} data-testid="window-form-error" />}
      <Typography.Paragraph type="secondary">{t('service.zoneNote', { timeZone })}</Typography.Paragraph>
      <Form<WindowForm> form={form} layout="vertical" preserve={false} initialValues={initial}>
        <Form.Item name="title" label={t('service.windows.name')} rules={[{ required: true, whitespace: true, message: t('service.windows.nameRequired') }]}>
          <Input maxLength={200} data-testid="window-title" />
        </Form.Item>
        <Form.Item name="startsAt" label={t('service.windows.startsAt')} rules={[{ required: true, message: t('service.windows.required') }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format={PICKER_FORMAT} style={{ width: '100%' }} data-testid="window-start" />
        </Form.Item>
        <Form.Item
          name="endsAt"
          label={t('service.windows.endsAt')}
          dependencies={['startsAt']}
          rules={[{ required: true, message: t('service.windows.required') }, { validator: endAfterStart }]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format={PICKER_FORMAT} style={{ width: '100%' }} data-testid="window-end" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Planned maintenance windows of a service: excluded from agreed service time. */
export function MaintenanceWindowsCard({ serviceId, timeZone, canManage }: { serviceId: number; timeZone: string; canManage: boolean }) {
  const { t } = useTranslation();
  const duration = useDurationText();
  const windows = useMaintenanceWindows(serviceId);
  const remove = useDeleteWindow();
  const [editing, setEditing] = useState<MaintenanceWindow | 'new' | null>(null);

  const columns: TableColumnsType<MaintenanceWindow> = [
    { title: t('service.windows.name'), dataIndex: 'title', key: 'title' },
    { title: t('service.windows.startsAt'), key: 'startsAt', render: (_v, w) => formatInZone(w.startsAt, timeZone) },
    { title: t('service.windows.endsAt'), key: 'endsAt', render: (_v, w) => formatInZone(w.endsAt, timeZone) },
    { title: t('service.outages.duration'), key: 'duration', render: (_v, w) => duration((Date.parse(w.endsAt) - Date.parse(w.startsAt)) / 60_000) },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_v, w) => (
        <Space size={0}>
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(w)} data-testid={`window-edit-${w.id}`}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t('service.windows.deleteConfirm')}
            okText={t('common.ok')}
            cancelText={t('common.cancel')}
            onConfirm={() => remove.mutate({ serviceId, id: w.id }, { onSuccess: () => notifySuccess(t('service.windows.deleted')) })}
          >
            <Button type="link" danger size="small" icon={<DeleteOutlined />} data-testid={`window-delete-${w.id}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  return (
    <Card
      size="small"
      title={t('service.windows.title')}
      data-testid="maintenance-windows-card"
      extra={
        canManage && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="window-new">
            {t('service.windows.add')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('service.windows.hint')}</Typography.Paragraph>
      <Table<MaintenanceWindow>
        rowKey="id"
        size="small"
        loading={windows.isPending}
        columns={columns}
        dataSource={windows.data ?? []}
        pagination={(windows.data?.length ?? 0) > 10 ? { pageSize: 10 } : false}
        locale={{ emptyText: t('service.windows.empty') }}
        onRow={(w) => testId(`window-row-${w.id}`, {})}
        scroll={{ x: 'max-content' }}
      />
      {editing !== null && (
        <WindowFormModal serviceId={serviceId} timeZone={timeZone} window={editing === 'new' ? undefined : editing} open onClose={() => setEditing(null)} />
      )}
    </Card>
  );
}
